import BuildInfo
import Control
import Foundation
import NeuralNet
import PPO
import Randomness
import Ratings
import RewardLearning
import RunConfiguration
import TensorBoardEvents

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
    /// Each episode's return in the final evaluation (absent in summaries
    /// written before it was recorded).
    public var finalEvalReturns: [Double]? = nil
    /// The OpenBLAS kernel (e.g. "Haswell") the run was trained with; for a run
    /// resumed under other kernels, each in the order used ("Haswell+SkylakeX"),
    /// which no uninterrupted run repeats. Float sums differ between kernels, so
    /// the same config and seed can follow another trajectory under another one.
    /// Absent in summaries written before it was recorded.
    public var blasKernel: String? = nil
    /// The git commit of the program that finished the run, "(dirty)" when
    /// its tracked files differed from that commit (BuildInfo). Absent in
    /// summaries written before it was recorded.
    public var buildCommit: String? = nil

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
        case finalEvalReturns = "final_eval_returns"
        case blasKernel = "blas_kernel"
        case buildCommit = "build_commit"
    }
}

/// Progress of a run, reported after every update.
public struct TrainingProgress: Sendable {
    public var update: Int
    public var updates: Int
    public var envSteps: Int
    public var totalSteps: Int
    /// Wall seconds of the whole run so far (over every session of a resumed run).
    public var wallSeconds: Double
    /// Of `wallSeconds`, those spent training the reward model.
    public var rewardTrainingSeconds: Double
    /// Estimated reward-training seconds of the rounds still to come (from the
    /// rounds measured so far, scaled by their label-buffer sizes); nil before any was measured.
    public var rewardTrainingSecondsLeft: Double?
    /// Mean true return of the last (up to) 10 finished training episodes.
    public var recentReturn: Double?
    public var evaluation: Evaluation?
    /// The feedback round finished during this update, if any.
    public var feedback: TrainingReport?

    /// Environment steps per second of wall time, reward training included.
    public var stepsPerSecond: Double { wallSeconds > 0 ? Double(envSteps) / wallSeconds : 0 }

    /// Seconds left: the remaining steps at the measured rate of everything but
    /// reward training, plus the estimated reward training still to come.
    public var secondsRemaining: Double {
        let ppoSeconds = wallSeconds - rewardTrainingSeconds
        guard envSteps > 0, ppoSeconds > 0 else { return .infinity }
        return Double(totalSteps - envSteps) * ppoSeconds / Double(envSteps) + (rewardTrainingSecondsLeft ?? 0)
    }
}

/// What a run tells its caller as it goes.
public enum TrainingEvent: Sendable {
    /// An update finished (with its evaluation and feedback round, if any).
    case update(TrainingProgress)
    /// A feedback round begins: `ratings` new ratings, `buffered` in all to train on.
    case roundStarted(round: Int, rounds: Int, ratings: Int, buffered: Int, envSteps: Int)
    /// A reward-training epoch of a round finished.
    case roundEpoch(round: Int, epoch: Int, epochs: Int, accuracy: Double)
    /// A resumed run continues from `checkpoint` at `envSteps`.
    case resumed(envSteps: Int, checkpoint: String)
    /// A resumed run was trained so far under the OpenBLAS kernel `previous` and
    /// continues under `current`: it will not repeat an uninterrupted run.
    case blasKernelChanged(previous: String, current: String)
    /// A checkpoint could not be used (named in `reason`); an older one is tried.
    case checkpointRejected(reason: String)
    /// No usable checkpoint: the run starts again from its first step.
    case restarted(reason: String)
}

