import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `ratingrl train` killed or interrupted, then `--resume`d, as a user would
/// meet it: SIGKILL at arbitrary points (also inside a feedback round),
/// SIGINT and SIGTERM with their exit codes and message.
final class ResumeCommandTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A rating run whose three feedback rounds take a few seconds each.
    static let ratingRun = ["train", "--task", "cartpole-balance", "--method", "ours", "--classes", "3", "--steps", "4096",
                            "--set", "environments=2", "--first-round", "2048", "--round-interval", "512",
                            "--ratings", "90", "--ratings-per-round", "30", "--reward-epochs", "12", "--stop-accuracy", "1",
                            "--eval-every", "1024", "--checkpoint-every", "512", "--seed", "5"]

    /// A running `ratingrl` whose output goes to files that can be watched.
    final class RunningCommand {
        let process = Process()
        let outputPath: String, errorPath: String

        init(_ arguments: [String], folder: String) throws {
            outputPath = folder + ".out"; errorPath = folder + ".err"
            _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
            process.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
            process.arguments = arguments
            process.currentDirectoryURL = ResumeCommandTests.repositoryRoot
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: outputPath)
            process.standardError = FileHandle(forWritingAtPath: errorPath)
            try process.run()
        }

        var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
        var error: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

        /// Waits until the output contains `text` (at most 120 s).
        func waitFor(_ text: String) throws {
            let deadline = Date().addingTimeInterval(120)
            while !output.contains(text) {
                guard process.isRunning, Date() < deadline else {
                    throw XCTSkip("never saw '\(text)'; output: \(output) \(error)")
                }
                usleep(20_000)
            }
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        func finish() -> Int32 {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-resume-\(UUID().uuidString)").path
        addTeardownBlock {
            for suffix in ["", ".out", ".err"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        return path
    }

    /// The comparable files of an uninterrupted `ratingRun`, made once for all tests.
    nonisolated(unsafe) static var referenceFiles: [String: String]?

    func referenceRun() throws -> [String: String] {
        if let files = Self.referenceFiles { return files }
        let folder = temporaryFolder()
        let run = try RunningCommand(Self.ratingRun + ["--out", folder], folder: folder)
        XCTAssertEqual(run.finish(), 0, run.error)
        let files = try comparable(folder)
        Self.referenceFiles = files
        return files
    }

    /// The files that must not depend on interruptions (timing fields removed).
    func comparable(_ folder: String) throws -> [String: String] {
        var files: [String: String] = [:]
        for name in ["evaluations.csv", "ratings.jsonl", "reward_model.weights", "checkpoint.weights"] {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { files[name] = data.base64EncodedString() }
        }
        let progress = try String(contentsOfFile: folder + "/progress.csv", encoding: .utf8)
        files["progress.csv"] = progress.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { ![2, 3].contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }.joined(separator: "\n")
        if let feedback = try? String(contentsOfFile: folder + "/feedback.jsonl", encoding: .utf8) {
            files["feedback.jsonl"] = feedback.replacingOccurrences(of: #""seconds":[0-9.e+-]+"#, with: "",
                                                                    options: .regularExpression)
        }
        return files
    }

    func resume(_ folder: String) throws -> RunningCommand {
        try RunningCommand(["train", "--resume", folder], folder: folder + "-resume-\(UUID().uuidString.prefix(4))")
    }

    func testKilledAnywhereIncludingInsideAFeedbackRoundResumesToIdenticalFiles() throws {
        let expected = try referenceRun()
        let folder = temporaryFolder()
        // Killed inside the second feedback round's reward training...
        let first = try RunningCommand(Self.ratingRun + ["--out", folder], folder: folder)
        try first.waitFor("feedback round 2/3")
        usleep(100_000)
        first.signal(SIGKILL)
        XCTAssertEqual(first.finish(), SIGKILL)
        let ratingLines = try String(contentsOfFile: folder + "/ratings.jsonl", encoding: .utf8).split(separator: "\n").count
        XCTAssertGreaterThanOrEqual(ratingLines, 60, "the second round's ratings were written before its training")
        // ...then again soon after resuming, wherever it is...
        let second = try resume(folder)
        try second.waitFor("resuming at step")
        usleep(500_000)
        second.signal(SIGKILL)
        _ = second.finish()
        // ...and finished.
        let third = try resume(folder)
        XCTAssertEqual(third.finish(), 0, third.error)
        XCTAssert(third.output.contains("final_eval_return"), third.output)
        XCTAssertEqual(try comparable(folder), expected)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/checkpoints"))
    }

    func testSIGTERMAndSIGINTCheckpointAndExitWithTheirCodes() throws {
        let expected = try referenceRun()
        let folder = temporaryFolder()
        let run = try RunningCommand(Self.ratingRun + ["--out", folder], folder: folder)
        try run.waitFor("steps 1024/")
        run.signal(SIGTERM)
        XCTAssertEqual(run.finish(), 143, run.error)
        let line = try XCTUnwrap(run.output.split(separator: "\n").last.map(String.init))
        XCTAssertNotNil(line.range(of: #"^interrupted at step [0-9]+; resume with: ratingrl train --resume "#,
                                   options: .regularExpression), line)
        XCTAssert(line.hasSuffix(folder), line)

        // Ctrl-C during a feedback round stops at its next epoch, not at its end.
        let second = try resume(folder)
        try second.waitFor("feedback round 1/3")
        second.signal(SIGINT)
        XCTAssertEqual(second.finish(), 130, second.error)
        XCTAssert(second.output.contains("interrupted at step 2048"), second.output)

        // A second Ctrl-C stops at once.
        let third = try resume(folder)
        try third.waitFor("feedback round 1/3")
        third.signal(SIGINT)
        // Signals sent back to back merge into one; send the second once the first was seen.
        while !third.error.contains("interrupt received") && third.process.isRunning { usleep(5_000) }
        guard third.process.isRunning else { throw XCTSkip("the round ended before a second Ctrl-C could be sent") }
        third.signal(SIGINT)
        XCTAssertEqual(third.finish(), 130)
        XCTAssert(third.error.contains("stopped at once"), third.error)

        let last = try resume(folder)
        XCTAssertEqual(last.finish(), 0, last.error)
        XCTAssertEqual(try comparable(folder), expected)
    }

    func testResumeRefusesWhatItCannotContinue() throws {
        let missing = temporaryFolder()
        let noRun = try resume(missing)
        XCTAssertNotEqual(noRun.finish(), 0)
        XCTAssert(noRun.error.contains("does not exist"), noRun.error)
        let withFlags = try RunningCommand(["train", "--resume", missing, "--steps", "10"], folder: missing + "-flags")
        XCTAssertNotEqual(withFlags.finish(), 0)
        XCTAssert(withFlags.error.contains("--resume takes the run's settings"), withFlags.error)
    }
}
