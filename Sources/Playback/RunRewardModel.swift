import Foundation
import PPO
import RunConfiguration
import Training

/// A run's last saved reward model with the policy's observation normaliser:
/// the reward the policy was trained on, for comparing with ratings.
public struct RunRewardModel {
    private let reward: LearnedReward
    private let normalizer: RunningNormalizer

    /// Loads `folder`/reward_model.weights and the normaliser in
    /// `folder`/checkpoint.weights; nil when the run has saved no reward
    /// model yet (ppo runs, or before the first feedback round ends).
    /// - Throws: `RunError` for a run whose files are unreadable.
    public init?(run folder: String, config: TrainingConfig, observationSize: Int, actionSize: Int) throws {
        guard let ensemble = try RunDirectory.rewardEnsemble(in: folder, config: config, inputSize: observationSize + actionSize) else {
            return nil
        }
        let agent = try RunDirectory.agent(in: folder, config: config, observationSize: observationSize,
                                           actionSize: actionSize)
        reward = LearnedReward(ensemble: ensemble)
        normalizer = agent.normalizer
    }

    /// The ensemble-mean predicted return of a segment: Σₜ r̂(oₜ, aₜ), where
    /// `observations[t]` is the observation `actions[t]` was taken in.
    public func predictedReturn(observations: [[Double]], actions: [[Double]]) -> Double {
        precondition(observations.count >= actions.count, "RunRewardModel: fewer observations than actions")
        guard !actions.isEmpty else { return 0 }
        let taken = Array(observations.prefix(actions.count))
        return reward.rewards(rawObservations: taken, normalizedObservations: normalizer.normalize(taken), actions: actions,
                              trueRewards: []).reduce(0, +)
    }
}
