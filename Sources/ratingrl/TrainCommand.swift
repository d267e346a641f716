import ArgumentParser
import Control
import Experiments
import Foundation
import PPO
import Ratings
import RewardLearning

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a policy with PPO and write progress, evaluations, a checkpoint and a summary.",
        discussion: """
        Writes DIR/config.json (fully resolved), DIR/progress.csv (one row per PPO update),
        DIR/evaluations.csv (deterministic evaluations: mean true return), DIR/checkpoint.weights
        and DIR/summary.json (final_eval_return, env_steps, wall_seconds, ...). The same config and
        seed give the same progress.csv apart from its two timing columns.
        """)

    @Option(help: "Task, e.g. cartpole-balance (see `ratingrl envs`).")
    var task: String

    @Option(help: "Reward the policy learns from: \(TrainingConfig.methods.joined(separator: ", ")) (ppo: the true reward; the others: a reward model learned from ratings).")
    var method = "ppo"

    @Option(help: "Environment steps to train for.")
    var steps: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Output folder for the run.")
    var out: String

    @Option(help: "Hyperparameter preset: \(PPOConfig.presetNames.joined(separator: " or ")).")
    var preset = "quick"

    @Option(help: "Override preset fields: comma-separated key=value, e.g. environments=16,learningRate=1e-4 (keys as in config.json's ppo section).")
    var set: String?

    @Option(help: "Environment steps between evaluations (default: a tenth of --steps).")
    var evalEvery: Int?

    @Option(help: "Episodes per evaluation.")
    var evalEpisodes = 10

    @Option(help: "Environment steps between checkpoints (default: at each evaluation).")
    var checkpointEvery: Int?

    @Option(help: "Threads stepping environments (default: all cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup(title: "Ratings and reward learning (methods other than ppo)")
    var feedbackOptions: FeedbackOptions

    @Flag(help: "Replace an existing run in --out.")
    var overwrite = false

    @Flag(help: "Print only the final summary.")
    var quiet = false

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        _ = try resolveTasks(task)
        let ppo = try resolvePPOConfig(preset: preset, task: task, overrides: set)
        let evaluationInterval = evalEvery ?? max(ppo.rolloutSize, steps / 10)
        let feedback = try RewardLoss(rawValue: method).map { try feedbackOptions.config(task: task, loss: $0) }
        let config = TrainingConfig(task: task, method: method, totalSteps: steps, seed: seed, preset: preset, ppo: ppo,
                                    evaluationInterval: evaluationInterval, evaluationEpisodes: evalEpisodes,
                                    checkpointInterval: checkpointEvery ?? evaluationInterval, workers: workers,
                                    feedback: feedback)
        guard config.problems.isEmpty else {
            throw ValidationFailure(message: "invalid configuration: " + config.problems.joined(separator: "; "))
        }
        let models = try modelOptions.directory()
        let summary: TrainingSummary
        do {
            let directory = try RunDirectory(path: out, overwrite: overwrite)
            if !quiet {
                print("training \(task) with \(method) (\(preset) preset) for \(steps) steps, seed \(seed) → \(out)")
            }
            var lastPrinted = -Double.infinity
            summary = try TrainingRun.run(config, models: models, directory: directory) { progress in
                // A line at most every two seconds, and at every evaluation.
                guard !quiet, progress.evaluation != nil || progress.feedback != nil || progress.wallSeconds - lastPrinted >= 2 else { return }
                lastPrinted = progress.wallSeconds
                var line = String(format: "[%3.0f%%] steps %d/%d  %.0f steps/s  ETA %@",
                                  100 * Double(progress.envSteps) / Double(progress.totalSteps), progress.envSteps,
                                  progress.totalSteps, progress.stepsPerSecond, duration(progress.secondsRemaining))
                if let recent = progress.recentReturn { line += String(format: "  train return %.1f", recent) }
                if let evaluation = progress.evaluation { line += String(format: "  eval return %.1f", evaluation.meanReturn) }
                if let round = progress.feedback {
                    line += String(format: "  round %d: %d ratings, accuracy %.2f", round.round, round.segmentCount, round.mean.accuracy)
                    if let spearman = round.spearman { line += String(format: ", spearman %.2f", spearman) }
                }
                print(line)
                fflush(nil)
            }
        } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        var result = String(format: "final_eval_return %.1f ± %.1f  env_steps %d  wall %.1f s", summary.finalEvalReturn,
                            summary.finalEvalStd, summary.envSteps, summary.wallSeconds)
        if let ratings = summary.ratings { result += "  ratings \(ratings)" }
        if let spearman = summary.finalSpearman { result += String(format: "  learned-vs-true spearman %.3f", spearman) }
        if let pearson = summary.finalPearson { result += String(format: " pearson %.3f", pearson) }
        if let seconds = summary.rewardTrainingSeconds { result += String(format: "  reward training %.0f s", seconds) }
        print(result)
    }
}

func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
}
