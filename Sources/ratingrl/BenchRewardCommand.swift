import ArgumentParser
import Foundation
import NeuralNet
import RewardLearning

struct BenchRewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract: "Reward-model training time against the number of rated segments (s per epoch and per 100-epoch round), and predictReward's time per call.",
        discussion: """
        The real ensemble (--members × MLP(--input-size → 256 → 256 → 256 → 1), batch 128) on random inputs and ratings, so every epoch runs. Run with OPENBLAS_NUM_THREADS=1 (as `make bench` does). Build with -c release.
        """)

    // `.unconditional` (here and below) lets negative numbers through to the checks.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Buffer sizes to time: rated segments, comma-separated (default: 500,1000,2000).", valueName: "n,n,..."),
            transform: parseCounts)
    var segments = [500, 1000, 2000]

    @Option(parsing: .unconditional, help: "Epochs timed per buffer size.")
    var epochs = 3

    @Option(parsing: .unconditional, help: "Columns per input row (observation + action; 30 is walker-sized).")
    var inputSize = 30

    @Option(parsing: .unconditional, help: "Steps per segment.")
    var length = 50

    @Option(parsing: .unconditional, help: "Ensemble members.")
    var members = 3

    @Option(help: "The training loss.")
    var loss = RewardLoss.ours

    @Option(parsing: .unconditional, help: "Row shards each minibatch is split into (trained in parallel).")
    var splits = 2

    func validate() throws {
        for (flag, value) in [("--epochs", epochs), ("--input-size", inputSize), ("--length", length),
                              ("--members", members), ("--splits", splits)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
    }

    func run() throws {
        print("OpenBLAS core \(openBLASCoreName()), threads \(openBLASThreadCount()), CPUs \(ProcessInfo.processInfo.activeProcessorCount)")
        print("ensemble \(members) × MLP(\(inputSize) → 256 → 256 → 256 → 1), L = \(length), batch 128, loss \(loss.rawValue), \(splits) row splits")
        let configuration = RewardModelConfiguration(memberCount: members, objective: RewardObjective(loss: loss))
        var rows: [RewardTrainingBenchmark] = []
        let peakBefore = SgemmBenchmark.peakGFLOPS()
        print("segments  epochs  wall s/epoch  CPU s/epoch  wall s/round (100 epochs)  GFLOP/s per core")
        for count in segments {
            let row = try RewardTrainingBenchmark.measure(segments: count, epochs: epochs, inputSize: inputSize, segmentLength: length,
                                                          configuration: configuration, rowSplits: splits)
            rows.append(row)
            print(String(format: "%8d  %6d  %12.3f  %11.3f  %25.1f  %16.1f", row.segments, row.epochs, row.wallSecondsPerEpoch,
                         row.processorSecondsPerEpoch, row.wallSecondsPerEpoch * 100, row.gflopsPerCore))
            fflush(nil)
        }
        // Peaks are the better of a measurement before and after, as `bench ppo` takes them: PPO's
        // 64-row product, and the reward model's own (a minibatch of 128 segments' rows per split).
        let peak = max(peakBefore, SgemmBenchmark.peakGFLOPS())
        let shardRows = max(1, 128 * length / splits)
        let ownPeak = SgemmBenchmark.peakGFLOPS(m: shardRows, callsPerRound: max(1, 400 * 64 / shardRows))
        func shares(_ peak: Double) -> String {
            rows.map { String(format: "%.0f%%", 100 * $0.gflopsPerCore / peak) }.joined(separator: ", ")
        }
        print("reward round, by buffer size: \(shares(peak)) of single-thread sgemm peak " + String(format: "%.1f", peak)
              + " GFLOP/s (64×256·256×256, PPO's); \(shares(ownPeak)) of " + String(format: "%.1f", ownPeak)
              + " GFLOP/s (\(shardRows)×256·256×256, its own)")
        let inference = try RewardInferenceBenchmark.measure(inputSize: inputSize, memberCount: members)
        print(String(format: "predictReward, %d rows: %.1f µs per call (checksum %.3f)", inference.rows, inference.microsecondsPerCall,
                     inference.checksum))
    }
}

/// A comma-separated list of positive whole numbers.
private func parseCounts(_ text: String) throws -> [Int] {
    try text.split(separator: ",").map { part in
        guard let count = Int(part), count > 0 else { throw ValidationError("'\(part)' is not a positive whole number") }
        return count
    }
}
