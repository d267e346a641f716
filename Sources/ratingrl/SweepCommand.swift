import ArgumentParser
import Experiments
import Foundation
import Sweep

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train a grid of runs (tasks × methods × classes × seeds × any field), J at a time.",
        usage: """
        ratingrl sweep <grid-file> --out <root> [--jobs <j>] [--dry-run]
        ratingrl sweep --grid paper|smoke --out <root> [--jobs <j>] [--dry-run]
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

        Built-in grids: paper (6 tasks × n = 2..6 × 6 methods × 10 seeds,
        4M steps, paper preset: 1,560 runs, ppo counted once per task and
        seed) and smoke (2 tasks × ppo, ours × 2 seeds, 12,288 steps).
        """)

    @Argument(help: ArgumentHelp("The grid: a JSON or YAML file.", valueName: "grid-file"))
    var gridFile: String?

    @Option(help: "A built-in grid: \(BuiltInGrids.names.joined(separator: " or ")).")
    var grid: String?

    @Option(help: ArgumentHelp("Root folder of the sweep's runs.", valueName: "root"))
    var out: String?

    @Option(parsing: .unconditional, help: "Runs trained at once (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "List the runs (folder, state, estimated time) and the total; start nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Summarise a sweep's runs: finished, interrupted, failed, not started.", valueName: "root"))
    var status: String?

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        if let status {
            guard gridFile == nil && grid == nil && out == nil else {
                throw ValidationFailure(message: "--status ROOT reads the grid saved in ROOT; give no grid, --grid or --out with it")
            }
            print(try sweepErrors { try SweepPlan.load(root: status).statusReport() })
            return
        }
        let tree: ConfigValue, name: String
        switch (gridFile, grid) {
        case (let path?, nil):
            (tree, name) = (try sweepErrors { try ConfigValue.load(path: path) }, path)
        case (nil, let builtIn?):
            guard let text = BuiltInGrids.text(builtIn) else {
                throw ValidationFailure(message: "unknown grid '\(builtIn)'; built-in grids: \(BuiltInGrids.names.joined(separator: ", "))")
            }
            (tree, name) = (try sweepErrors { try ConfigValue.parse(text, name: "grid \(builtIn)") }, "grid \(builtIn)")
        case (nil, nil):
            throw ValidationFailure(message: "no grid given: name a grid file, or --grid \(BuiltInGrids.names.joined(separator: "|"))")
        case (_?, _?):
            throw ValidationFailure(message: "give a grid file or --grid NAME, not both")
        }
        guard let out else { throw ValidationFailure(message: "no root folder given: add --out ROOT (the runs go below it)") }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 else { throw ValidationFailure(message: "--jobs must be at least 1, got \(jobs)") }
        let root = URL(fileURLWithPath: out).standardizedFileURL.path
        let plan = try sweepErrors { try SweepPlan(grid: SweepGrid(tree, name: name), root: root) }
        let conflicts = plan.conflicts()
        guard conflicts.isEmpty else {
            throw ValidationFailure(message: "\(conflicts.count) run folder\(conflicts.count == 1 ? "" : "s") in \(out) hold other runs than this grid asks for (\(conflicts.prefix(3).joined(separator: "; "))\(conflicts.count > 3 ? "; ..." : "")); use another --out or the grid that made them")
        }
        if dryRun {
            print(plan.dryRunReport(jobs: jobs))
            return
        }
        _ = try modelOptions.directory()  // fail here, not in every child
        try sweepErrors { try plan.saveGrid() }
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let terminal = isatty(STDOUT_FILENO) == 1
        let output: @Sendable (String) -> Void = { line in
            print(terminal ? "\r\u{1B}[K" + line : line)
            fflush(nil)
        }
        let rewrite: @Sendable (String) -> Void = { line in
            print("\r\u{1B}[K" + line, terminator: "")
            fflush(nil)
        }
        let models = modelOptions.models.map { ["--models", URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? []
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

    /// Runs `body`, turning library errors into one-line messages.
    private func sweepErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ConfigError {
            throw ValidationFailure(message: error.description)
        } catch let error as SweepError {
            throw ValidationFailure(message: error.description)
        }
    }
}