/// The training loop: rollout → (reward) → PPO update, with periodic
/// deterministic evaluations and checkpoints, all written to a run folder.
///
/// Files: `config.json` (fully resolved), `progress.csv` (one row per update),
/// `evaluations.csv`, `checkpoint.weights` (the agent, atomic) and
/// `summary.json`; for rating-based methods also `feedback.jsonl` (one line of
/// diagnostics per feedback round), `ratings.jsonl` (every rating with the
/// segment's start state and actions, appended before the reward model trains
/// on it) and `reward_model.weights`. While the run goes on, `checkpoints/`
/// holds the two newest run-state checkpoints, from which `resume` continues
/// it exactly as if it had never stopped; they are removed when it finishes.
/// Every column of `progress.csv` but `wall_seconds` and `steps_per_second`
/// is a pure function of the configuration.
public final class TrainingRun {
    public static let progressColumns = [
        "update", "env_steps", "wall_seconds", "steps_per_second", "train_return", "policy_loss", "value_loss",
        "approx_kl", "clip_fraction", "entropy", "explained_variance", "clip_range",
    ]
    /// Wall seconds between run-state checkpoints, on top of the configured step interval.
    public static let checkpointSeconds = 600.0

    /// Where the run stands. A checkpoint is taken either after a whole update
    /// (`.complete`) or after an update's PPO step, before its feedback rounds
    /// (`.roundsDue`), so that an interrupt during a long round loses nothing before it.
    struct Position {
        enum Phase: Int { case complete = 0, roundsDue = 1 }
        var update = 0
        var phase = Phase.complete
        var envSteps = 0
        var wallSeconds = 0.0
        var recentReturns: [Double] = []
        var lastEvaluation: Evaluation?
        var nextEvaluation = Int.max
        var nextCheckpoint = Int.max
        var pretraining = false
        /// The OpenBLAS kernels the run was trained with so far, in order.
        var blasKernels: [String] = []

        /// A checkpoint file name that sorts by position in the run.
        var name: String { String(format: "update-%08d-%@", update, phase == .roundsDue ? "a" : "b") }
    }

    let config: TrainingConfig
    let directory: RunDirectory
    let session: PPOSession
    let evaluator: Evaluator
    let feedback: FeedbackLoop?
    let learnedReward: RewardSource
    let entropyReward: StateEntropyReward?
    let progressLog: CSVLog
    let evaluationLog: CSVLog
    /// The TensorBoard scalars (tb/events.out.tfevents.*), cut back and appended to like the CSV logs.
    let scalarEvents: EventFile
    var position = Position()
    /// Keeps other processes from training the same folder while this run lives.
    private let lock: RunLock
    private var lastCheckpoint: (name: String, wall: Double)?

    /// Builds every part of a run in one fixed order, so the same config and
    /// seed always give the same run; for a resumed run the logs are cut back
    /// to `logSizes` (progress, evaluations, feedback, ratings, and, from
    /// checkpoints that have it, the TensorBoard event file).
    private init(config: TrainingConfig, models: ModelDirectory, directory: RunDirectory, logSizes: [UInt64]?,
                 lock: RunLock, rater: (any Rater)?) throws {
        if let database = config.ratingFeedback?.ratingsDatabase, rater == nil {
            throw RunError(config.feedback?.waitForRatings == true
                ? "this run waits for people to rate in \(database): give it their ratings (ratingrl train --wait does)"
                : "this run learns from the ratings in \(database): load them first (ratingrl train --ratings-db does)")
        }
        self.config = config
        self.directory = directory
        var root = SeededRandom(seed: config.seed)
        let ppo = config.ppo
        session = try PPOSession(task: config.task, config: ppo, models: models, workers: config.workers, random: &root)
        evaluator = Evaluator(environments: try VectorEnvironment(task: config.task, count: config.evaluationEpisodes,
                                                                  models: models, seed: session.evaluationSeed,
                                                                  workers: config.workers),
                              fixedStarts: config.fixedEvaluationStarts == true)
        self.lock = lock
        if logSizes == nil {
            try directory.removeOldRun()
            try directory.writeJSON(config, to: "config.json")
        }
        progressLog = try CSVLog(path: directory.file("progress.csv"), columns: Self.progressColumns,
                                 keepingBytes: logSizes?[0])
        evaluationLog = try CSVLog(path: directory.file("evaluations.csv"),
                                   columns: EvaluationPoint.columns, keepingBytes: logSizes?[1])
        scalarEvents = try Self.openEventFile(directory: directory, keepingBytes: logSizes.flatMap { $0.count > 4 ? $0[4] : nil })
        let agent = session.agent, collector = session.collector

        // Rating-based methods: a reward model and its feedback loop.
        if let feedbackConfig = config.ratingFeedback {
            let random = root.split()
            let loop = try FeedbackLoop(config: feedbackConfig, inputSize: agent.observationSize + agent.actionSize,
                                        environments: ppo.environments, directory: directory,
                                        initialization: &session.initialization, random: random,
                                        rater: try rater ?? feedbackConfig.rater(),
                                        logSizes: logSizes.map { ($0[2], $0[3]) })
            collector.observer = loop.recorder
            collector.rewardSource = LearnedReward(ensemble: loop.ensemble)
            feedback = loop
        } else {
            feedback = nil
        }
        learnedReward = collector.rewardSource
        // Optional unsupervised pre-training on a state-entropy bonus before the learned reward.
        if let feedback, feedback.config.unsupervisedSteps > 0 {
            entropyReward = StateEntropyReward(k: feedback.config.stateEntropyK)
            collector.rewardSource = entropyReward!
            position.pretraining = true
        } else {
            entropyReward = nil
        }
        position.nextEvaluation = config.evaluationInterval > 0 ? config.evaluationInterval : Int.max
        position.nextCheckpoint = config.checkpointInterval > 0 ? config.checkpointInterval : Int.max
    }

