import Control
import NeuralNet
import Randomness

/// Runs the current policy in the vectorised environments and fills a
/// `RolloutBuffer`, as Stable-Baselines3's `collect_rollouts` does: one batched
/// policy and value forward per step, observations normalised by running
/// statistics updated with each new batch, and time-limit truncations
/// bootstrapped by adding γ·V(final observation) to the last reward.
public final class RolloutCollector {
    public let environments: VectorEnvironment
    /// Where rewards come from; may be switched between rollouts (e.g. after pre-training).
    public var rewardSource: RewardSource
    public weak var observer: TransitionObserver?

    private var rawObservations: [[Double]]
    private var normalized: Matrix
    private var episodeStarts: [Bool]
    private var trueReturns: [Double]
    private var learnedReturns: [Double]

    /// True and policy-reward returns of episodes finished since the last `takeFinishedEpisodes()`.
    public private(set) var finishedEpisodes: [(trueReturn: Double, policyReturn: Double)] = []
    /// Episodes ended early by an unstable simulation, in total.
    public private(set) var physicsFailures = 0

    public init(environments: VectorEnvironment, rewardSource: RewardSource, agent: PPOAgent) throws {
        self.environments = environments
        self.rewardSource = rewardSource
        rawObservations = try environments.reset()
        agent.normalizer.update(rawObservations)
        normalized = agent.normalizer.normalize(rawObservations)
        episodeStarts = [Bool](repeating: true, count: environments.count)
        trueReturns = [Double](repeating: 0, count: environments.count)
        learnedReturns = trueReturns
    }

    /// Collects `buffer.steps` steps of every environment into `buffer` and
    /// computes its advantages.
    public func collect(into buffer: inout RolloutBuffer, agent: PPOAgent, random: inout SeededRandom) throws {
        let n = environments.count
        let gamma = agent.config.gamma
        let gsde = agent.config.gsde
        for t in 0..<buffer.steps {
            // gSDE: fresh exploration matrices at the start of a rollout and every k steps.
            if gsde && t % agent.config.gsdeResampleEvery == 0 {
                agent.policy.resampleExploration(environments: n, random: &random)
            }
            let (actions, logProbabilities) = agent.policy.sample(normalized, random: &random)
            let values = agent.values(normalized)
            let states = observer?.wantsPhysicsStates == true
                ? environments.environments.map { $0.physics.data.state } : nil

            let step = try environments.step(actions.doubleRows)
            let applied = step.actions
            let policyRewards = rewardSource.rewards(rawObservations: rawObservations, normalizedObservations: normalized,
                                                     actions: applied, trueRewards: step.rewards)
            var rewards = policyRewards
            observer?.observe(rawObservations: rawObservations, states: states, actions: applied,
                              trueRewards: step.rewards, dones: step.dones)
            physicsFailures += step.failures

            // Bootstrap truncated episodes from the value of their final observation.
            let ended = (0..<n).filter { step.dones[$0] }
            if !ended.isEmpty {
                let finals = agent.normalizer.normalize(ended.map { step.terminalObservations[$0]! })
                let finalValues = agent.values(finals)
                for (k, e) in ended.enumerated() { rewards[e] += Double(gamma * finalValues[k]) }
            }
            for e in 0..<n {
                trueReturns[e] += step.rewards[e]
                learnedReturns[e] += policyRewards[e]
                if step.dones[e] {
                    finishedEpisodes.append((trueReturns[e], learnedReturns[e]))
                    trueReturns[e] = 0
                    learnedReturns[e] = 0
                }
            }

            buffer.store(step: t, observations: normalized.values, actions: actions.values,
                         rewards: rewards.map(Float.init), episodeStarts: episodeStarts,
                         values: values, logProbabilities: logProbabilities)

            rawObservations = step.observations
            agent.normalizer.update(rawObservations)
            normalized = agent.normalizer.normalize(rawObservations)
            episodeStarts = step.dones
        }
        buffer.computeAdvantages(lastValues: agent.values(normalized), lastEpisodeStarts: episodeStarts,
                                 gamma: gamma, lambda: agent.config.gaeLambda)
    }

    /// What the collector carries from one rollout to the next (between rollouts,
    /// after `takeFinishedEpisodes()`), for a checkpoint.
    public struct State: Sendable, Equatable {
        public var environments: [ControlEnvironment.Snapshot]
        public var rawObservations: [[Double]]
        public var episodeStarts: [Bool]
        public var trueReturns: [Double]
        public var learnedReturns: [Double]
        public var physicsFailures: Int

        public init(environments: [ControlEnvironment.Snapshot], rawObservations: [[Double]], episodeStarts: [Bool],
                    trueReturns: [Double], learnedReturns: [Double], physicsFailures: Int) {
            self.environments = environments; self.rawObservations = rawObservations
            self.episodeStarts = episodeStarts; self.trueReturns = trueReturns
            self.learnedReturns = learnedReturns; self.physicsFailures = physicsFailures
        }
    }

    /// The collector and its environments between rollouts.
    public var state: State {
        State(environments: environments.snapshots(), rawObservations: rawObservations, episodeStarts: episodeStarts,
              trueReturns: trueReturns, learnedReturns: learnedReturns, physicsFailures: physicsFailures)
    }

    /// Continues from `state`; the agent's normaliser must already be restored
    /// (the next rollout's first observations are normalised with it).
    public func restore(_ state: State, agent: PPOAgent) throws {
        let n = environments.count
        guard state.rawObservations.count == n, state.episodeStarts.count == n, state.trueReturns.count == n,
              state.learnedReturns.count == n else {
            throw ControlError.invalidInput("checkpoint's collector state is for \(state.rawObservations.count) environments; this run has \(n)")
        }
        try environments.restore(state.environments, observations: state.rawObservations)
        rawObservations = state.rawObservations
        normalized = agent.normalizer.normalize(rawObservations)
        episodeStarts = state.episodeStarts
        trueReturns = state.trueReturns
        learnedReturns = state.learnedReturns
        physicsFailures = state.physicsFailures
        finishedEpisodes = []
    }

    /// Returns and forgets the episodes finished since the last call.
    public func takeFinishedEpisodes() -> [(trueReturn: Double, policyReturn: Double)] {
        defer { finishedEpisodes.removeAll() }
        return finishedEpisodes
    }
}

extension Matrix {
    /// The rows as `Double` vectors (actions as environments take them).
    var doubleRows: [[Double]] {
        (0..<rows).map { r in (0..<columns).map { Double(self[r, $0]) } }
    }
}
