import Foundation
import Processes

/// What a Slurm job array asks of the cluster, besides its runs.
public struct SlurmSettings: Sendable, Equatable {
    public var partition: String?
    /// Wall-time limit per run (HH:MM:SS, or anything sbatch's --time takes); nil: from the runs' estimates.
    public var time: String?
    public var cpusPerTask = 1
    /// Memory per task (sbatch's --mem, e.g. 4G); nil: the cluster's default.
    public var memory: String?
    /// Most array tasks running at once (the array's %K); nil: no limit.
    public var arrayLimit: Int?
    /// More sbatch options, each written as its own `#SBATCH` line.
    public var extraOptions: [String] = []
    /// Seconds before the time limit at which Slurm sends SIGTERM (the run checkpoints and a resubmission resumes it).
    public var warningSeconds = 120

    public init() {}
}

/// A sweep's runs handed to Slurm as one job array per submission.
///
/// Files in ROOT/slurm: `submit-N.sbatch` (the script), `submit-N.runs` (its
/// run folders, array index K on line K+1), `jobs.jsonl` (one line per
/// submission: job id, script, runs) and `logs/JOB_K.out`. Each array task
/// runs `ratingrl sweep --out ROOT --only RUN --jobs 1`: the same start,
/// resume and failure records as a local sweep, with one BLAS thread.
public struct SlurmBackend: Sendable {
    /// A submission recorded in jobs.jsonl.
    public struct Submission: Codable, Sendable, Equatable {
        public var job: String
        public var script: String
        public var runs: [String]
        public var time: Double
    }

    public let plan: SweepPlan
    /// The `ratingrl` executable array tasks run (a path every node can reach).
    public let executable: String
    /// Arguments added to each task's command (e.g. --models DIR).
    public let extraArguments: [String]
    public let settings: SlurmSettings

    public init(plan: SweepPlan, executable: String, extraArguments: [String] = [], settings: SlurmSettings) {
        self.plan = plan; self.executable = executable; self.extraArguments = extraArguments; self.settings = settings
    }

    public var folder: String { plan.root + "/slurm" }
    var jobsFile: String { folder + "/jobs.jsonl" }