    // MARK: Starting and resuming

    /// Trains a new run of `config` in `directory` and returns its summary.
    /// Nothing is written before the configuration, the models and the folder
    /// have been checked; a run that fails before its first step removes the folder
    /// if this process made it, and never one another process made or trains in.
    /// - Parameters:
    ///   - events: progress, feedback rounds as they go.
    ///   - shouldStop: asked after every update and reward-training epoch; when
    ///     it returns true the run writes a checkpoint and throws `RunInterrupted`.
    ///   - rater: who gives each feedback round its ratings; nil: the synthetic
    ///     rater of `config.feedback`. A run whose config names a ratings database
    ///     needs one: its stored ratings (offline), or the people rating in it (online).
    ///   - blasKernel: the OpenBLAS kernel this process computes with (recorded in the summary and checkpoints).
    public static func run(_ config: TrainingConfig, models: ModelDirectory, directory: RunDirectory,
                           rater: (any Rater)? = nil, blasKernel: String = openBLASCoreName(),
                           events: (TrainingEvent) -> Void = { _ in },
                           shouldStop: () -> Bool = { false }) throws -> TrainingSummary {
        let problems = config.problems
        guard problems.isEmpty else { throw RunError("invalid configuration: " + problems.joined(separator: "; ")) }
        // The folder, then its lock, before anything is written. A process
        // refused the lock (another one trains here) removes nothing; one that
        // made the folder and fails before the first step removes what it wrote.
        let created = try directory.create()
        let lock = try directory.lock()
        let run: TrainingRun
        do {
            run = try TrainingRun(config: config, models: models, directory: directory, logSizes: nil, lock: lock,
                                  rater: rater)
        } catch {
            if created { directory.removeFailedStart() }
            throw error
        }
        run.position.blasKernels = [blasKernel]
        return try run.execute(events: events, shouldStop: shouldStop)
    }

