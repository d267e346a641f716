import Foundation
import XCTest

/// Runs the built `ratingrl` executable as a user would and checks exit codes,
/// messages and outputs.
final class CommandLineTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Outcome { let status: Int32; let output: String; let error: String }

    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Outcome {
        try Self.run(arguments, environment: extra)
    }

    /// Runs the `ratingrl` built next to this test bundle, in `directory` (by
    /// default the repository root), to its end; `extra` is added to the environment.
    static func run(_ arguments: [String], environment extra: [String: String] = [:],
                    directory: URL = repositoryRoot) throws -> Outcome {
        let process = Process()
        // The test bundle lives next to the executables it was built with.
        let binary = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        XCTAssert(FileManager.default.isExecutableFile(atPath: binary.path), "no executable at \(binary.path)")
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                       error: String(decoding: errData, as: UTF8.self))
    }

    func temporaryFile(_ name: String, contents: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)-\(name)")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testEnvsListsTheSixTasksWithSizes() throws {
        let outcome = try run(["envs"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        for (task, sizes) in [("cartpole-balance", "5    1"), ("quadruped-walk", "78   12"), ("walker-walk", "24    6")] {
            XCTAssert(outcome.output.contains(task) && outcome.output.contains(sizes), outcome.output)
        }
    }

    func testReplayWritesObservationsRewardsDiscounts() throws {
        let request = #"{"task": "cartpole-balance", "state": [0.01, 0.02, 0, 0], "actions": [[0.5], [-0.5], [1]]}"#
        let input = try temporaryFile("in.json", contents: request)
        let outcome = try run(["replay", "--input", input, "--output", "-"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        struct Result: Decodable { let observations: [[Double]]; let rewards: [Double]; let discounts: [Double] }
        let result = try JSONDecoder().decode(Result.self, from: Data(outcome.output.utf8))
        XCTAssertEqual(result.observations.count, 4)
        XCTAssertEqual(result.observations[0][0], 0.01)
        XCTAssertEqual(result.rewards.count, 3)
        XCTAssertEqual(result.discounts, [1, 1, 1])
    }

    func testReplayToAFileIsAtomicAndComplete() throws {
        let input = try temporaryFile("in.json", contents: #"{"task": "walker-walk", "state": \#(Array(repeating: 0.0, count: 18)), "actions": [[0,0,0,0,0,0]]}"#)
        let output = input + ".out.json"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: output) }
        let outcome = try run(["replay", "--input", input, "--output", output])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        XCTAssertEqual((object?["observations"] as? [[Double]])?.count, 2)
    }

    func testBadInputsGiveClearErrorsAndNonZeroExit() throws {
        let cases: [(String, String)] = [
            (#"{"task": "walker-fly", "state": [], "actions": []}"#, "unknown task 'walker-fly'"),
            (#"{"task": "walker-walk", "state": [1, 2], "actions": []}"#, "needs 18"),
            (#"{"task": "cartpole-balance", "state": [0, 0, 0, 0], "actions": [[0, 1]]}"#, "action 0"),
            (#"{"task": "cartpole-balance", "state": [0, 0, 0, 0], "actions": [[1e999]]}"#, "not a valid replay request"),
            (#"{"task": "cartpole-balance", "actions": []}"#, "missing key 'state'"),
            (#"{"task": "cartpole-balance", "state": [0, 0, 0, 0], "actions": [[NaN]]}"#, "not a valid replay request"),
            ("this is not json", "not a valid replay request"),
        ]
        for (request, expected) in cases {
            let input = try temporaryFile("bad.json", contents: request)
            let outcome = try run(["replay", "--input", input, "--output", "-"])
            XCTAssertNotEqual(outcome.status, 0, request)
            XCTAssert(outcome.error.contains(expected), "for \(request): \(outcome.error)")
            XCTAssertEqual(outcome.output, "", "nothing on stdout for \(request)")
        }
        let missing = try run(["replay", "--input", "/nonexistent/in.json", "--output", "-"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssert(missing.error.contains("cannot read /nonexistent/in.json"), missing.error)
    }

    /// Options that take one of a few names list them in --help.
    func testHelpListsTheValuesOfChoices() throws {
        let listed: [(command: [String], values: String)] = [
            (["train"], "--method <method> Reward the policy learns from (ppo, the default: the true reward; the others: a reward model learned from ratings). (values: ppo, rbrl, ours, ours-equal, ours-cls, ours-reg)"),
            (["train"], "(values: uniform, disagreement)"),
            (["train"], "(values: accuracy, balanced-accuracy, balanced-accuracy-or-one-class)"),
            (["train"], "(values: uniform, task)"),
            (["refit"], "(values: rbrl, ours, ours-equal, ours-cls, ours-reg)"),
            (["render"], "(values: egl, glfw, osmesa; default: egl)"),
            (["render"], "(values: fast, quality; default: quality)"),
            (["view"], "(values: file, rating, disagreement; default: file)"),
            (["sweep"], "(values: local, slurm; default: local)"),
            (["sweep"], "--grid <grid> A built-in grid. (values: paper, smoke)"),
        ]
        for (command, values) in listed {
            let help = try run(command + ["--help"])
            XCTAssertEqual(help.status, 0, help.error)
            // Help wraps its lines to the terminal's width.
            let text = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssert(text.contains(values), "\(command) --help lacks \(values): \(help.output)")
        }
    }

    func testBadFeedbackSettingsAreRejectedBeforeTraining() throws {
        let cases: [([String], String)] = [
            (["--method", "ours", "--classes", "7"], "rating classes must be between 2 and 6, got 7"),
            (["--method", "ours", "--stop-accuracy", "1.5"], "stop accuracy = 1.5 is invalid: must be between 0 and 1"),
            (["--method", "ours", "--reward-epochs", "0"], "reward epochs = 0 is invalid: must be at least 1"),
            (["--method", "ours", "--query", "random"], "The value 'random' is invalid for '--query <query>'. Please provide one of 'uniform' and 'disagreement'."),
            (["--method", "ours", "--unsupervised-steps=-5"], "unsupervised steps must be between 0 and 1000000000000, got -5"),
            (["--method", "best"], "The value 'best' is invalid for '--method <method>'. Please provide one of 'ppo', 'rbrl', 'ours',"),
        ]
        for (extra, expected) in cases {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)").path
            let outcome = try run(["train", "--task", "cartpole-balance", "--steps", "4096", "--out", folder] + extra)
            XCTAssertNotEqual(outcome.status, 0, "\(extra)")
            XCTAssert(outcome.error.contains(expected), "for \(extra): \(outcome.error)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/summary.json"), "\(extra) trained anyway")
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    func testMissingModelsSayMakeModels() throws {
        let outcome = try run(["envs", "--models", "/nonexistent/models"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssert(outcome.error.contains("make models"), outcome.error)
    }

    func testUnknownTaskInRollout() throws {
        let outcome = try run(["rollout", "--task", "cheetah-fly"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssert(outcome.error.contains("cheetah-run"), outcome.error)
    }
}
