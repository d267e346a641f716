import Foundation
import PPO
import RewardLearning

/// The scalars a run shows in TensorBoard, named as Stable-Baselines3 names
/// them where the quantity is the same (`train/…`, `rollout/…`, `eval/…`,
/// `time/…`), plus the reward model's per feedback round (`reward_model/…`,
/// `ratings/…`). Every scalar is logged against environment steps.
enum TrainingScalars {
    /// After each PPO update. SB3's `train/entropy_loss` is minus the entropy.
    static func update(_ statistics: PPOUpdateStatistics, trainReturn: Double?, stepsPerSecond: Double,
                       clipRange: Float, learningRate: Float) -> [(tag: String, value: Double)] {
        var scalars: [(tag: String, value: Double)] = [
            ("train/policy_gradient_loss", statistics.policyLoss), ("train/value_loss", statistics.valueLoss),
            ("train/approx_kl", statistics.approximateKL), ("train/clip_fraction", statistics.clipFraction),
            ("train/entropy_loss", -statistics.entropy), ("train/explained_variance", statistics.explainedVariance),
            ("train/clip_range", Double(clipRange)), ("train/learning_rate", Double(learningRate)),
            ("time/fps", stepsPerSecond),
        ]
        if let trainReturn { scalars.append(("rollout/ep_rew_mean", trainReturn)) }
        return scalars
    }

    /// After each evaluation (deterministic policy, true return).
    static func evaluation(_ evaluation: Evaluation) -> [(tag: String, value: Double)] {
        [("eval/mean_reward", evaluation.meanReturn), ("eval/std_reward", evaluation.standardDeviation)]
    }

    /// After a feedback round: the members' mean accuracy, the learned task
    /// weights (e^(−s₁) on the regression loss, e^(−s₂) on the classification
    /// loss), held-out correlation of learned with true segment returns, the
    /// ratings held per class, and the round's reward-training time.
    static func feedbackRound(_ report: TrainingReport) -> [(tag: String, value: Double)] {
        var scalars: [(tag: String, value: Double)] = [
            ("reward_model/accuracy", report.mean.accuracy),
            ("reward_model/exp_neg_s1", exp(-report.mean.s1)),
            ("reward_model/exp_neg_s2", exp(-report.mean.s2)),
            ("reward_model/train_seconds", report.seconds),
            ("ratings/total", Double(report.segmentCount)),
        ]
        if let balanced = report.mean.balancedAccuracy { scalars.append(("reward_model/balanced_accuracy", balanced)) }
        if let spearman = report.spearman { scalars.append(("reward_model/heldout_spearman", spearman)) }
        if let pearson = report.pearson { scalars.append(("reward_model/heldout_pearson", pearson)) }
        for (rating, count) in report.ratingHistogram.enumerated() {
            scalars.append(("ratings/class_\(rating)", Double(count)))
        }
        return scalars
    }
}
