import Dispatch
import NeuralNet
import Randomness
import Ratings

/// The learned reward: an ensemble of MLPs r̂(s, a) on concat(normalised
/// observation, action), each ending in tanh so r̂ ∈ [−1, 1]. The policy's
/// reward is the ensemble mean (`predictReward`).
///
/// Inputs are given already normalised by the caller (the policy's running
/// observation normaliser), as `Matrix` rows or via `SegmentInputs`.
/// Not thread-safe: use one instance from one thread at a time (training
/// spreads its members over threads internally).
public final class RewardEnsemble {
    /// Columns per input row (observation size + action size).
    public let inputSize: Int
    /// Architecture, optimiser and loss.
    public let configuration: RewardModelConfiguration
    /// The members, each with its own network, optimiser state and s₁, s₂.
    let members: [RewardMember]
    /// Most segments per inference forward pass (bounds scratch memory).
    let inferenceChunk = 128

    /// A freshly initialised ensemble (PyTorch `nn.Linear` default init, zero
    /// Adam state, s₁ = s₂ = 0); each member draws its weights from its own
    /// stream split off `random`. Throws `RewardLearningError.invalidSetting`
    /// for an unusable configuration or input size.
    public init(inputSize: Int, configuration: RewardModelConfiguration = RewardModelConfiguration(),
                random: inout SeededRandom) throws {
        guard inputSize > 0 else {
            throw RewardLearningError.invalidSetting(name: "input size", value: "\(inputSize)", allowed: "positive")
        }
        try configuration.validate()
        self.inputSize = inputSize
        self.configuration = configuration
        members = (0..<configuration.memberCount).map { _ in
            var stream = random.split()
            return RewardMember(inputSize: inputSize, configuration: configuration, random: &stream)
        }
    }

    /// Number of members.
    public var memberCount: Int { members.count }

    /// Each member's current s₁, s₂.
    public var logVariances: [LogVariances] { members.map(\.logVariances) }

    /// Each member's flat network parameters.
    var memberParameters: [[Float]] { members.map(\.network.parameters) }

    /// Copies of the members' networks r̂: the input through LeakyReLU hidden
    /// layers to one output through tanh (to read or export, not to train).
    public var memberNetworks: [MLP] { members.map { $0.network.copy() } }

    /// The ensemble-mean reward r̂ for each row of `inputs` (the policy's reward).
    /// - Precondition: `inputs.columns == inputSize`.
    public func predictReward(_ inputs: Matrix) -> [Float] {
        precondition(inputs.columns == inputSize,
                     "RewardEnsemble.predictReward: inputs have \(inputs.columns) columns, the model expects \(inputSize)")
        var sum = [Float](repeating: 0, count: inputs.rows)
        for member in members {
            let output = member.rewards(inputs)
            for r in 0..<inputs.rows { sum[r] += output.values[r] }
        }
        let scale = 1 / Float(members.count)
        return sum.map { $0 * scale }
    }

    /// Predicted segment returns R̂ per member: `result[m][s]` for member m, segment s.
    public func segmentReturns(_ inputs: SegmentInputs) throws -> [[Double]] {
        guard inputs.inputSize == inputSize else {
            throw RewardLearningError.inputSizeMismatch(expected: inputSize, found: inputs.inputSize)
        }
        // Members in parallel when there is enough work, each batching up to
        // `inferenceChunk` segments (all their steps) per forward pass.
        let members = self.members, chunk = inferenceChunk
        let results = ParallelResults<[Double]>(count: members.count)
        let work: @Sendable (Int) -> Void = { m in results[m] = members[m].returns(inputs, range: 0..<inputs.count, chunk: chunk) }
        if members.count > 1 && inputs.count * inputs.segmentLength >= 4096 {
            DispatchQueue.concurrentPerform(iterations: members.count, execute: work)
        } else {
            for m in members.indices { work(m) }
        }
        return results.values.map { $0 ?? [] }
    }

    /// Predicted segment returns per member for `segments`, whose inputs are built by `features`.
    public func segmentReturns(of segments: [Segment], features: (Segment) throws -> [Float]) throws -> [[Double]] {
        guard !segments.isEmpty else { return members.map { _ in [] } }
        return try segmentReturns(SegmentInputs(segments: segments, inputSize: inputSize, features: features))
    }

    /// The ensemble-mean predicted return of each segment.
    public func meanSegmentReturns(of segments: [Segment], features: (Segment) throws -> [Float]) throws -> [Double] {
        let perMember = try segmentReturns(of: segments, features: features)
        return (0..<segments.count).map { s in perMember.reduce(0) { $0 + $1[s] } / Double(perMember.count) }
    }

    /// The standard deviation across members (population form, as numpy's default)
    /// of each segment's predicted return: the disagreement used for query selection.
    public func returnStandardDeviations(of segments: [Segment], features: (Segment) throws -> [Float]) throws -> [Double] {
        let perMember = try segmentReturns(of: segments, features: features)
        let m = Double(perMember.count)
        return (0..<segments.count).map { s in
            let mean = perMember.reduce(0) { $0 + $1[s] } / m
            let variance = perMember.reduce(0) { $0 + ($1[s] - mean) * ($1[s] - mean) } / m
            return variance.squareRoot()
        }
    }
}
