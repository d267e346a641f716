import NeuralNet
import Randomness

/// The policy's reward at collection time: microseconds per ensemble-mean
/// prediction for a batch of rows (`ratingrl bench reward`).
public struct RewardInferenceBenchmark: Sendable, Codable {
    public let rows: Int
    public let calls: Int
    public let microsecondsPerCall: Double
    /// The sum of the first prediction of every call (keeps the calls from being optimised away).
    public let checksum: Float

    /// Times `calls` predictions of `rows` random rows by a fresh ensemble of `memberCount` members.
    public static func measure(inputSize: Int, memberCount: Int, rows: Int = 32, calls: Int = 5000) throws -> RewardInferenceBenchmark {
        var random = SeededRandom(seed: 2)
        let ensemble = try RewardEnsemble(inputSize: inputSize,
                                          configuration: RewardModelConfiguration(memberCount: memberCount),
                                          random: &random)
        let batch = Matrix(rows: rows, columns: inputSize,
                           values: (0..<(rows * inputSize)).map { _ in Float(random.normal()) })
        var checksum: Float = 0
        let elapsed = ContinuousClock().measure {
            for _ in 0..<calls { checksum += ensemble.predictReward(batch)[0] }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return RewardInferenceBenchmark(rows: rows, calls: calls, microsecondsPerCall: seconds / Double(calls) * 1e6,
                                        checksum: checksum)
    }
}
