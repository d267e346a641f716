import Foundation
import PythonCheck
import XCTest

/// docs/python.md as a user would follow it: every `ratingrl` command in its
/// sh blocks, then its Python blocks, in a folder holding a short `ours` run
/// (runs/cartpole) and its synthetic ratings (ratings.db).
final class PythonDocsTests: XCTestCase {
    static let page = CommandLineTests.repositoryRoot.appendingPathComponent("docs/python.md")

    /// The page's fenced blocks in order: language and text.
    static func blocks(of text: String) -> [(language: String, code: String)] {
        var blocks: [(language: String, code: String)] = []
        var current: (language: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let open = current {
                    blocks.append((open.language, open.lines.joined(separator: "\n")))
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)), [])
                }
            } else {
                current?.lines.append(line)
            }
        }
        return blocks
    }

    func testEveryCommandAndPythonBlockOfThePageRuns() throws {
        let url = try emptyTemporaryFolder()
        let environment = ["RATINGRL_MODELS": CommandLineTests.repositoryRoot.appendingPathComponent("models").path]
        func ratingrl(_ arguments: [String]) throws {
            let outcome = try CommandLineTests.run(arguments, environment: environment, directory: url)
            XCTAssertEqual(outcome.status, 0, "ratingrl \(arguments.joined(separator: " ")): \(outcome.error)")
        }
        try ratingrl(["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "8192", "--set", "environments=2",
                      "--first-round", "2048", "--round-interval", "2048", "--ratings", "20", "--ratings-per-round", "10",
                      "--reward-epochs", "2", "--seed", "1", "--out", "runs/cartpole", "--quiet"])
        try ratingrl(["ratings", "import", "--db", "ratings.db", "--segments", "runs/cartpole", "--synthetic"])

        let blocks = Self.blocks(of: try String(contentsOf: Self.page, encoding: .utf8))
        XCTAssertEqual(blocks.map(\.language), ["sh", "sh", "python", "python", "sh", "python"])
        try checkTensorBoard(command: blocks[0].code, runs: url.appendingPathComponent("runs").path)
        // The commands in order; then the Python blocks as one session (each may use what the ones before made).
        for block in blocks.dropFirst() where block.language == "sh" {
            let commands = block.code.split(separator: "\n").filter { !$0.isEmpty }
            XCTAssert(commands.allSatisfy { $0.hasPrefix("ratingrl ") }, block.code)
            for command in commands { try ratingrl(command.split(separator: " ").dropFirst().map(String.init)) }
        }
        let marker = "--- end of block ---"
        let session = blocks.filter { $0.language == "python" }.map { $0.code + "\nprint(\"\(marker)\")\n" }.joined()
        let printed = try ProjectPython.run(session, directory: url.path).components(separatedBy: marker + "\n")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // The action of one observation, the rewards of three steps, within their bounds.
        func numbers(_ text: String) -> [Double] {
            text.split(whereSeparator: { "[] \n".contains($0) }).compactMap { Double($0) }
        }
        XCTAssertEqual(numbers(printed[0]).count, 1, printed[0])
        XCTAssert(numbers(printed[0]).allSatisfy { (-1...1).contains($0) }, printed[0])
        XCTAssertEqual(numbers(printed[1]).count, 3, printed[1])
        XCTAssert(numbers(printed[1]).allSatisfy { (-1...1).contains($0) }, printed[1])
        XCTAssert(printed[2].hasPrefix("(20, 50, 5) ["), "the run's 20 ratings of 50-step segments: \(printed[2])")
        XCTAssert(printed[2].contains("'synthetic'"), printed[2])

        let readme = try String(contentsOf: CommandLineTests.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssert(readme.contains("```python\n" + blocks[2].code + "\n```"), "the README shows the page's loading lines")
        let commands = blocks.filter { $0.language == "sh" }.map(\.code).joined(separator: "\n")
        XCTAssert(readme.contains("```sh\n" + commands + "\n```"), "the README shows the page's commands, which this test ran")
    }

    /// Runs the page's `make tensorboard` line on `runs` (on a free port) and
    /// asks the server for the scalars of the run there.
    func checkTensorBoard(command: String, runs: String) throws {
        XCTAssertEqual(command, "make tensorboard LOGDIR=runs PORT=6006")
        let port = 6006 + Int.random(in: 100...2000)
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        make.arguments = ["make", "--no-print-directory", "tensorboard", "LOGDIR=\(runs)", "PORT=\(port)"]
        make.currentDirectoryURL = CommandLineTests.repositoryRoot
        make.standardOutput = FileHandle.nullDevice
        make.standardError = FileHandle.nullDevice
        try make.run()
        defer {
            // make and the TensorBoard it started.
            let pkill = Process()
            pkill.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            pkill.arguments = ["pkill", "-f", "tensorboard --logdir \(runs)"]
            try? pkill.run()
            pkill.waitUntilExit()
            make.terminate()
            make.waitUntilExit()
        }
        var tags = ""
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline && !tags.contains("eval/mean_reward") {
            usleep(500_000)
            tags = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/data/plugin/scalars/tags")!, encoding: .utf8)) ?? ""
        }
        for tag in ["eval/mean_reward", "train/value_loss", "reward_model/heldout_spearman", "ratings/class_0"] {
            XCTAssert(tags.contains("\"\(tag)\""), "TensorBoard serves \(tag) for runs/cartpole: \(tags.prefix(300))")
        }
        XCTAssert(tags.contains("\"cartpole/tb\""), "one run, named by its folder: \(tags.prefix(300))")
    }
}
