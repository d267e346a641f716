import ArgumentParser
import Foundation
import Processes
import RunConfiguration
import Sweep

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train a grid of runs (tasks × methods × classes × seeds × any field), J at a time.",
        usage: """
        ratingrl sweep <grid-file> --out <root> [--jobs <j>] [--dry-run]
        ratingrl sweep --grid paper|smoke --out <root> [--jobs <j>] [--dry-run]
        ratingrl sweep --out <root> [--only <run> ...]     (continue the grid saved in root)
        ratingrl sweep <grid-file> --out <root> --backend slurm [--partition <p>] [--time <t>] [--dry-run] [--resubmit-failed]
        ratingrl sweep --status <root>
        """,
        discussion: """
        A grid file (JSON or YAML) holds fields of a run's config.json, any
        subset, nested the same way, with shorthands (tasks, methods, seeds,
        steps, classes, preset, alpha, stopAccuracy, firstRound, ... as in
        `ratingrl train --help`). A field given a list of values is an axis;
        the runs are the cross product of the axes, e.g.
          tasks: [cartpole-balance, walker-walk]
          methods: [ppo, rbrl, ours]
          classes: [2, 4]
          seeds: [1, 2, 3]
          steps: 1000000
          alpha: [0.01, 0.1]
          feedback: {training: {stopAccuracy: [0.97, 1]}}
        For fields that are lists themselves (ppo.hiddenSizes) an axis is a
        list of lists. Rating settings do not apply to ppo: its runs drop them
        and run once per task, seed and other axis, not once per n. Every
        run's configuration is checked before any starts.

        Each run trains in ROOT/TASK/METHOD/nCLASSES/[AXES/]seedSEED (no
        nCLASSES for ppo; AXES names the other axes' values, e.g.
        alpha0.01-stopAccuracy1) as a child `ratingrl train --config
        request.json --quiet` with workers 1 and one BLAS thread; its output
        goes to train.log there. Runs start seed by seed, so a sweep stopped
        part-way leaves a table balanced across tasks and methods. A run with summary.json is finished and
        skipped; one with config.json but no summary.json was interrupted and
        continues with `ratingrl train --resume`; a failed run (failed.json:
        exit code and last log lines) is retried by the next sweep. The grid
        is saved as ROOT/sweep.json; a run folder holding another run than
        the grid asks for stops the sweep before it starts. Ctrl-C (SIGINT)
        or SIGTERM stops the running children (they checkpoint) and exits
        130 or 143. Times in --dry-run are estimates from speeds measured on
        one unloaded core, reward training counted as if no round stopped
        early.

        --backend slurm hands the unfinished runs to Slurm as one job array
        (ROOT/slurm/submit-N.sbatch, submitted with sbatch; --dry-run prints
        the script instead): each array task runs `ratingrl sweep --out ROOT
        --only RUN --jobs 1`, so it starts or resumes its run exactly as a
        local sweep does. Slurm sends SIGTERM 120 s before the time limit and
        the run checkpoints; submit again (the same command) and interrupted,
        failed and new runs go out in a new array, while runs queued or
        running in Slurm (squeue) or locked by a process are left alone.
        --resubmit-failed sends only the failed ones. --time defaults to the
        longest run's estimate plus 50 % and 10 minutes. The executable's
        path and the run folders must be visible from the compute nodes
        (a shared filesystem).

        Built-in grids: paper (6 tasks × n = 2..6 × 6 methods × 10 seeds,
        4M steps, paper preset: 1,560 runs, ppo counted once per task and
        seed) and smoke (2 tasks × ppo, ours × 2 seeds, 12,288 steps).
        """)

    @Argument(help: ArgumentHelp("The grid: a JSON or YAML file.", valueName: "grid-file"))
    var gridFile: String?

    @Option(help: "A built-in grid.")
    var grid: BuiltInGrids.Name?

    @Option(help: ArgumentHelp("Root folder of the sweep's runs.", valueName: "root"))
    var out: String?

    @Option(parsing: .unconditional, help: "Runs trained at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "List the runs (folder, state, estimated time) and the total; start nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Summarise a sweep's runs: finished, interrupted, failed, not started (and queued in Slurm).", valueName: "root"))
    var status: String?

    @Option(help: ArgumentHelp("Train only this run of the grid (its folder below ROOT); repeatable.", valueName: "run"))
    var only: [String] = []

    @Option(help: "Where runs train: local (child processes here) or slurm (a job array through sbatch).")
    var backend = Backend.local

    /// Where a sweep's runs train.
    enum Backend: String, CaseIterable, ExpressibleByArgument { case local, slurm }

    @Option(help: ArgumentHelp("Slurm partition.", valueName: "name"))
    var partition: String?

    @Option(help: ArgumentHelp("Slurm time limit per run (default: the longest run's estimate + 50 % + 10 min).", valueName: "HH:MM:SS"))
    var time: String?

    @Option(help: "Slurm CPUs per task.")
    var cpusPerTask = 1

    @Option(help: ArgumentHelp("Slurm memory per task (e.g. 4G).", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("Most Slurm array tasks running at once.", valueName: "K"))
    var arrayLimit: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("More sbatch options, e.g. \"--account=abc --qos=low\" (each word becomes an #SBATCH line).", valueName: "options"))
    var sbatchArgs: String?

    @Flag(help: "With --backend slurm: submit only the runs whose last attempt failed.")
    var resubmitFailed = false

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        if let status {
            guard gridFile == nil && grid == nil && out == nil else {
                throw ValidationFailure(message: "--status ROOT reads the grid saved in ROOT; give no grid, --grid or --out with it")
            }
            let plan = try sweepErrors { try SweepPlan.load(root: status) }
            print(([plan.statusReport()] + SlurmBackend(plan: plan, executable: "", settings: SlurmSettings()).statusLines())
                .joined(separator: "\n"))
            return
        }
        guard let out else { throw ValidationFailure(message: "no root folder given: add --out ROOT (the runs go below it)") }
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        var plan: SweepPlan
        switch (gridFile, grid) {
        case (let path?, nil):
            let tree = try sweepErrors { try ConfigValue.load(path: path) }
            plan = try sweepErrors { try SweepPlan(grid: SweepGrid(tree, name: path), root: root) }
        case (nil, let builtIn?):
            let tree = try sweepErrors { try ConfigValue.parse(builtIn.text, name: "grid \(builtIn.rawValue)") }
            plan = try sweepErrors { try SweepPlan(grid: SweepGrid(tree, name: "grid \(builtIn.rawValue)"), root: root) }
        case (nil, nil):
            guard FileManager.default.fileExists(atPath: root + "/" + SweepPlan.gridFileName) else {
                throw ValidationFailure(message: "no grid given: name a grid file, or --grid \(BuiltInGrids.Name.allCases.map(\.rawValue).joined(separator: "|")), or an --out ROOT that holds a sweep")
            }
            plan = try sweepErrors { try SweepPlan.load(root: root) }
        case (_?, _?):
            throw ValidationFailure(message: "give a grid file or --grid NAME, not both")
        }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 else { throw ValidationFailure(message: "--jobs must be at least 1, got \(jobs)") }
        if let message = plan.savedGridDiffers() { throw ValidationFailure(message: message) }
        let conflicts = plan.conflicts()
        guard conflicts.isEmpty else {
            throw ValidationFailure(message: "\(conflicts.count) run folder\(conflicts.count == 1 ? "" : "s") in \(out) hold other runs than this grid asks for (\(conflicts.prefix(3).joined(separator: "; "))\(conflicts.count > 3 ? "; ..." : "")); use another --out or the grid that made them")
        }
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let models = modelOptions.models.map { ["--models", URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? []
        if backend == .slurm {
            try submitToSlurm(plan, executable: executable, models: models)
            return
        }
        if resubmitFailed { throw ValidationFailure(message: "--resubmit-failed is for --backend slurm; a local sweep retries failed runs anyway") }
        if !only.isEmpty { plan = try sweepErrors { try plan.restricted(to: only) } }
        if dryRun {
            print(plan.dryRunReport(jobs: jobs))
            return
        }
        _ = try modelOptions.directory()  // fail here, not in every child
        try sweepErrors { try plan.saveGrid() }
        let terminal = isatty(STDOUT_FILENO) == 1
        let output: @Sendable (String) -> Void = { line in
            print(terminal ? "\r\u{1B}[K" + line : line)
            fflush(nil)
        }
        let rewrite: @Sendable (String) -> Void = { line in
            print("\r\u{1B}[K" + line, terminator: "")
            fflush(nil)
        }
        let runner = SweepRunner(plan: plan, executable: executable, jobs: jobs, extraArguments: models,
                                 output: output, progressLine: terminal ? rewrite : nil)
        let toRun = plan.runs.filter { plan.state(of: $0) != .finished }.count
        print("sweep: \(plan.runs.count) runs in \(out), \(plan.runs.count - toRun) already finished; training \(toRun), \(jobs) at a time")
        let outcome = runner.run(signals: SignalWatch())
        if terminal { print("") }
        print("sweep: \(outcome.finished) finished, \(outcome.failed) failed, \(outcome.unfinished) unfinished"
              + (outcome.failed > 0 ? " (failed runs have failed.json; a rerun retries them)" : ""))
        if let signal = outcome.stoppedBy { throw ExitCode(128 + signal) }
        if outcome.failed > 0 { throw ExitCode(1) }
    }

    /// Writes and submits (or, with --dry-run, prints) a job array of the runs left to train.
    private func submitToSlurm(_ plan: SweepPlan, executable: String, models: [String]) throws {
        var settings = SlurmSettings()
        settings.partition = partition
        settings.time = time
        settings.cpusPerTask = cpusPerTask
        settings.memory = mem
        settings.arrayLimit = arrayLimit
        settings.extraOptions = sbatchArgs.map { $0.split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
        guard cpusPerTask >= 1 else { throw ValidationFailure(message: "--cpus-per-task must be at least 1") }
        if let arrayLimit, arrayLimit < 1 { throw ValidationFailure(message: "--array-limit must be at least 1") }
        guard only.isEmpty else { throw ValidationFailure(message: "--only is for local sweeps (Slurm's array tasks use it)") }
        let slurm = SlurmBackend(plan: plan, executable: executable, extraArguments: models, settings: settings)
        let queued = slurm.queuedRuns()
        let runs = slurm.runsToSubmit(failedOnly: resubmitFailed, queued: queued)
        let finished = plan.runs.filter { plan.state(of: $0) == .finished }.count
        guard !runs.isEmpty else {
            print("sweep: nothing to submit: \(plan.runs.count) runs in \(plan.root), \(finished) finished, \(queued.count) queued or running in Slurm"
                  + (resubmitFailed ? ", none failed" : ""))
            return
        }
        if dryRun {
            print(slurm.script(for: runs, listPath: slurm.folder + "/submit-N.runs"))
            print("# \(runs.count) run\(runs.count == 1 ? "" : "s") would be submitted (listed in submit-N.runs):")
            print(runs.map { "#   " + $0.folder }.joined(separator: "\n"))
            return
        }
        _ = try modelOptions.directory()
        try sweepErrors { try plan.saveGrid() }
        let submission = try sweepErrors { try slurm.submit(runs) }
        print("sweep: submitted \(runs.count) run\(runs.count == 1 ? "" : "s") as Slurm job array \(submission.job) (\(submission.script)); "
              + "\(finished) already finished, \(queued.count) queued or running; `ratingrl sweep --status \(plan.root)` follows them")
    }

    /// Runs `body`, turning library errors into one-line messages.
    private func sweepErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ConfigError {
            throw ValidationFailure(message: error.description)
        } catch let error as SweepError {
            throw ValidationFailure(message: error.description)
        }
    }
}
