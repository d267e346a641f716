import Foundation
import Processes
import Training
#if canImport(Glibc)
import Glibc
#endif

/// Trains a plan's unfinished runs, `jobs` at a time, each as a child
/// `ratingrl train` process: new runs with `--config request.json`, runs
/// that wrote a config.json with `--resume`. A failing run is recorded in its
/// failed.json and does not stop the others. SIGINT or SIGTERM is forwarded
/// to the children (which checkpoint), and the sweep waits for them.
public struct SweepRunner: Sendable {
    /// How a sweep ended.
    public struct Outcome: Sendable, Equatable {
        public var finished = 0
        public var failed = 0
        /// Runs left unfinished (stopped by a signal, or never started).
        public var unfinished = 0
        /// The signal that stopped the sweep, if one did.
        public var stoppedBy: Int32?

        public init(finished: Int = 0, failed: Int = 0, unfinished: Int = 0, stoppedBy: Int32? = nil) {
            self.finished = finished; self.failed = failed; self.unfinished = unfinished; self.stoppedBy = stoppedBy
        }
    }

    public let plan: SweepPlan
    /// The `ratingrl` executable the children run.
    public let executable: String
    public let jobs: Int
    /// Arguments added to every child's command (e.g. --models DIR).
    public let extraArguments: [String]
    /// The children's environment: this one with one BLAS thread.
    public let environment: [String: String]
    /// Writes a line of output (events and, off a terminal, progress).
    public let output: @Sendable (String) -> Void
    /// Rewrites the progress line in place (on a terminal).
    public let progressLine: (@Sendable (String) -> Void)?
    /// Off a terminal, the longest stretch without a progress line while runs
    /// train (a line is also written whenever the counts change).
    public let quietInterval: TimeInterval

    public init(plan: SweepPlan, executable: String, jobs: Int, extraArguments: [String] = [],
                environment: [String: String] = ProcessInfo.processInfo.environment,
                output: @escaping @Sendable (String) -> Void, progressLine: (@Sendable (String) -> Void)? = nil,
                quietInterval: TimeInterval = 600) {
        self.plan = plan
        self.executable = executable
        self.jobs = max(1, jobs)
        self.extraArguments = extraArguments
        var environment = environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        // A run stops (with a checkpoint) when the sweep that started it is gone.
        environment[ParentProcess.variable] = "\(getpid())"
        self.environment = environment
        self.output = output
        self.progressLine = progressLine
        self.quietInterval = quietInterval
    }

    /// The command that (re)starts `run`.
    public func command(for run: SweepRun) -> [String] {
        let folder = plan.path(of: run)
        if RunState.resumes(folder: folder) {
            return [executable, "train", "--resume", folder, "--quiet"] + extraArguments
        }
        return [executable, "train", "--config", folder + "/request.json", "--out", folder, "--quiet"] + extraArguments
    }

    /// The order runs start in: seed by seed (every run of the grid's first
    /// seed, then of its second, ...), so a sweep stopped part-way leaves a
    /// table balanced across tasks and methods; the grid's order within a seed.
    public static func startOrder(_ runs: [SweepRun]) -> [SweepRun] {
        var seedRank: [UInt64: Int] = [:]
        for run in runs where seedRank[run.config.seed] == nil { seedRank[run.config.seed] = seedRank.count }
        return runs.enumerated().sorted { a, b in
            (seedRank[a.element.config.seed]!, a.offset) < (seedRank[b.element.config.seed]!, b.offset)
        }.map(\.element)
    }

    private struct Running {
        let run: SweepRun
        let child: ChildProcess
        let started: Date
    }

