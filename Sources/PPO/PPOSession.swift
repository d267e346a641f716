import Control
import Randomness

/// A policy with its training environments, collector and rollout buffer,
/// built from a configuration and a seed in one fixed order, so that every
/// caller (training runs, benchmarks) gets the same run from the same seed.
///
/// The session draws, in order: the initialisation, sampling and shuffling
/// streams, the training environments' seed and the evaluation seed.
public final class PPOSession {
    public let config: PPOConfig
    public let environments: VectorEnvironment
    public let agent: PPOAgent
    public let collector: RolloutCollector
    /// The last collected rollout.
    public private(set) var buffer: RolloutBuffer
    /// Initialises the networks; later networks (a reward model, a value reset) draw from it too.
    public var initialization: SeededRandom
    /// A seed for evaluation environments, independent of the training environments.
    public let evaluationSeed: UInt64
    private var sampling: SeededRandom
    private var shuffling: SeededRandom

    /// Builds the session, drawing its streams from `random`. The collector
    /// starts on the true reward; set `collector.rewardSource` to change it.
    public init(task: String, config: PPOConfig, models: ModelDirectory, workers: Int,
                random: inout SeededRandom) throws {
        self.config = config
        initialization = random.split()
        sampling = random.split()
        shuffling = random.split()
        let environmentSeed = random.next()
        evaluationSeed = random.next()
        environments = try VectorEnvironment(task: task, count: config.environments, models: models,
                                             seed: environmentSeed, workers: workers)
        agent = PPOAgent(observationSize: environments.observationSize, actionSize: environments.actionSpec.size,
                         config: config, random: &initialization)
        collector = try RolloutCollector(environments: environments, rewardSource: TrueReward(), agent: agent)
        buffer = RolloutBuffer(steps: config.stepsPerRollout, environments: config.environments,
                               observationSize: agent.observationSize, actionSize: agent.actionSize)
    }

    /// The session's random streams (initialisation, sampling, shuffling), for a checkpoint.
    public var randomStreams: [SeededRandom] {
        get { [initialization, sampling, shuffling] }
        set {
            precondition(newValue.count == 3, "PPOSession has three random streams")
            initialization = newValue[0]; sampling = newValue[1]; shuffling = newValue[2]
        }
    }

    /// Collects one rollout with the current policy; returns its number of transitions.
    @discardableResult
    public func collect() throws -> Int {
        try collector.collect(into: &buffer, agent: agent, random: &sampling)
        return buffer.count
    }

    /// One PPO update on the last rollout, with this update's clip range and
    /// learning rate (both fall linearly when annealed).
    public func update(clipRange: Float, learningRate: Float) -> PPOUpdateStatistics {
        agent.setLearningRate(learningRate)
        return ppoUpdate(agent: agent, buffer: buffer, clipRange: clipRange, random: &shuffling)
    }
}
