import NeuralNet

/// Where the policy's reward comes from: the task's true reward, or a model
/// learned from ratings. PPO itself knows nothing of ratings.
public protocol RewardSource: AnyObject {
    /// Rewards for one step of every environment: the observations the actions
    /// were taken in (raw, and as the policy saw them), the actions applied
    /// (clipped), and the task's true rewards.
    func rewards(rawObservations: [[Double]], normalizedObservations: Matrix, actions: [[Double]],
                 trueRewards: [Double]) -> [Double]
}

/// The task's own reward, unchanged: the "ppo" baseline.
public final class TrueReward: RewardSource {
    public init() {}
    public func rewards(rawObservations: [[Double]], normalizedObservations: Matrix, actions: [[Double]],
                        trueRewards: [Double]) -> [Double] {
        trueRewards
    }
}

/// Sees every transition as it is collected, e.g. to store episodes for rating.
public protocol TransitionObserver: AnyObject {
    /// Whether `observe` should get each environment's physics state (qpos,
    /// qvel, act) at the start of the step, so a stretch can be replayed later.
    var wantsPhysicsStates: Bool { get }
    /// One step of every environment. `dones[e]` marks the last step of an
    /// episode; `states[e]` is the physics state the observation was taken in.
    func observe(rawObservations: [[Double]], states: [[Double]]?, actions: [[Double]], trueRewards: [Double],
                 dones: [Bool])
}
