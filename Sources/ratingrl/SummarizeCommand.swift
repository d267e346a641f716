import ArgumentParser
import Foundation
import Results
import Training

struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Tabulate final evaluation returns of finished runs (mean ± standard error across seeds).",
        discussion: """
            Runs are grouped by every config.json field that differs between them except the seed \
            and fields that cannot change results (workers, checkpoint spacing). Warnings (unreadable \
            run folders, a seed repeated within a group, counted once) go to standard error; \
            unfinished runs are listed after the Markdown table. Several folders are read as one \
            (e.g. two sweeps' roots); runs are then named by folder and path.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, csv }

    @Argument(help: ArgumentHelp("Folders holding run folders (searched recursively for config.json and summary.json).",
                                 valueName: "folder"))
    var folders: [String]

    @Option(help: "Output format: markdown or csv.")
    var format: Format = .markdown

    @Option(help: ArgumentHelp(
        "Also tabulate each run's mean return over its last K evaluations (mean ± s.e. over seeds).",
        discussion: "Steadier than the final evaluation alone when returns swing from one evaluation to the next.",
        valueName: "K"))
    var lastEvaluations: Int?

    @Option(help: ArgumentHelp(
        "Compare two methods task by task: A:B, e.g. ours:rbrl or ours:ppo (repeatable).",
        discussion: "Per task: mean(A) − mean(B) with a 95 % bootstrap interval, Welch's t-test, p Holm-corrected across tasks, and a verdict only where both agree (else \"inside the noise\").",
        valueName: "A:B"))
    var compare: [String] = []

    @Flag(help: "Also list each rating run's rating histogram and the share of its largest class, and count the runs where one class holds over 90 % of the ratings.")
    var histograms = false

    func validate() throws {
        for pair in compare where pair.split(separator: ":").count != 2 {
            throw ValidationError("--compare takes two methods as A:B, e.g. ours:rbrl (got '\(pair)')")
        }
        if let lastEvaluations, lastEvaluations < 1 {
            throw ValidationError("--last-evaluations must be at least 1 (got \(lastEvaluations))")
        }
    }

    func run() throws {
        let table: ResultsTable
        do { table = try ResultsTable(folders: folders, lastEvaluations: lastEvaluations) } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        for warning in table.warnings { printError("warning: " + warning) }
        guard !table.rows.isEmpty else {
            throw ValidationFailure(message: "no finished runs (summary.json) under \(folders.joined(separator: ", "))"
                                    + (table.unfinished.isEmpty ? "" : "; \(table.unfinished.count) unfinished"))
        }
        switch format {
        case .markdown:
            print(table.markdown)
            if histograms {
                do { print("\n" + RatingHistogram.markdown(try RatingHistogram.of(table.rows))) } catch let error as RunError {
                    throw ValidationFailure(message: error.description)
                }
            }
            for pair in compare {
                let methods = pair.split(separator: ":").map(String.init)
                let (comparisons, notes) = MethodComparison.compare(table.rows, first: methods[0], second: methods[1])
                for note in notes { printError("note: " + note) }
                print(comparisons.isEmpty ? "\nNo task has both \(methods[0]) and \(methods[1]) with two seeds or more."
                                          : "\n" + MethodComparison.markdown(comparisons))
            }
        case .csv:
            print(table.csv, terminator: "")
            for run in table.unfinished { printError("unfinished: \(run.path) (no summary.json)") }
        }
    }
}

