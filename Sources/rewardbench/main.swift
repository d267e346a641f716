// Times reward-model training: seconds per epoch and per feedback round
// against the number of rated segments, with the real 3 × 256 ensemble.
// Run with OPENBLAS_NUM_THREADS=1 (and OPENBLAS_CORETYPE=SkylakeX on CPUs
// OpenBLAS does not recognise, see `openBLASCoreName()`).
import Foundation
import NeuralNet
import Randomness
import Ratings
import RewardLearning

var segmentCounts = [500, 1000, 2000]
var epochs = 3
var inputSize = 30
var length = 50
var memberCount = 3
var loss = RewardLoss.ours
var splits = 2

/// Processor time used by this process so far, in seconds (all threads).
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
}

let usage = """
    usage: rewardbench [--segments 500,1000,2000] [--epochs 3] [--input-size 30]
                       [--length 50] [--members 3] [--loss ours] [--splits 2]
    Times reward-model training (random inputs and ratings, every epoch runs).
    """

/// Stops with `message` and the usage text on standard error, exit status 2.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("rewardbench: \(message)\n\(usage)\n".utf8))
    exit(2)
}

/// `value` as a positive integer, or a stop naming `flag`.
func positive(_ value: String, _ flag: String) -> Int {
    guard let number = Int(value), number > 0 else { fail("\(flag) needs a positive integer, got '\(value)'") }
    return number
}

var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next() {
    if flag == "--help" || flag == "-h" { print(usage); exit(0) }
    guard let value = arguments.next() else { fail("missing value for \(flag)") }
    switch flag {
    case "--segments": segmentCounts = value.split(separator: ",").map { positive(String($0), flag) }
    case "--epochs": epochs = positive(value, flag)
    case "--input-size": inputSize = positive(value, flag)
    case "--length": length = positive(value, flag)
    case "--members": memberCount = positive(value, flag)
    case "--loss":
        guard let chosen = RewardLoss(rawValue: value) else {
            fail("--loss must be one of \(RewardLoss.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value)'")
        }
        loss = chosen
    case "--splits": splits = positive(value, flag)
    default: fail("unknown flag \(flag)")
    }
}

print("OpenBLAS core \(openBLASCoreName()), threads \(openBLASThreadCount()), CPUs \(ProcessInfo.processInfo.activeProcessorCount)")
print("ensemble \(memberCount) × MLP(\(inputSize) → 256 → 256 → 256 → 1), L = \(length), batch 128, loss \(loss.rawValue), \(splits) row splits")
print("segments  epochs  wall s/epoch  CPU s/epoch  wall s/round (100 epochs)")
for count in segmentCounts {
    var random = SeededRandom(seed: 1)
    // Random inputs and labels: accuracy never reaches the stop threshold, so every epoch runs.
    let values = (0..<(count * length * inputSize)).map { _ in Float(random.normal()) }
    let inputs = try SegmentInputs(segmentLength: length, inputSize: inputSize, values: values)
    let labels = (0..<count).map { _ in RandomDraws.index(below: 4, random: &random) }
    let ensemble = try RewardEnsemble(
        inputSize: inputSize,
        configuration: RewardModelConfiguration(memberCount: memberCount, objective: RewardObjective(loss: loss)),
        random: &random)
    let cpuBefore = processorSeconds()
    let report = try ensemble.train(inputs: inputs, labels: labels, classCount: 4, round: 0,
                                    settings: RewardTrainingSettings(epochs: epochs, stopAccuracy: 1, rowSplits: splits),
                                    random: &random)
    let cpu = (processorSeconds() - cpuBefore) / Double(report.epochs)
    let perEpoch = report.seconds / Double(report.epochs)
    print(String(format: "%8d  %6d  %12.3f  %11.3f  %8.1f", count, report.epochs, perEpoch, cpu, perEpoch * 100))
}

// The policy's reward at collection time: the ensemble mean for a batch of 32 rows.
do {
    var random = SeededRandom(seed: 2)
    let ensemble = try RewardEnsemble(inputSize: inputSize,
                                      configuration: RewardModelConfiguration(memberCount: memberCount),
                                      random: &random)
    let rows = Matrix(rows: 32, columns: inputSize,
                      values: (0..<(32 * inputSize)).map { _ in Float(random.normal()) })
    var checksum: Float = 0
    let calls = 5000
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<calls { checksum += ensemble.predictReward(rows)[0] }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print(String(format: "predictReward, 32 rows: %.1f µs per call (checksum %.3f)", seconds / Double(calls) * 1e6, checksum))
}
