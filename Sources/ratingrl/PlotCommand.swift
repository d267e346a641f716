import ArgumentParser
import Foundation
import Results

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write tidy CSV tables of all runs and draw the paper's figures from them (SVG and PNG).",
        discussion: """
            Writes OUT/runs.csv (one row per run and evaluation) and OUT/feedback.csv (one row per \
            run and feedback round), every config.json field a column, then runs scripts/plot/plot.py \
            with the plotting environment's Python (matplotlib and rliable; `make plot-deps` creates it) \
            to draw learning curves, final returns (per task and n, and against n where several were rated), an aggregate across tasks and the feedback rounds. \
            A figure without data is skipped with a note. Several folders are read as one (e.g. two \
            sweeps' roots).
            """)

    @Argument(help: ArgumentHelp("Folders holding run folders (searched recursively).", valueName: "folder"))
    var folders: [String]

    @Option(help: "Folder for the tables and figures (created if needed).")
    var out: String

    @Option(help: ArgumentHelp(
        "Python interpreter or venv with matplotlib and rliable.",
        discussion: "Defaults to $RATINGRL_PYTHON, then ./.venv-plot, then a .venv-plot folder above the executable.",
        valueName: "path"))
    var python: String?

    @Option(help: ArgumentHelp("A line printed under every figure, e.g. the commit and the command that made the runs.",
                               valueName: "text"))
    var stamp: String?

    func run() throws {
        let catalog: RunCatalog
        do { catalog = try RunCatalog(roots: folders) } catch { throw CleanExit.failure(error) }
        guard !catalog.runs.isEmpty else {
            for warning in catalog.warnings { printError("warning: " + warning) }
            throw ValidationFailure(message: "no runs (config.json) under \(folders.joined(separator: ", "))")
        }
        let tables = TidyTables(catalog: catalog)
        for warning in catalog.warnings + tables.warnings { printError("warning: " + warning) }
        do { try tables.write(to: out) } catch { throw CleanExit.failure(error) }
        // Unbuffered, so that it comes before the script's own lines.
        FileHandle.standardOutput.write(Data("wrote \(out)/runs.csv (\(tables.runRows) rows, \(catalog.runs.count) runs) and \(out)/feedback.csv (\(tables.feedbackRows) rows)\n".utf8))

        let environment: PlotEnvironment
        do {
            environment = try PlotEnvironment.locate(explicit: python)
            try environment.checkModules()
        } catch { throw CleanExit.failure(error) }
        let status = try environment.runScript(["--tables", out, "--out", out] + (stamp.map { ["--stamp", $0] } ?? []))
        guard status == 0 else {
            throw ValidationFailure(message: "\(environment.script) failed (exit \(status)); its message is above")
        }
    }
}