    /// The recorded submissions, oldest first.
    public func submissions() -> [Submission] {
        guard let text = try? String(contentsOfFile: jobsFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Submission.self, from: Data($0.utf8)) }
    }

    /// Which runs to submit: unfinished ones (only the failed ones with
    /// `failedOnly`), less those a process trains now and those queued or
    /// running in Slurm (`queued`: run folder → Slurm state).
    public func runsToSubmit(failedOnly: Bool, queued: [String: String]) -> [SweepRun] {
        SweepRunner.startOrder(plan.runs).filter { run in
            let state = plan.state(of: run)
            guard failedOnly ? state == .failed : (state != .finished && state != .running) else { return false }
            return queued[run.folder] == nil
        }
    }

    /// The wall-time limit per task: the longest run's estimate with a 50 %
    /// margin and 10 minutes for start-up and queueing noise, in whole minutes.
    public func defaultTime(for runs: [SweepRun]) -> String {
        let longest = runs.map { RunTimeEstimate($0.config).seconds }.max() ?? 0
        let minutes = Int((longest * 1.5 / 60).rounded(.up)) + 10
        return String(format: "%02d:%02d:00", minutes / 60, minutes % 60)
    }

    /// The job-array script for `runs`, whose folders are listed in `listPath`.
    public func script(for runs: [SweepRun], listPath: String) -> String {
        var lines = ["#!/bin/bash",
                     "#SBATCH --job-name=ratingrl-sweep",
                     "#SBATCH --array=0-\(runs.count - 1)" + (settings.arrayLimit.map { "%\($0)" } ?? ""),
                     "#SBATCH --ntasks=1",
                     "#SBATCH --cpus-per-task=\(settings.cpusPerTask)",
                     "#SBATCH --time=\(settings.time ?? defaultTime(for: runs))",
                     // B: the signal goes to the batch script, which is `ratingrl sweep` itself (exec below).
                     "#SBATCH --signal=B:TERM@\(settings.warningSeconds)",
                     "#SBATCH --output=\(folder)/logs/%A_%a.out",
                     "#SBATCH --open-mode=append"]
        if let partition = settings.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let memory = settings.memory { lines.append("#SBATCH --mem=\(memory)") }
        lines += settings.extraOptions.map { "#SBATCH \($0)" }
        lines += ["",
                  "# One run per array task: line SLURM_ARRAY_TASK_ID + 1 of the list.",
                  "run=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \(Self.quoted(listPath)))",
                  "export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1",
                  "exec " + ([executable, "sweep", "--out", plan.root].map(Self.quoted)
                             + ["--only", "\"$run\"", "--jobs", "1"] + extraArguments.map(Self.quoted)).joined(separator: " "),
                  ""]
        return lines.joined(separator: "\n")
    }

    /// Writes the script and run list for `runs`, submits them with sbatch and records the job.
    /// - Returns: the job id.
    /// - Throws: `SweepError` when sbatch is missing or refuses (its message, one line).
    public func submit(_ runs: [SweepRun]) throws -> Submission {
        guard let sbatch = ExternalProgram.find("sbatch") else {
            throw SweepError("sbatch was not found on PATH: run on a Slurm login node (or install Slurm's client), or use --backend local")
        }
        try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
        for run in runs {
            try FileManager.default.createDirectory(atPath: plan.path(of: run), withIntermediateDirectories: true)
            try SweepFiles.write(try run.request.prettyJSON(), to: plan.path(of: run) + "/request.json")
        }
        let number = submissions().count + 1
        let stem = folder + "/submit-\(number)"
        try SweepFiles.write(Data(runs.map(\.folder).joined(separator: "\n").appending("\n").utf8), to: stem + ".runs")
        try SweepFiles.write(Data(script(for: runs, listPath: stem + ".runs").utf8), to: stem + ".sbatch")
        let result = try ExternalProgram.run([sbatch, "--parsable", stem + ".sbatch"])
        guard result.status == 0 else {
            let message = result.error.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: "; ")
            throw SweepError("sbatch refused the job array (\(stem).sbatch): \(message.isEmpty ? "exit code \(result.status)" : message)")
        }
        // --parsable prints "JOBID" or "JOBID;CLUSTER".
        let job = String(result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? "")
        let submission = Submission(job: job, script: stem + ".sbatch", runs: runs.map(\.folder), time: Date().timeIntervalSince1970)
        let line = String(decoding: try JSONEncoder().encode(submission), as: UTF8.self) + "\n"
        if !FileManager.default.fileExists(atPath: jobsFile) { _ = FileManager.default.createFile(atPath: jobsFile, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: jobsFile) else { throw SweepError("cannot write \(jobsFile)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.synchronize()
        return submission
    }

    /// Run folders of recorded submissions that Slurm lists as queued or
    /// running (`squeue`), with Slurm's state (e.g. PENDING, RUNNING); empty
    /// when squeue is missing or knows none of the jobs.
    public func queuedRuns() -> [String: String] {
        let submissions = submissions()
        guard !submissions.isEmpty, let squeue = ExternalProgram.find("squeue") else { return [:] }
        let jobs = submissions.map(\.job).joined(separator: ",")
        guard let result = try? ExternalProgram.run([squeue, "-h", "-r", "-j", jobs, "-o", "%i %T"]), result.status == 0 else { return [:] }
        let byJob = Dictionary(submissions.map { ($0.job, $0.runs) }) { _, newer in newer }
        var states: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { continue }
            let id = fields[0].split(separator: "_")
            guard id.count == 2, let runs = byJob[String(id[0])], let index = Int(id[1]), runs.indices.contains(index) else { continue }
            states[runs[index]] = String(fields[1])
        }
        return states
    }

    /// The `--status` lines about Slurm: submissions and what squeue says of their runs.
    public func statusLines() -> [String] {
        let submissions = submissions()
        guard !submissions.isEmpty else { return [] }
        var lines = ["Slurm: \(submissions.count) submission\(submissions.count == 1 ? "" : "s") (jobs \(submissions.map(\.job).joined(separator: ", ")))"]
        guard ExternalProgram.find("squeue") != nil else { return lines + ["  squeue not found on PATH: queued runs unknown"] }
        let queued = queuedRuns()
        let byState = Dictionary(grouping: queued.keys.sorted()) { queued[$0]! }
        if byState.isEmpty { lines.append("  none queued or running in Slurm") }
        for (state, runs) in byState.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(state.lowercased()) in Slurm: \(runs.count)")
            lines += runs.prefix(10).map { "    " + $0 }
            if runs.count > 10 { lines.append("    ... and \(runs.count - 10) more") }
        }
        return lines
    }

    static func quoted(_ text: String) -> String {
        text.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=+:,@".contains($0) }) ? text
            : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
