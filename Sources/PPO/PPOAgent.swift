import Foundation
import NeuralNet
import Randomness

/// What PPO learns and keeps: the policy, the value function (a separate
/// network), their optimiser state, and the observation normaliser.
public final class PPOAgent {
    public let config: PPOConfig
    public let policy: GaussianPolicy
    public let value: MLP
    public var normalizer: RunningNormalizer
    public var policyOptimizer: Adam
    public var valueOptimizer: Adam
    public var logStdOptimizer: Adam

    public init(observationSize: Int, actionSize: Int, config: PPOConfig, random: inout SeededRandom) {
        self.config = config
        let activation = config.activation.function
        policy = GaussianPolicy(observationSize: observationSize, actionSize: actionSize,
                                hiddenSizes: config.hiddenSizes, activation: activation,
                                exploration: config.gsde ? .stateDependent : .stateIndependent,
                                logStdInit: config.logStdInit, random: &random)
        value = MLP(inputSize: observationSize, hiddenSizes: config.hiddenSizes, outputSize: 1,
                    hiddenActivation: activation, outputActivation: .identity,
                    initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 1),
                    random: &random)
        normalizer = RunningNormalizer(size: observationSize, clip: config.observationClip)
        // One Adam over all parameters, as SB3 has, split by buffer (Adam is element-wise).
        policyOptimizer = Adam(parameterCount: policy.mean.parameterCount, learningRate: config.learningRate,
                               epsilon: config.adamEpsilon)
        valueOptimizer = Adam(parameterCount: value.parameterCount, learningRate: config.learningRate,
                              epsilon: config.adamEpsilon)
        logStdOptimizer = Adam(parameterCount: policy.logStd.count, learningRate: config.learningRate, epsilon: config.adamEpsilon)
    }

    public var observationSize: Int { value.inputSize }

    /// Re-initialises the value network and its optimiser (after pre-training
    /// on a different reward, its estimates are for the wrong return).
    public func resetValueFunction(random: inout SeededRandom) {
        let fresh = MLP(inputSize: value.inputSize, hiddenSizes: config.hiddenSizes, outputSize: 1,
                        hiddenActivation: config.activation.function, outputActivation: .identity,
                        initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 1), random: &random)
        value.parameters = fresh.parameters
        value.zeroGradients()
        valueOptimizer = Adam(parameterCount: value.parameterCount, learningRate: config.learningRate,
                              epsilon: config.adamEpsilon)
    }
    public var actionSize: Int { policy.actionSize }

    /// The step size of all three optimisers (one Adam in SB3).
    public func setLearningRate(_ learningRate: Float) {
        policyOptimizer.learningRate = learningRate
        valueOptimizer.learningRate = learningRate
        logStdOptimizer.learningRate = learningRate
    }

    /// Value estimates, one per row of normalised observations.
    public func values(_ observations: Matrix) -> [Float] { value.forward(observations).values }

    /// Deterministic actions (the policy mean) for raw observations, with
    /// the normaliser frozen.
    public func deterministicActions(_ rawObservations: [[Double]]) -> [[Double]] {
        policy.meanAction(normalizer.normalize(rawObservations)).doubleRows
    }

    // MARK: Checkpoints

    /// Format tag stored in every checkpoint; bump when the tensor layout changes.
    static let checkpointFormat: Float = 1

    /// Networks, log-std, optimiser states and normaliser as named tensors
    /// (the normaliser in Float32; see `RunningNormalizer.tensors`).
    public var tensors: [WeightFile.Tensor] {
        var tensors: [WeightFile.Tensor] = [(name: "ppo.format", shape: [1], values: [Self.checkpointFormat])]
        tensors += policy.mean.tensors(prefix: "policy")
        tensors.append((name: "policy.log_std", shape: [policy.logStd.count], values: policy.logStd))
        tensors += value.tensors(prefix: "value")
        tensors += policyOptimizer.tensors(prefix: "adam.policy")
        tensors += valueOptimizer.tensors(prefix: "adam.value")
        tensors += logStdOptimizer.tensors(prefix: "adam.log_std")
        tensors += normalizer.tensors(prefix: "normalizer")
        return tensors
    }

    /// Saves `tensors` atomically.
    public func save(to path: String) throws {
        try WeightFile.save(tensors, to: path)
    }

    /// Restores a checkpoint written by `save`. Shapes must match this agent's.
    public func load(from path: String) throws {
        let tensors = try WeightFile.load(from: path)
        do { try load(tensors: tensors) } catch let WeightFileError.invalidTensor(name, detail) where name == "ppo.format" {
            throw WeightFileError.malformed(path: path, detail: detail)
        }
    }

    /// Restores tensors as `tensors` gives them. Shapes must match this agent's.
    public func load(tensors: [WeightFile.Tensor]) throws {
        let format = try WeightFile.tensor(named: "ppo.format", in: tensors, expectedShape: [1])
        guard format.values[0] == Self.checkpointFormat else {
            throw WeightFileError.invalidTensor(name: "ppo.format", detail: "PPO checkpoint format \(format.values[0]); this build reads \(Self.checkpointFormat)")
        }
        try policy.mean.load(tensors: tensors, prefix: "policy")
        policy.logStd = try WeightFile.tensor(named: "policy.log_std", in: tensors, expectedShape: [policy.logStd.count]).values
        try value.load(tensors: tensors, prefix: "value")
        try policyOptimizer.load(tensors: tensors, prefix: "adam.policy")
        try valueOptimizer.load(tensors: tensors, prefix: "adam.value")
        try logStdOptimizer.load(tensors: tensors, prefix: "adam.log_std")
        try normalizer.load(tensors: tensors, prefix: "normalizer")
    }
}
