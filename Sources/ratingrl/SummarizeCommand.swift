import ArgumentParser
import Experiments

struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Tabulate final evaluation returns of finished runs (mean ± standard error across seeds).")

    @Argument(help: "Folder holding run folders (searched recursively for summary.json).")
    var folder: String

    func run() throws {
        let table: ResultsTable
        do { table = try ResultsTable(folder: folder) } catch let error as RunError {
            throw ValidationFailure(message: error.description)
        }
        guard !table.rows.isEmpty else { throw ValidationFailure(message: "no finished runs (summary.json) under \(folder)") }
        print(table.markdown)
    }
}
