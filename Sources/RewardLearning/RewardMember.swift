import NeuralNet
import Randomness
import Ratings

/// One ensemble member: its MLP, its Adam state, its s₁, s₂ and their Adam
/// state, and the per-epoch and per-minibatch state of its training.
///
/// A minibatch is processed in stages so that the training loop can run all
/// members' stages side by side: `forward(shard:)` for each row shard, then
/// `evaluate`, then `backward(shard:)` for each shard, then `applyUpdate`.
/// Each row shard has its own copy of the network (scratch and gradient
/// buffers), so a member's shards can run on different threads.
///
/// `@unchecked Sendable` because the training loop runs these stages on a
/// concurrent queue: within one stage, a task touches only its own member (and,
/// for the shard stages, only its own shard, reading the member's minibatch
/// state, which no task writes during that stage).
final class RewardMember: @unchecked Sendable {
    /// r̂(s, a): input → 1 output through tanh. Also shard 0's network.
    let network: MLP
    /// Adam over `network.parameters`.
    var optimizer: Adam
    /// s₁, s₂.
    var logVariances = LogVariances()
    /// Adam over (s₁, s₂), with the network's learning rate.
    var logVarianceOptimizer: Adam
    /// This member's random stream for the current round (shuffles).
    var random = SeededRandom(seed: 0)
    /// What the most recent completed epoch measured.
    private(set) var lastEpoch = EpochStatistics()
    /// The current minibatch's ratings, in the order of its returns.
    private var pendingLabels: [Int] = []
    /// Set when a minibatch produced a non-finite loss or gradient.
    private(set) var failure: RewardLearningError?

    /// The row shards: shard s evaluates its slice of each minibatch's segments.
    private var shards: [RowShard] = []
    /// This epoch's visiting order of the segments.
    private var order: [Int] = []
    /// The current minibatch, as positions in `order`.
    private var batch: Range<Int> = 0..<0
    private var statistics = EpochStatistics()
    private var pendingResult: ObjectiveResult?

    init(inputSize: Int, configuration: RewardModelConfiguration, random: inout SeededRandom) {
        network = MLP(inputSize: inputSize, hiddenSizes: configuration.hiddenSizes, outputSize: 1,
                      hiddenActivation: .leakyReLU(slope: configuration.leakyReLUSlope),
                      outputActivation: .tanh, initialization: .uniformFanIn, random: &random)
        optimizer = Adam(parameterCount: network.parameterCount, learningRate: configuration.learningRate)
        logVarianceOptimizer = Adam(parameterCount: 2, learningRate: configuration.learningRate)
    }

    /// Predicted per-step rewards r̂ for each row of `input`.
    func rewards(_ input: Matrix) -> Matrix {
        network.forward(input)
    }

