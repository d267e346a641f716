import Control
import Foundation
import NeuralNet
import PPO
import Randomness
import Ratings
import RewardLearning

/// What a finished run reports (also written to `summary.json`).
public struct TrainingSummary: Codable, Sendable {
    public var task: String
    public var method: String
    public var seed: UInt64
    public var finalEvalReturn: Double
    public var finalEvalStd: Double
    public var envSteps: Int
    public var wallSeconds: Double
    public var updates: Int
    public var finalTrainReturn: Double?
    public var physicsFailures: Int
    /// Ratings given (rating-based methods only).
    public var ratings: Int?
    /// Spearman correlation of learned and true segment returns over the held-out
    /// segments (accumulated over all rounds), after the last round.
    public var finalSpearman: Double?
    public var finalPearson: Double?
    /// Wall seconds spent training the reward model, over all feedback rounds.
    public var rewardTrainingSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case task, method, seed, updates
        case finalEvalReturn = "final_eval_return"
        case finalEvalStd = "final_eval_std"
        case envSteps = "env_steps"
        case wallSeconds = "wall_seconds"
        case finalTrainReturn = "final_train_return"
        case physicsFailures = "physics_failures"
        case ratings
        case finalSpearman = "final_spearman"
        case finalPearson = "final_pearson"
        case rewardTrainingSeconds = "reward_training_seconds"
    }
}

/// Progress of a run, reported after every update.
public struct TrainingProgress: Sendable {
    public var update: Int
    public var updates: Int
    public var envSteps: Int
    public var totalSteps: Int
    public var wallSeconds: Double
    /// Mean true return of the last (up to) 10 finished training episodes.
    public var recentReturn: Double?
    public var evaluation: Evaluation?
    /// The feedback round finished during this update, if any.
    public var feedback: TrainingReport?

    public var stepsPerSecond: Double { wallSeconds > 0 ? Double(envSteps) / wallSeconds : 0 }
    public var secondsRemaining: Double {
        stepsPerSecond > 0 ? Double(totalSteps - envSteps) / stepsPerSecond : .infinity
    }
}

/// The training loop: rollout → (reward) → PPO update, with periodic
/// deterministic evaluations and checkpoints, all written to a run folder.
///
/// Files: `config.json` (fully resolved), `progress.csv` (one row per update),
/// `evaluations.csv`, `checkpoint.weights` (atomic) and `summary.json`; for
/// rating-based methods also `feedback.jsonl` (one line of diagnostics per
/// feedback round), `ratings.jsonl` (every rating with the segment's start
/// state and actions) and `reward_model.weights`.
/// Every column of `progress.csv` but `wall_seconds` and `steps_per_second`
/// is a pure function of the configuration.
public enum TrainingRun {
    public static let progressColumns = [
        "update", "env_steps", "wall_seconds", "steps_per_second", "train_return", "policy_loss", "value_loss",
        "approx_kl", "clip_fraction", "entropy", "explained_variance", "clip_range",
    ]

