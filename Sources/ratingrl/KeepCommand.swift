import ArgumentParser
import Foundation
import Results

struct KeepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep",
        abstract: "Copy the result files of finished runs to a folder that outlives the runs (e.g. in the repository).",
        discussion: """
            Copies config.json, summary.json, evaluations.csv and feedback.jsonl of every finished \
            run below ROOT to the same path below --to, replacing an earlier copy. `summarize` and \
            `plot` read the copy as they read the runs; checkpoints, ratings and reward models stay \
            behind (kilobytes per run instead of megabytes), so the copy cannot be resumed, \
            refitted or rendered. Unfinished runs are left out and listed.
            """)

    @Argument(help: ArgumentHelp("Folder holding run folders (searched recursively).", valueName: "root"))
    var root: String

    @Option(help: ArgumentHelp("Folder for the copies (created if needed; not inside ROOT).", valueName: "folder"))
    var to: String

    func run() throws {
        let kept: KeptResults
        do { kept = try KeptResults.copy(from: root, to: to) } catch { throw ValidationFailure(message: "\(error)") }
        for warning in kept.warnings { printError("warning: " + warning) }
        for path in kept.unfinished { printError("left out (unfinished): \(path)") }
        guard !kept.copied.isEmpty else {
            throw ValidationFailure(message: "no finished runs (summary.json) under \(root)"
                                    + (kept.unfinished.isEmpty ? "" : "; \(kept.unfinished.count) unfinished"))
        }
        print("kept \(kept.copied.count) finished run\(kept.copied.count == 1 ? "" : "s") of \(root) in \(to) "
              + "(\(max(1, kept.bytes / 1024)) kB)" + (kept.unfinished.isEmpty ? "" : "; \(kept.unfinished.count) unfinished left out"))
    }
}