    /// Predicted returns R̂ of the segments `range` of `inputs` (inference, in
    /// chunks of at most `chunk` segments per forward pass).
    func returns(_ inputs: SegmentInputs, range: Range<Int>, chunk: Int) -> [Double] {
        var result: [Double] = []
        result.reserveCapacity(range.count)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + chunk, range.upperBound)
            var x = Matrix(rows: (end - start) * inputs.segmentLength, columns: inputs.inputSize)
            x.withUnsafeMutableValues { inputs.copyRows(of: start..<end, to: $0.baseAddress!) }
            result.append(contentsOf: segmentSums(network.forward(x).values, length: inputs.segmentLength))
            start = end
        }
        return result
    }

    // MARK: - Training stages

    /// Starts an epoch over `segmentCount` segments split into `shardCount`
    /// row shards: draws this member's visiting order and clears the statistics.
    func beginEpoch(segmentCount: Int, shardCount: Int) {
        if shards.count != shardCount {
            shards = (0..<shardCount).map { RowShard(network: $0 == 0 ? network : network.copy()) }
        }
        for shard in shards.dropFirst() { shard.network.parameters = network.parameters }
        order = RandomDraws.permutation(count: segmentCount, random: &random)
        statistics = EpochStatistics()
        failure = nil
    }

    /// Makes positions `batch` of this epoch's order the current minibatch.
    func beginBatch(_ batch: Range<Int>) {
        self.batch = batch
        pendingResult = nil
        let count = batch.count, shardCount = shards.count
        for (s, shard) in shards.enumerated() {
            shard.positions = (batch.lowerBound + s * count / shardCount)..<(batch.lowerBound + (s + 1) * count / shardCount)
        }
    }

    /// Forward pass of shard `s` over all steps of its segments, keeping what backward needs.
    func forward(shard s: Int, inputs: SegmentInputs, isFullBatch: Bool) {
        shards[s].forward(segments: order[shards[s].positions], inputs: inputs, isFullBatch: isFullBatch)
    }

    /// Evaluates the objective on the whole minibatch from the shards' returns.
    /// Records `failure` (and keeps no result) if a return or the loss is not finite.
    func evaluate(labels: [Int], classCount: Int, segmentLength: Int, objective: RewardObjective,
                  round: Int, epoch: Int, batchIndex: Int, memberIndex: Int) {
        let returns = shards.flatMap(\.returns)
        func fail(_ detail: String) {
            failure = .nonFiniteLoss(round: round, member: memberIndex, epoch: epoch, batch: batchIndex, detail: detail)
        }
        guard returns.allSatisfy(\.isFinite) else {
            return fail("a predicted segment return is \(returns.first { !$0.isFinite }!)")
        }
        let batchLabels = order[batch].map { labels[$0] }
        let result = objective.evaluate(returns: returns, labels: batchLabels, classCount: classCount,
                                        segmentLength: segmentLength, logVariances: logVariances)
        guard result.isFinite else {
            return fail("the loss is \(result.total) (L_cls \(result.classification.loss), L_reg \(result.regression.loss))")
        }
        pendingResult = result
        pendingLabels = batchLabels
        var offset = 0
        for shard in shards {
            shard.returnGradient = Array(result.returnGradient[offset..<(offset + shard.positions.count)])
            offset += shard.positions.count
        }
    }

    /// Backward pass of shard `s`: its network's gradients become d loss / d parameters for its rows.
    func backward(shard s: Int) {
        guard pendingResult != nil else { return }
        shards[s].backward()
    }

    /// Sums the shards' gradients and, if everything is finite, takes one Adam
    /// step on the network and (for the learned weightings) on s₁, s₂.
    func applyUpdate(objective: RewardObjective, round: Int, epoch: Int, batchIndex: Int, memberIndex: Int) {
        guard let result = pendingResult else { return }
        pendingResult = nil
        for shard in shards.dropFirst() where !shard.positions.isEmpty {
            shard.network.gradients.withUnsafeBufferPointer { source in
                network.gradients.withUnsafeMutableBufferPointer { target in
                    for i in target.indices { target[i] += source[i] }
                }
            }
        }
        guard network.gradients.allSatisfy(\.isFinite) else {
            failure = .nonFiniteLoss(round: round, member: memberIndex, epoch: epoch, batch: batchIndex,
                                     detail: "a weight gradient is not finite")
            return
        }
        optimizer.step(parameters: &network.parameters, gradients: network.gradients)
        for shard in shards.dropFirst() { shard.network.parameters = network.parameters }
        if objective.loss.learnsS1 || objective.loss.learnsS2 {
            var s: [Float] = [Float(logVariances.s1), Float(logVariances.s2)]
            logVarianceOptimizer.step(parameters: &s, gradients: [Float(result.combination.dS1),
                                                                  Float(result.combination.dS2)])
            logVariances = LogVariances(s1: Double(s[0]), s2: Double(s[1]))
        }
        statistics.add(result, labels: pendingLabels)
    }

    /// Ends the epoch, publishing its statistics as `lastEpoch`.
    func endEpoch() {
        lastEpoch = statistics
    }

    /// Frees the shards' network copies and caches (tens of MB) between rounds.
    func endRound() {
        shards = []
        order = []
    }
}
