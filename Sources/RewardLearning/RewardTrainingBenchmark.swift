import NeuralNet
import Randomness
import Ratings

/// Reward-model training time for one buffer of rated segments: wall and
/// processor seconds per epoch of a real ensemble (`ratingrl bench reward`).
/// Inputs and ratings are random, so accuracy never reaches the stop
/// threshold and every epoch runs.
public struct RewardTrainingBenchmark: Sendable, Codable {
    /// Rated segments in the buffer.
    public let segments: Int
    /// Epochs trained.
    public let epochs: Int
    public let wallSecondsPerEpoch: Double
    /// Processor time per epoch, every thread of the process (core-seconds).
    public let processorSecondsPerEpoch: Double
    /// Floating-point work of one epoch's training passes: forward and backward
    /// (counted as 3× the forward, as the PPO benchmark counts its update) of
    /// every member on every row of every segment, in GFLOP.
    public let gflopPerEpoch: Double

    /// GFLOP per processor-second: the rate per core, comparable with
    /// single-thread sgemm peak whatever the number of row splits.
    public var gflopsPerCore: Double { gflopPerEpoch / processorSecondsPerEpoch }

    /// Trains an ensemble of `configuration` for `epochs` epochs on `segments`
    /// random segments of `segmentLength` rows of `inputSize` columns, rated in 4 classes.
    public static func measure(segments: Int, epochs: Int, inputSize: Int, segmentLength: Int,
                               configuration: RewardModelConfiguration, rowSplits: Int) throws -> RewardTrainingBenchmark {
        var random = SeededRandom(seed: 1)
        let values = (0..<(segments * segmentLength * inputSize)).map { _ in Float(random.normal()) }
        let inputs = try SegmentInputs(segmentLength: segmentLength, inputSize: inputSize, values: values)
        let labels = (0..<segments).map { _ in RandomDraws.index(below: 4, random: &random) }
        let ensemble = try RewardEnsemble(inputSize: inputSize, configuration: configuration, random: &random)
        let processorBefore = BenchmarkClock.processorSeconds()
        let report = try ensemble.train(inputs: inputs, labels: labels, classCount: 4, round: 0,
                                        settings: RewardTrainingSettings(epochs: epochs, stopAccuracy: 1, rowSplits: rowSplits),
                                        random: &random)
        let processor = (BenchmarkClock.processorSeconds() - processorBefore) / Double(report.epochs)
        let rows = segments * segmentLength
        let gflop = 3 * ensemble.members.reduce(0) { $0 + $1.network.forwardFLOPs(rows: rows) } / 1e9
        return RewardTrainingBenchmark(segments: segments, epochs: report.epochs,
                                       wallSecondsPerEpoch: report.seconds / Double(report.epochs),
                                       processorSecondsPerEpoch: processor, gflopPerEpoch: gflop)
    }
}
