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

    @Option(help: ArgumentHelp("Continue the interrupted run in this folder from its last checkpoint.",
                               discussion: "Takes everything from the folder's config.json; the other run settings must not be given.",
                               valueName: "dir"))
    var resume: String?

    @Option(help: "Task, e.g. cartpole-balance (see `ratingrl envs`).")
    var task: String?

    @Option(help: "Reward the policy learns from: \(TrainingConfig.methods.joined(separator: ", ")) (ppo: the true reward; the others: a reward model learned from ratings).")
    var method = "ppo"

    @Option(help: "Environment steps to train for.")
    var steps: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Output folder for the run.")
    var out: String?

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
        if let resume {
            guard task == nil, steps == nil, out == nil, !overwrite else {
                throw ValidationFailure(message: "--resume takes the run's settings from its config.json; do not give --task, --steps, --out or --overwrite with it")
            }
            return try Self.resume(resume, models: modelOptions.directory(), quiet: quiet)
        }
        guard let task, let steps, let out else {
            throw ValidationFailure(message: "give --task, --steps and --out to start a run, or --resume DIR to continue one")
        }
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
        let directory: RunDirectory
        do { directory = try RunDirectory(path: out, overwrite: overwrite) } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        if !quiet {
            print("training \(task) with \(method) (\(preset) preset) for \(steps) steps, seed \(seed) → \(out)")
        }
        try runTraining(quiet: quiet) { output, shouldStop in
            try TrainingRun.run(config, models: models, directory: directory, events: output.handle, shouldStop: shouldStop)
        }
    }

    /// `--resume DIR`: continues the run in DIR from its last checkpoint.
    static func resume(_ path: String, models: ModelDirectory, quiet: Bool) throws {
        let directory: RunDirectory
        do { directory = try RunDirectory(existing: path) } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        if FileManager.default.fileExists(atPath: directory.file("summary.json")) {
            print("\(path) has finished (summary.json); nothing to resume")
        }
        try runTraining(quiet: quiet) { output, shouldStop in
            try TrainingRun.resume(directory: directory, models: models, events: output.handle, shouldStop: shouldStop)
        }
    }
}

func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
}