    /// Continues the run in `directory` from its newest usable checkpoint (a
    /// damaged one is reported and the previous one used; with none, the run
    /// starts again from its config.json) and finishes it. The files it ends
    /// with are those of an uninterrupted run, but for timings and unless the
    /// OpenBLAS kernel changed (reported as `.blasKernelChanged`). A finished run
    /// is returned as it is. `rater` is as in `run`.
    public static func resume(directory: RunDirectory, models: ModelDirectory, rater: (any Rater)? = nil,
                              blasKernel: String = openBLASCoreName(),
                              events: (TrainingEvent) -> Void = { _ in },
                              shouldStop: () -> Bool = { false }) throws -> TrainingSummary {
        if let data = FileManager.default.contents(atPath: directory.file("summary.json")),
           let summary = try? JSONDecoder().decode(TrainingSummary.self, from: data) {
            return summary
        }
        let configPath = directory.file("config.json")
        let config: TrainingConfig
        let configData: Data
        do {
            configData = try Data(contentsOf: URL(fileURLWithPath: configPath))
            config = try JSONDecoder().decode(TrainingConfig.self, from: configData)
        } catch {
            throw RunError("cannot resume: \(configPath) is not a run configuration (\(error)); start the run again with --overwrite")
        }
        let problems = config.problems
        guard problems.isEmpty else { throw RunError("cannot resume: \(configPath): " + problems.joined(separator: "; ")) }
        let lock = try directory.lock()

        for file in directory.checkpointFiles() {
            let run: TrainingRun
            do {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CheckpointError.damaged(path: file, detail: "unreadable")
                }
                let archive = try CheckpointArchive(data: data, source: file)
                guard try archive.bytes("run.config") == canonicalJSON(config) else {
                    throw CheckpointError.mismatch(path: file, detail: "it was written for another configuration than \(configPath)")
                }
                let sizes = try archive.integers("run.logSizes")
                guard sizes.count == 4 || sizes.count == 5, sizes.allSatisfy({ $0 >= 0 }) else {
                    throw CheckpointError.damaged(path: file, detail: "log sizes")
                }
                run = try TrainingRun(config: config, models: models, directory: directory,
                                      logSizes: sizes.map { UInt64($0) }, lock: lock, rater: rater)
                try run.restore(from: archive)
                run.lastCheckpoint = (run.position.name, run.position.wallSeconds)
            } catch let error as CheckpointError {
                events(.checkpointRejected(reason: error.description))
                continue
            }
            events(.resumed(envSteps: run.position.envSteps, checkpoint: file))
            if run.position.blasKernels.last != blasKernel {
                if let previous = run.position.blasKernels.last {
                    events(.blasKernelChanged(previous: previous, current: blasKernel))
                }
                run.position.blasKernels.append(blasKernel)
            }
            return try run.execute(events: events, shouldStop: shouldStop)
        }
        events(.restarted(reason: "no usable checkpoint in \(directory.file(RunDirectory.checkpointFolder))"))
        let run = try TrainingRun(config: config, models: models, directory: directory, logSizes: nil, lock: lock,
                                  rater: rater)
        run.position.blasKernels = [blasKernel]
        return try run.execute(events: events, shouldStop: shouldStop)
    }

    // MARK: The loop

    private func execute(events: (TrainingEvent) -> Void, shouldStop: () -> Bool) throws -> TrainingSummary {
        let ppo = config.ppo, agent = session.agent, collector = session.collector
        let clock = ContinuousClock()
        let sessionStart = clock.now
        let wallAtStart = position.wallSeconds
        func wall() -> Double {
            let elapsed = clock.now - sessionStart
            return wallAtStart + Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }

        while position.phase == .roundsDue || position.update < config.updates {
            if position.phase == .complete {
                position.update += 1
                position.envSteps += try session.collect()
                for episode in collector.takeFinishedEpisodes() { position.recentReturns.append(episode.trueReturn) }
                position.recentReturns = Array(position.recentReturns.suffix(10))

                // SB3 anneals with the progress remaining after this rollout.
                let remaining = max(0, 1 - Float(position.envSteps) / Float(config.totalSteps))
                let clipRange = ppo.annealClipRange ? ppo.clipRange * remaining : ppo.clipRange
                let learningRate = ppo.annealLearningRate ? ppo.learningRate * remaining : ppo.learningRate
                let statistics = session.update(clipRange: clipRange, learningRate: learningRate)
                guard statistics.policyLoss.isFinite && statistics.valueLoss.isFinite else {
                    throw RunError("update \(position.update): the loss became \(statistics.policyLoss.isFinite ? statistics.valueLoss : statistics.policyLoss); stopping before training on it. Try a lower learning rate.")
                }
                position.wallSeconds = wall()
                let trainReturn = recentReturn
                progressLog.append([position.update, position.envSteps, Self.format(position.wallSeconds),
                                    Self.format(Double(position.envSteps) / position.wallSeconds),
                                    trainReturn.map(Self.format) ?? "", Self.format(statistics.policyLoss),
                                    Self.format(statistics.valueLoss), Self.format(statistics.approximateKL),
                                    Self.format(statistics.clipFraction), Self.format(statistics.entropy),
                                    Self.format(statistics.explainedVariance), Self.format(Double(clipRange))])
                scalarEvents.write(step: position.envSteps, scalars: TrainingScalars.update(
                    statistics, trainReturn: trainReturn, stepsPerSecond: Double(position.envSteps) / position.wallSeconds,
                    clipRange: clipRange, learningRate: learningRate))

                if position.pretraining && position.envSteps >= (feedback?.config.unsupervisedSteps ?? 0) {
                    collector.rewardSource = learnedReward
                    agent.resetValueFunction(random: &session.initialization)
                    position.pretraining = false
                }
                position.phase = .roundsDue
            }

            // Feedback rounds due by now (between updates, as the reward changes only then),
            // after a checkpoint: a round can take minutes, and an interrupt abandons it.
            var roundReport: TrainingReport?
            if let feedback, feedback.hasDueRound(envSteps: position.envSteps) {
                position.wallSeconds = wall()
                try writeCheckpoint()
                if shouldStop() { throw RunInterrupted(envSteps: position.envSteps, directory: directory.path) }
                roundReport = try feedback.runDueRounds(envSteps: position.envSteps, normalizer: agent.normalizer,
                                                        events: events, shouldStop: shouldStop)
                if let roundReport { scalarEvents.write(step: position.envSteps, scalars: TrainingScalars.feedbackRound(roundReport)) }
            }

            var evaluation: Evaluation?
            let isLast = position.update == config.updates
            if position.envSteps >= position.nextEvaluation || isLast {
                evaluation = try evaluator.evaluate(agent)
                evaluationLog.append([position.envSteps, Self.format(evaluation!.meanReturn),
                                      Self.format(evaluation!.standardDeviation), evaluation!.returns.count,
                                      evaluation!.returns.map(Self.format).joined(separator: " ")])
                scalarEvents.write(step: position.envSteps, scalars: TrainingScalars.evaluation(evaluation!))
                position.lastEvaluation = evaluation
                while position.nextEvaluation <= position.envSteps { position.nextEvaluation += config.evaluationInterval }
            }
            position.phase = .complete
            position.wallSeconds = wall()
            if position.envSteps >= position.nextCheckpoint || isLast {
                try agent.save(to: directory.file("checkpoint.weights"))
                while position.nextCheckpoint <= position.envSteps { position.nextCheckpoint += config.checkpointInterval }
                if !isLast { try writeCheckpoint() }
            } else if position.wallSeconds - (lastCheckpoint?.wall ?? 0) >= Self.checkpointSeconds {
                try writeCheckpoint()
            }
            events(.update(TrainingProgress(
                update: position.update, updates: config.updates, envSteps: position.envSteps,
                totalSteps: config.updates * ppo.rolloutSize, wallSeconds: position.wallSeconds,
                rewardTrainingSeconds: feedback?.trainingSeconds ?? 0, rewardTrainingSecondsLeft: rewardSecondsLeft,
                recentReturn: recentReturn, evaluation: evaluation, feedback: roundReport)))
            if !isLast && shouldStop() {
                try writeCheckpoint()
                throw RunInterrupted(envSteps: position.envSteps, directory: directory.path)
            }
        }

        let summary = TrainingSummary(task: config.task, method: config.method.rawValue, seed: config.seed,
                                      finalEvalReturn: position.lastEvaluation!.meanReturn,
                                      finalEvalStd: position.lastEvaluation!.standardDeviation,
                                      envSteps: position.envSteps, wallSeconds: wall(), updates: config.updates,
                                      finalTrainReturn: recentReturn, physicsFailures: collector.physicsFailures,
                                      ratings: feedback?.ratingCount, finalSpearman: feedback?.lastReport?.spearman,
                                      finalPearson: feedback?.lastReport?.pearson,
                                      rewardTrainingSeconds: feedback?.trainingSeconds,
                                      finalEvalReturns: position.lastEvaluation!.returns,
                                      blasKernel: position.blasKernels.joined(separator: "+"), buildCommit: BuildCommit.description)
        try directory.writeJSON(summary, to: "summary.json")
        directory.removeCheckpoints()
        return summary
    }

    private var recentReturn: Double? {
        position.recentReturns.isEmpty ? nil : position.recentReturns.reduce(0, +) / Double(position.recentReturns.count)
    }

    /// Reward-training seconds still to come, assuming a round's time grows with its label buffer.
    private var rewardSecondsLeft: Double? {
        guard let feedback, feedback.roundsDone > 0 else { return nil }
        let schedule = feedback.config.schedule
        func buffer(_ round: Int) -> Double { Double(min(schedule.total, schedule.perRound * (round + 1))) }
        let done = (0..<feedback.roundsDone).reduce(0) { $0 + buffer($1) }
        // Only the rounds due before the run ends.
        let lastStep = config.updates * config.ppo.rolloutSize
        let left = (feedback.roundsDone..<schedule.rounds).filter { schedule.stepsForRound($0) <= lastStep }
            .reduce(0) { $0 + buffer($1) }
        return feedback.trainingSeconds / done * left
    }

    static func format(_ value: Double) -> String { String(format: "%.6g", value) }

    /// The run's TensorBoard event file: a new one in tb/, or the one there cut
    /// back to `keepingBytes`. A checkpoint written before runs had event files
    /// (`keepingBytes` nil on resume) starts a new file.
    private static func openEventFile(directory: RunDirectory, keepingBytes: UInt64?) throws -> EventFile {
        let folder = directory.file(RunDirectory.eventFolder)
        if let keepingBytes {
            guard let path = EventFile.existing(in: folder) else {
                throw RunError("cannot resume: \(folder) should hold the run's one TensorBoard event file (events.out.tfevents.*)")
            }
            return EventFile(appendingTo: try openLog(path: path, header: Data(), keepingBytes: keepingBytes))
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return EventFile(appendingTo: try openLog(path: folder + "/" + EventFile.fileName(startTime: Date()),
                                                  header: EventFile.fileVersionRecord(), keepingBytes: nil))
    }

    // MARK: Checkpoints

    /// Writes the whole run state at the current position (once per position).
    private func writeCheckpoint() throws {
        let name = position.name
        guard lastCheckpoint?.name != name else { return }
        var archive = CheckpointArchive()
        try write(to: &archive)
        try directory.writeCheckpoint(archive.encoded(), position: name)
        lastCheckpoint = (name, position.wallSeconds)
    }

    private func write(to archive: inout CheckpointArchive) throws {
        archive.put("run.config", bytes: try Self.canonicalJSON(config))
        archive.put("run.position", integers: [position.update, position.phase.rawValue, position.envSteps,
                                               position.nextEvaluation, position.nextCheckpoint,
                                               position.pretraining ? 1 : 0])
        archive.put("run.wallSeconds", doubles: [position.wallSeconds])
        archive.put("run.recentReturns", doubles: position.recentReturns)
        archive.put("run.blasKernels", bytes: Data(position.blasKernels.joined(separator: "\n").utf8))
        if let evaluation = position.lastEvaluation {
            archive.put("run.lastEvaluation", doubles: [evaluation.meanReturn, evaluation.standardDeviation] + evaluation.returns)
        }
        archive.put("run.logSizes", integers: [progressLog.size, evaluationLog.size, feedback?.feedbackLog.size ?? 0,
                                               feedback?.ratingLog.size ?? 0, scalarEvents.size].map { Int($0) })
        archive.put("session.random", words: session.randomStreams.flatMap(\.stateWords))
        let agent = session.agent
        archive.put(tensors: agent.tensors, prefix: "agent")
        archive.put("agent.normalizer", doubles: agent.normalizer.mean + agent.normalizer.variance + [agent.normalizer.count])
        let collector = session.collector.state
        archive.put("collector.environments", snapshots: collector.environments)
        archive.put("collector.observations", rows: collector.rawObservations)
        archive.put("collector.episodeStarts", integers: collector.episodeStarts.map { $0 ? 1 : 0 })
        archive.put("collector.returns", doubles: collector.trueReturns + collector.learnedReturns)
        archive.put("collector.physicsFailures", integers: [collector.physicsFailures])
        archive.put("evaluation.environments", snapshots: evaluator.environments.snapshots())
        if let entropyReward {
            let state = entropyReward.state
            archive.put("entropy.memory", floats: state.memory)
            archive.put("entropy.counters", integers: [state.stored, state.next, state.width])
        }
        try feedback?.write(to: &archive)
    }

    private func restore(from archive: CheckpointArchive) throws {
        func damaged(_ detail: String) -> CheckpointError { .damaged(path: archive.source, detail: detail) }
        do {
            let p = try archive.integers("run.position")
            guard p.count == 6, let phase = Position.Phase(rawValue: p[1]), (0...config.updates).contains(p[0]) else {
                throw damaged("run position")
            }
            position.update = p[0]; position.phase = phase; position.envSteps = p[2]
            position.nextEvaluation = p[3]; position.nextCheckpoint = p[4]; position.pretraining = p[5] == 1
            position.wallSeconds = try archive.doubles("run.wallSeconds").first ?? 0
            position.recentReturns = try archive.doubles("run.recentReturns")
            // Absent in checkpoints written before kernels were recorded.
            if archive.has("run.blasKernels") {
                let names = String(decoding: try archive.bytes("run.blasKernels"), as: UTF8.self)
                position.blasKernels = names.split(separator: "\n").map(String.init)
            }
            if archive.has("run.lastEvaluation") {
                let values = try archive.doubles("run.lastEvaluation")
                guard values.count >= 2 else { throw damaged("last evaluation") }
                position.lastEvaluation = Evaluation(meanReturn: values[0], standardDeviation: values[1],
                                                     returns: Array(values.dropFirst(2)))
            }
            let words = try archive.words("session.random")
            let streams = (0..<(words.count / 6)).compactMap { SeededRandom(stateWords: Array(words[(6 * $0)..<(6 * $0 + 6)])) }
            guard streams.count == 3, words.count == 18 else { throw damaged("session random streams") }
            session.randomStreams = streams

            let agent = session.agent
            try agent.load(tensors: archive.tensors(prefix: "agent"))
            let statistics = try archive.doubles("agent.normalizer")
            let size = agent.normalizer.size
            guard statistics.count == 2 * size + 1 else { throw damaged("normaliser for \(statistics.count / 2) inputs") }
            try agent.normalizer.restore(mean: Array(statistics[0..<size]), variance: Array(statistics[size..<(2 * size)]),
                                         count: statistics[2 * size])

            let returns = try archive.doubles("collector.returns")
            let n = returns.count / 2
            let collectorState = RolloutCollector.State(
                environments: try archive.snapshots("collector.environments"),
                rawObservations: try archive.rows("collector.observations"),
                episodeStarts: try archive.integers("collector.episodeStarts").map { $0 == 1 },
                trueReturns: Array(returns[0..<n]), learnedReturns: Array(returns[n...]),
                physicsFailures: try archive.integer("collector.physicsFailures"))
            try session.collector.restore(collectorState, agent: agent)
            let evaluationSnapshots = try archive.snapshots("evaluation.environments")
            try evaluator.environments.restore(evaluationSnapshots,
                                               observations: Array(repeating: [], count: evaluationSnapshots.count))
            if let entropyReward {
                let counters = try archive.integers("entropy.counters")
                let memory = try archive.floats("entropy.memory")
                guard counters.count == 3, memory.count == counters[2] * entropyReward.capacity,
                      (0...entropyReward.capacity).contains(counters[0]),
                      (0..<entropyReward.capacity).contains(counters[1]) else { throw damaged("state-entropy memory") }
                entropyReward.state = .init(memory: memory, stored: counters[0], next: counters[1], width: counters[2])
            }
            session.collector.rewardSource = position.pretraining ? entropyReward! : learnedReward
            try feedback?.restore(from: archive)
        } catch let error as CheckpointError {
            throw error
        } catch {
            // Sizes or values that do not fit this run's networks and environments.
            throw CheckpointError.mismatch(path: archive.source, detail: "\(error)")
        }
    }

    /// The configuration's JSON with sorted keys: the same for the same configuration.
    static func canonicalJSON(_ config: TrainingConfig) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(config)
    }
}