    /// Runs every unfinished run; returns when all have ended or, after a
    /// signal, when the running ones have stopped.
    public func run(signals: SignalWatch) -> Outcome {
        let states = Dictionary(plan.runs.map { ($0.folder, plan.state(of: $0)) }) { first, _ in first }
        // Runs another process is training now (their folder is locked) are left to it.
        for run in plan.runs where states[run.folder] == .running {
            output("skipped \(run.folder): it is being trained by another process")
        }
        var queue = Self.startOrder(plan.runs).filter { ![.finished, .running].contains(states[$0.folder]) }
        var outcome = Outcome()
        outcome.finished = plan.runs.filter { states[$0.folder] == .finished }.count
        outcome.unfinished = plan.runs.filter { states[$0.folder] == .running }.count
        var running: [Running] = []
        var forwarded: Int32?
        var lastProgress = Date.distantPast
        var lastLine = ""
        var lastWritten = Date()
        let start = Date()
        queue.reverse()  // pop from the end

        while !queue.isEmpty || !running.isEmpty {
            if let signal = signals.received, forwarded != signal {
                if forwarded == nil {
                    output("received \(signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"); stopping \(running.count) running run\(running.count == 1 ? "" : "s") (they checkpoint); \(queue.count) not started")
                }
                forwarded = signal
                for entry in running { entry.child.send(signal) }
                outcome.unfinished += queue.count
                queue.removeAll()
            }
            while forwarded == nil && running.count < jobs, let run = queue.popLast() {
                let folder = plan.path(of: run)
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    try? FileManager.default.removeItem(atPath: folder + "/" + FailureRecord.fileName)
                    try SweepFiles.write(try run.request.prettyJSON(), to: folder + "/request.json")
                    let command = command(for: run)
                    let child = try ChildProcess(command: command, environment: environment, logPath: folder + "/train.log")
                    running.append(Running(run: run, child: child, started: Date()))
                } catch {
                    recordFailure(of: run, exitCode: nil, signal: nil, command: command(for: run), reason: "\(error)")
                    outcome.failed += 1
                    output("FAILED \(run.folder): \(error)")
                }
            }
            var index = 0
            while index < running.count {
                let entry = running[index]
                guard let ending = entry.child.poll() else { index += 1; continue }
                running.remove(at: index)
                let folder = plan.path(of: entry.run)
                let elapsed = formatDuration(Date().timeIntervalSince(entry.started))
                if RunState(folder: folder) == .finished {
                    outcome.finished += 1
                    let summary = (FileManager.default.contents(atPath: folder + "/summary.json"))
                        .flatMap { try? JSONDecoder().decode(TrainingSummary.self, from: $0) }
                    output("finished \(entry.run.folder) in \(elapsed)"
                           + (summary.map { String(format: ": final return %.1f", $0.finalEvalReturn) } ?? ""))
                } else if let signal = forwarded, ending == .signaled(signal) || ending == .exited(128 + signal) {
                    outcome.unfinished += 1
                    output("stopped \(entry.run.folder) after \(elapsed); a rerun resumes it")
                } else {
                    let (code, signal): (Int32?, Int32?) = switch ending {
                    case .exited(let code): (code, nil)
                    case .signaled(let signal): (nil, signal)
                    }
                    let record = recordFailure(of: entry.run, exitCode: code, signal: signal, command: entry.child.command,
                                                   reason: code == 0 ? "exited without writing summary.json" : nil)
                    outcome.failed += 1
                    output("FAILED \(entry.run.folder) after \(elapsed) (\(record.summary)); see \(folder)/train.log")
                }
            }
            if Date().timeIntervalSince(lastProgress) >= 1 {
                lastProgress = Date()
                let line = progress(outcome: outcome, running: running.map(\.run), queued: queue, start: start)
                if let progressLine { progressLine(line) } else if line != lastLine && running.count > 0 {
                    // Off a terminal (a log file): a new line when the counts change,
                    // and at least every quietInterval so a long run shows its ETA.
                    let counts = line.components(separatedBy: " · ").first
                    if counts != lastLine.components(separatedBy: " · ").first
                        || Date().timeIntervalSince(lastWritten) >= quietInterval {
                        output(line)
                        lastWritten = Date()
                    }
                }
                lastLine = line
            }
            if !running.isEmpty || !queue.isEmpty { usleep(200_000) }
        }
        outcome.stoppedBy = forwarded
        return outcome
    }

    /// Writes the run's failed.json; a record that cannot be written is said
    /// on the output rather than stopping the sweep (its children still run).
    @discardableResult
    private func recordFailure(of run: SweepRun, exitCode: Int32?, signal: Int32?, command: [String],
                               reason: String?) -> FailureRecord {
        let folder = plan.path(of: run)
        var lines = SweepFiles.lastLines(of: folder + "/train.log", count: 20)
        if let reason { lines.append(reason) }
        let record = FailureRecord(exitCode: exitCode, signal: signal, command: command, lastLines: lines,
                                   time: Date().timeIntervalSince1970)
        do { try SweepFiles.writeJSON(record, to: folder + "/" + FailureRecord.fileName) } catch {
            output("cannot record the failure of \(run.folder): \(error)")
        }
        return record
    }

    /// The progress line: runs done / running / failed / left and the ETA,
    /// from the running children's measured speeds (progress.csv), or the
    /// estimate table before any has reported.
    func progress(outcome: Outcome, running: [SweepRun], queued: [SweepRun], start: Date) -> String {
        var remainingSteps = 0.0, rates: [Double] = [], estimatedSeconds = 0.0
        for run in running {
            let target = Double(run.config.updates * run.config.ppo.rolloutSize)
            if let progress = SweepFiles.lastProgress(folder: plan.path(of: run)), progress.seconds > 0 {
                rates.append(Double(progress.steps) / progress.seconds)
                remainingSteps += max(0, target - Double(progress.steps))
            } else {
                remainingSteps += target
            }
            estimatedSeconds += plan.remainingEstimate(of: run)
        }
        for run in queued {
            remainingSteps += Double(run.config.updates * run.config.ppo.rolloutSize)
            estimatedSeconds += plan.remainingEstimate(of: run)
        }
        let parallel = Double(max(1, min(jobs, running.count + queued.count)))
        let eta = rates.isEmpty ? estimatedSeconds / parallel
            : remainingSteps / (rates.reduce(0, +) / Double(rates.count) * parallel)
        return "runs: \(outcome.finished) done, \(running.count) running, \(outcome.failed) failed, \(queued.count) left"
            + " · \(formatDuration(Date().timeIntervalSince(start))) elapsed"
            + (running.isEmpty && queued.isEmpty ? "" : ", ETA \(formatDuration(eta))\(rates.isEmpty ? " (estimated)" : "")")
    }
}
