import PPO
import Ratings

/// Keeps every environment's episode as it is collected, with the physics
/// state of every step, and files finished episodes in an `EpisodeStore`,
/// from which segments are drawn for rating (and can later be replayed).
public final class EpisodeRecorder: TransitionObserver {
    public private(set) var store: EpisodeStore
    private var observations: [[[Double]]]
    private var states: [[[Double]]]
    private var actions: [[[Double]]]
    private var rewards: [[Double]]

    public init(environments: Int, store: EpisodeStore) {
        self.store = store
        observations = Array(repeating: [], count: environments)
        states = observations
        actions = observations
        rewards = Array(repeating: [], count: environments)
    }

    public var wantsPhysicsStates: Bool { true }

    public func observe(rawObservations: [[Double]], states stepStates: [[Double]]?, actions applied: [[Double]],
                        trueRewards: [Double], dones: [Bool]) {
        for e in rawObservations.indices {
            observations[e].append(rawObservations[e])
            if let stepStates { states[e].append(stepStates[e]) }
            actions[e].append(applied[e])
            rewards[e].append(trueRewards[e])
            if dones[e] {
                // Per-step lists are built together, so they always agree in length.
                _ = try? store.add(observations: observations[e], actions: actions[e], rewards: rewards[e],
                                   states: states[e].isEmpty ? nil : states[e])
                observations[e].removeAll(keepingCapacity: true)
                states[e].removeAll(keepingCapacity: true)
                actions[e].removeAll(keepingCapacity: true)
                rewards[e].removeAll(keepingCapacity: true)
            }
        }
    }

    /// Every environment's unfinished episode so far, for a checkpoint.
    var inProgress: [Trajectory] {
        observations.indices.map { e in
            Trajectory(id: e, start: 0, observations: observations[e], actions: actions[e], rewards: rewards[e],
                       states: states[e].isEmpty ? nil : states[e])
        }
    }

    /// Continues from a checkpoint: the stored episodes and each environment's unfinished one.
    func restore(store: EpisodeStore, inProgress: [Trajectory]) throws {
        guard inProgress.count == observations.count else {
            throw RunError("checkpoint records \(inProgress.count) environments' episodes; this run has \(observations.count)")
        }
        self.store = store
        for (e, episode) in inProgress.enumerated() {
            observations[e] = episode.observations
            actions[e] = episode.actions
            rewards[e] = episode.rewards
            states[e] = episode.states ?? []
        }
    }
}