    public static func run(_ config: TrainingConfig, models: ModelDirectory, directory: RunDirectory,
                           report: (TrainingProgress) -> Void = { _ in }) throws -> TrainingSummary {
        let problems = config.problems
        guard problems.isEmpty else { throw RunError("invalid configuration: " + problems.joined(separator: "; ")) }
        try directory.writeJSON(config, to: "config.json")
        let progressLog = try CSVLog(path: directory.file("progress.csv"), columns: progressColumns)
        let evaluationLog = try CSVLog(path: directory.file("evaluations.csv"),
                                       columns: ["env_steps", "mean_return", "std_return", "episodes"])

        var root = SeededRandom(seed: config.seed)
        let ppo = config.ppo
        let session = try PPOSession(task: config.task, config: ppo, models: models, workers: config.workers,
                                     random: &root)
        let evaluationEnvironments = try VectorEnvironment(task: config.task, count: config.evaluationEpisodes,
                                                           models: models, seed: session.evaluationSeed,
                                                           workers: config.workers)
        let agent = session.agent, collector = session.collector

        // Rating-based methods: a reward model and its feedback loop.
        var feedback: FeedbackLoop?
        if let feedbackConfig = config.feedback, config.method != "ppo" {
            let random = root.split()
            feedback = try FeedbackLoop(config: feedbackConfig, inputSize: agent.observationSize + agent.actionSize,
                                        environments: ppo.environments, directory: directory,
                                        initialization: &session.initialization, random: random)
            collector.observer = feedback!.recorder
            collector.rewardSource = LearnedReward(ensemble: feedback!.ensemble)
        }
        // Optional unsupervised pre-training on a state-entropy bonus before the learned reward.
        let learnedReward = collector.rewardSource
        var pretrainingSteps = feedback.map { $0.config.unsupervisedSteps } ?? 0
        if pretrainingSteps > 0 { collector.rewardSource = StateEntropyReward(k: feedback!.config.stateEntropyK) }

        let start = Date()
        var envSteps = 0
        var recentReturns: [Double] = []
        var lastEvaluation: Evaluation?
        var nextEvaluation = config.evaluationInterval > 0 ? config.evaluationInterval : Int.max
        var nextCheckpoint = config.checkpointInterval > 0 ? config.checkpointInterval : Int.max

        for update in 1...config.updates {
            envSteps += try session.collect()
            for episode in collector.takeFinishedEpisodes() { recentReturns.append(episode.trueReturn) }
            recentReturns = Array(recentReturns.suffix(10))

            // SB3 anneals with the progress remaining after this rollout.
            let remaining = max(0, 1 - Float(envSteps) / Float(config.totalSteps))
            let clipRange = ppo.annealClipRange ? ppo.clipRange * remaining : ppo.clipRange
            let statistics = session.update(clipRange: clipRange)
            guard statistics.policyLoss.isFinite && statistics.valueLoss.isFinite else {
                throw RunError("update \(update): the loss became \(statistics.policyLoss.isFinite ? statistics.valueLoss : statistics.policyLoss); stopping before training on it. Try a lower learning rate.")
            }

            let wall = Date().timeIntervalSince(start)
            let trainReturn = recentReturns.isEmpty ? nil : recentReturns.reduce(0, +) / Double(recentReturns.count)
            progressLog.append([update, envSteps, format(wall), format(Double(envSteps) / wall),
                                trainReturn.map(format) ?? "", format(statistics.policyLoss), format(statistics.valueLoss),
                                format(statistics.approximateKL), format(statistics.clipFraction), format(statistics.entropy),
                                format(statistics.explainedVariance), format(Double(clipRange))])

            if pretrainingSteps > 0 && envSteps >= pretrainingSteps {
                collector.rewardSource = learnedReward
                agent.resetValueFunction(random: &session.initialization)
                pretrainingSteps = 0
            }
            // Feedback rounds due by now (between updates, as the reward changes only then).
            let roundReport = try feedback?.runDueRounds(envSteps: envSteps, normalizer: agent.normalizer)

            var evaluation: Evaluation?
            if envSteps >= nextEvaluation || update == config.updates {
                evaluation = try Evaluation.run(agent: agent, environments: evaluationEnvironments)
                evaluationLog.append([envSteps, format(evaluation!.meanReturn), format(evaluation!.standardDeviation),
                                      evaluation!.returns.count])
                lastEvaluation = evaluation
                while nextEvaluation <= envSteps { nextEvaluation += config.evaluationInterval }
            }
            if envSteps >= nextCheckpoint || update == config.updates {
                try agent.save(to: directory.file("checkpoint.weights"))
                while nextCheckpoint <= envSteps { nextCheckpoint += config.checkpointInterval }
            }
            report(TrainingProgress(update: update, updates: config.updates, envSteps: envSteps,
                                    totalSteps: config.updates * ppo.rolloutSize, wallSeconds: wall,
                                    recentReturn: trainReturn, evaluation: evaluation, feedback: roundReport))
        }

        let summary = TrainingSummary(task: config.task, method: config.method, seed: config.seed,
                                      finalEvalReturn: lastEvaluation!.meanReturn,
                                      finalEvalStd: lastEvaluation!.standardDeviation, envSteps: envSteps,
                                      wallSeconds: Date().timeIntervalSince(start), updates: config.updates,
                                      finalTrainReturn: recentReturns.isEmpty ? nil : recentReturns.reduce(0, +) / Double(recentReturns.count),
                                      physicsFailures: collector.physicsFailures, ratings: feedback?.ratingCount,
                                      finalSpearman: feedback?.lastReport?.spearman,
                                      finalPearson: feedback?.lastReport?.pearson,
                                      rewardTrainingSeconds: feedback?.trainingSeconds)
        try directory.writeJSON(summary, to: "summary.json")
        return summary
    }

    static func format(_ value: Double) -> String { String(format: "%.6g", value) }
}
