import ArgumentParser
import BuildInfo
import Control
import Foundation
import NeuralNet
import PPO
import RatingStore
import Ratings
import RunConfiguration
import Training

struct TrainCommand: ParsableCommand {
    /// The shorthands of config and grid files, wrapped for the help text.
    static let shorthandList: String = {
        var lines = [""]
        for (index, name) in ConfigFields.shorthands.map(\.name).enumerated() {
            let word = index == ConfigFields.shorthands.count - 1 ? name : name + ","
            if lines[lines.count - 1].count + word.count > 62 { lines.append("") }
            lines[lines.count - 1] += (lines[lines.count - 1].isEmpty ? "" : " ") + word
        }
        return lines.joined(separator: "\n     ")  // under "Shorthands" once the discussion is dedented
    }()

    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a policy with PPO and write progress, evaluations, a checkpoint and a summary.",
        usage: """
        ratingrl train --task <task> --steps <n> --out <dir> [--method <m>] [options]
        ratingrl train --config <file> --out <dir> [options overriding the file]
        ratingrl train --resume <dir>
        """,
        discussion: """
        Settings come from three places, each overriding the one before:
          1. the defaults of --preset (default quick) for the task and method;
          2. --config FILE: a run's config.json, or a JSON or YAML file with any
             subset of config.json's fields, nested the same way, e.g.
               task: walker-walk
               method: ours
               totalSteps: 1000000          # or: steps: 1000000
               feedback: {classes: 6, training: {stopAccuracy: 1}}
             Shorthands: \(shorthandList);
          3. the options given on the command line.
        Unknown fields and invalid values stop the command before it writes;
        every number has a range (the message names it) and must be finite.

        Steps are rounded up to whole PPO rollouts (quick preset: 2048 steps).
        Rating methods get their first ratings at --first-round (default 32000),
        and only once the first episodes have finished (1000 steps per
        environment); a run that ends before then gets a warning.

        Writes DIR/config.json (fully resolved; usable as --config),
        DIR/progress.csv (one row per PPO update), DIR/evaluations.csv
        (deterministic evaluations: mean true return and each episode's),
        DIR/checkpoint.weights and DIR/summary.json (final_eval_return,
        final_eval_returns, env_steps, wall_seconds, ...).
        The same config and seed give the same progress.csv apart from its two
        timing columns. Rating methods add feedback.jsonl, ratings.jsonl and
        reward_model.weights.

        While it runs, DIR/checkpoints/ holds the two newest run-state
        checkpoints. Ctrl-C or SIGTERM finishes the current update (or
        reward-training epoch), writes one and exits 130 or 143; a second
        Ctrl-C stops at once. `ratingrl train --resume DIR` continues a stopped
        or killed run to the files an uninterrupted run would have written.
        """)

    @Option(help: ArgumentHelp("A run's config.json, or a JSON or YAML file with any of its fields (see below).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Continue the interrupted run in this folder from its last checkpoint, with the settings of its config.json.",
                               valueName: "dir"))
    var resume: String?

    @Option(help: "Task, e.g. cartpole-balance (see `ratingrl envs`).")
    var task: String?

    @Option(help: "Reward the policy learns from (ppo, the default: the true reward; the others: a reward model learned from ratings).")
    var method: TrainingMethod?

    @Option(parsing: .unconditional, help: "Environment steps to train for, 1 to 10^12 (rounded up to whole rollouts).")
    var steps: Int?

    @Option(parsing: .unconditional, help: "Random seed (default 0).", transform: parseSeed)
    var seed: UInt64?

    @Option(help: "Output folder for the run.")
    var out: String?

    @Option(help: "Hyperparameter preset (default quick).")
    var preset: PPOConfig.Preset?

    @Option(help: "Override preset fields: comma-separated key=value, e.g. environments=16,learningRate=1e-4 (keys as in config.json's ppo section).")
    var set: String?

    @Option(parsing: .unconditional, help: "Environment steps between evaluations, 0 to 10^12 (default: a tenth of --steps, at least one rollout).")
    var evalEvery: Int?

    @Option(parsing: .unconditional, help: "Episodes per evaluation, 1 to 10000 (default 10).")
    var evalEpisodes: Int?

    @Option(parsing: .unconditional, help: "Environment steps between checkpoints, 0 to 10^12 (default: at each evaluation).")
    var checkpointEvery: Int?

    @Option(parsing: .unconditional, help: "Threads stepping environments, 1 to 1024 (default: all cores).")
    var workers: Int?

    @OptionGroup(title: "Ratings and reward learning (methods other than ppo)")
    var feedbackOptions: FeedbackOptions

    @Flag(help: "Replace an existing run in --out.")
    var overwrite = false

    @Flag(help: "Print only notes, warnings and the final summary.")
    var quiet = false

    @OptionGroup var modelOptions: ModelOptions

    /// The options given on the command line, as fields of config.json
    /// (which option sets which field: `ConfigField.all`).
    func commandLineFields() throws -> ConfigValue {
        var tree = try configFields(of: self).merging(try configFields(of: feedbackOptions))
        if let ppo = try ppoFields(set) { tree = tree.setting(ppo, at: ["ppo"]) }
        return tree
    }

    /// The resolved configuration: preset defaults ← --config file ← options.
    func resolvedConfig() throws -> TrainingConfig {
        do {
            var overrides = ConfigOverrides()
            if let config { try overrides.addFile(config) }
            try overrides.add(try commandLineFields(), from: "the command line")
            return try overrides.resolve(defaultWorkers: ProcessInfo.processInfo.activeProcessorCount)
        } catch let error as ConfigError {
            throw ValidationFailure(message: error.description)
        }
    }

    func run() throws {
        if let resume {
            guard config == nil, out == nil, !overwrite, case .object(let given) = try commandLineFields(), given.isEmpty else {
                throw ValidationFailure(message: "--resume takes the run's settings from its config.json; give only --resume DIR (and --quiet, --models)")
            }
            return try Self.resume(resume, models: modelOptions.directory(), quiet: quiet)
        }
        let config = try resolvedConfig()
        guard let out else {
            throw ValidationFailure(message: "no output folder given: add --out DIR (the run's files go there)")
        }
        let plan = RunPlanNotes(config)
        for note in plan.notes { printError("note: " + note) }
        for warning in plan.warnings { printError("warning: " + warning) }
        let models = try modelOptions.directory()
        let directory: RunDirectory
        do { directory = try RunDirectory(path: out, overwrite: overwrite) } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        if !quiet {
            print("training \(config.task) with \(config.method) (\(config.preset) preset) for \(config.totalSteps) steps, seed \(config.seed), OpenBLAS \(openBLASCoreName()) kernel, build \(BuildCommit.commit.prefix(12))\(BuildCommit.dirty ? " (dirty)" : "") → \(out)")
        }
        let rater = try Self.rater(config, run: out, models: models)
        try runTraining(quiet: quiet) { output, shouldStop in
            try TrainingRun.run(config, models: models, directory: directory, rater: rater,
                                events: output.handle, shouldStop: shouldStop)
        }
    }

    /// Who rates the run in `run` when its ratings database says: with --wait
    /// the people rating each round in it (created if missing), otherwise its
    /// stored ratings, replayed into labelled segments. nil (the synthetic
    /// rater) when it names no database.
    static func rater(_ config: TrainingConfig, run: String, models: ModelDirectory) throws -> (any Rater)? {
        guard let feedback = config.ratingFeedback, let path = feedback.ratingsDatabase else { return nil }
        do {
            if feedback.waitForRatings == true {
                let database = try RatingDatabase(path: path, task: config.task, classCount: feedback.classes)
                return DatabaseRaters(database: database, run: run) { printError($0) }
            }
            guard FileManager.default.fileExists(atPath: path) else { throw RatingStoreError("\(path) does not exist") }
            // Refuses a database of another task or class count.
            let database = try RatingDatabase(path: path, task: config.task, classCount: feedback.classes)
            let rated = try database.ratedSegments(in: try Suite.make(config.task, models: models))
            printError("learning from \(rated.count) ratings in \(path)")
            return StoredRatings(rated)
        } catch let error as RatingStoreError {
            throw ValidationFailure(message: error.description)
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
        let config = try? JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("config.json"))))
        let rater = try config.flatMap { try Self.rater($0, run: path, models: models) }
        try runTraining(quiet: quiet) { output, shouldStop in
            try TrainingRun.resume(directory: directory, models: models, rater: rater,
                                   events: output.handle, shouldStop: shouldStop)
        }
    }
}
