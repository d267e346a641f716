import Foundation
import XCTest

/// What a new user found could lose a run or crash `train`: two processes on
/// one new folder, `--overwrite` removing a file no run wrote, numbers out of
/// range or not finite, and YAML aliases that expand without end.
final class TrainSafetyTests: XCTestCase {
    typealias Outcome = CommandLineTests.Outcome

    func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A small cartpole run (two rollouts of 2 × 128 steps) into `folder`.
    static func tinyRun(_ folder: String) -> [String] {
        ["train", "--task", "cartpole-balance", "--steps", "512", "--quiet", "--out", folder, "--eval-episodes", "1",
         "--set", "environments=2,stepsPerRollout=128,hiddenSizes=8,epochs=1"]
    }

    /// Starts `ratingrl` with `arguments` without waiting for it.
    static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        process.arguments = arguments
        process.currentDirectoryURL = CommandLineTests.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        let error = Pipe()
        process.standardError = error
        try process.run()
        return (process, error)
    }

    /// Both processes start at once on the same new folder: one trains to the
    /// end, the other is refused and removes nothing (it used to remove the
    /// folder, and with it the first run's files, which then died).
    func testTwoTrainsOnOneNewFolderLeaveTheFirstRunWhole() throws {
        for attempt in 0..<3 {
            let folder = temporaryFolder() + "/run"
            let (first, firstError) = try Self.start(Self.tinyRun(folder))
            let (second, secondError) = try Self.start(Self.tinyRun(folder))
            let messages = [firstError, secondError].map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
            first.waitUntilExit()
            second.waitUntilExit()
            let statuses = [first.terminationStatus, second.terminationStatus]
            XCTAssertEqual(statuses.filter { $0 == 0 }.count, 1, "attempt \(attempt): exactly one run trains: \(statuses) \(messages)")
            let refused = messages[statuses[0] == 0 ? 1 : 0]
            XCTAssert(refused.contains("is being trained by another process"), "attempt \(attempt): \(refused)")
            XCTAssertEqual(refused.split(separator: "\n").count, 1, refused)
            XCTAssert(FileManager.default.fileExists(atPath: folder + "/summary.json"), "attempt \(attempt): the run that trained is whole")
        }
    }

    /// `--overwrite` removes the files a run writes and nothing else, also inside checkpoints/.
    func testOverwriteRemovesOnlyWhatARunWrites() throws {
        let folder = temporaryFolder()
        let first = try CommandLineTests.run(Self.tinyRun(folder))
        XCTAssertEqual(first.status, 0, first.error)
        try FileManager.default.createDirectory(atPath: folder + "/checkpoints", withIntermediateDirectories: true)
        try "my notes".write(toFile: folder + "/checkpoints/notes.txt", atomically: true, encoding: .utf8)
        try "my notes".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        try "old".write(toFile: folder + "/checkpoints/update-00000001-b.state", atomically: true, encoding: .utf8)

        let refused = try CommandLineTests.run(Self.tinyRun(folder))
        XCTAssertNotEqual(refused.status, 0)
        XCTAssert(refused.error.contains("already holds a run"), refused.error)

        let again = try CommandLineTests.run(Self.tinyRun(folder) + ["--overwrite"])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(try String(contentsOfFile: folder + "/checkpoints/notes.txt", encoding: .utf8), "my notes")
        XCTAssertEqual(try String(contentsOfFile: folder + "/notes.txt", encoding: .utf8), "my notes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/checkpoints/update-00000001-b.state"),
                       "the old run's checkpoint is gone")
        XCTAssert(FileManager.default.fileExists(atPath: folder + "/summary.json"))
    }

    /// Every numeric flag of `train`, given a value far out of range, infinite
    /// or not a number, gets one line saying what is wrong, never a trap, a
    /// backtrace or an encoder's internal error, and writes nothing.
    func testEveryNumericSettingIsCheckedAgainstItsRange() throws {
        let whole = ["--steps", "--eval-every", "--eval-episodes", "--checkpoint-every", "--workers", "--classes", "--ratings",
                     "--ratings-per-round", "--round-interval", "--first-round", "--reward-epochs", "--min-reward-epochs",
                     "--unsupervised-steps"]
        let real = ["--max-return", "--alpha", "--stop-accuracy", "--rater-beta", "--rater-mistake-rate", "--rater-gamma", "--rater-skip"]
        let ppo = ["environments", "stepsPerRollout", "minibatchSize", "epochs", "gsdeResampleEvery", "learningRate", "clipRange",
                   "gamma", "gaeLambda", "entropyCoefficient", "valueCoefficient", "maxGradientNorm", "adamEpsilon", "logStdInit",
                   "observationClip"]
        var cases: [[String]] = []
        for flag in whole { cases += [[flag, "9223372036854775807"], [flag, "-9223372036854775808"]] }
        for flag in real { cases += ["nan", "inf", "-inf", "1e308", "-1e308"].map { [flag, $0] } }
        for field in ppo { cases += ["9223372036854775807", "nan", "inf", "1e39", "-1e39"].map { ["--set", "\(field)=\($0)"] } }
        for extra in cases {
            let folder = temporaryFolder()
            var arguments = ["train", "--task", "cartpole-balance", "--method", "ours", "--out", folder]
            if !extra.contains("--steps") { arguments += ["--steps", "4096"] }
            let outcome = try CommandLineTests.run(arguments + extra)
            if outcome.status == 0 { continue }  // e.g. --rater-beta 1e308: a valid (if odd) value
            // One line of error; a valid run's notes and warnings ("ends before its first round") aside.
            let error = outcome.error.split(separator: "\n").filter { !$0.hasPrefix("warning:") && !$0.hasPrefix("note:") }.joined(separator: "\n")
            XCTAssertEqual(error.split(separator: "\n").count, 1, "\(extra): \(outcome.error)")
            XCTAssertFalse(error.contains("Fatal error") || error.contains("EncodingError") || error.contains("overflow"),
                           "\(extra): \(error)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "\(extra) wrote \(folder)")
        }
        let huge = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--steps", "9223372036854775807",
                                             "--out", temporaryFolder()])
        XCTAssertEqual(huge.error.trimmingCharacters(in: .whitespacesAndNewlines),
                       "Error: invalid configuration: steps must be between 1 and 1000000000000, got 9223372036854775807")
        let notANumber = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "4096",
                                                   "--alpha", "nan", "--out", temporaryFolder()])
        XCTAssert(notANumber.error.contains("feedback.rewardModel.objective.regression.scale must be a finite number, got nan"),
                  notANumber.error)
        let learningRate = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--steps", "4096",
                                                     "--set", "learningRate=nan", "--out", temporaryFolder()])
        XCTAssert(learningRate.error.contains("learningRate takes a finite number, got 'nan'"), learningRate.error)
        let beta = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "4096",
                                             "--rater-beta", "inf", "--out", temporaryFolder()])
        XCTAssert(beta.error.contains("boltzmannBeta must be a finite number, got inf"), beta.error)
    }

    /// Every value `train` accepts is written to config.json and read back
    /// as the same configuration (JSON holds no NaN or infinity).
    func testAcceptedExtremeValuesRoundTripThroughConfigJSON() throws {
        let folder = temporaryFolder()
        let outcome = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "1",
                                                "--rater-beta", "1e308", "--max-return", "1e300", "--first-round", "1000000000000",
                                                "--eval-every", "1000000000000", "--rating-scale", "task", "--out", folder, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))
        let copy = temporaryFolder()
        let again = try CommandLineTests.run(["train", "--config", folder + "/config.json", "--out", copy, "--quiet"])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy + "/config.json")), written)
        let config = try JSONSerialization.jsonObject(with: written) as! [String: Any]
        let feedback = config["feedback"] as! [String: Any]
        XCTAssertEqual(feedback["scale"] as? String, "task")
        XCTAssertEqual((feedback["ratingEdges"] as? [Double])?.count, 3, "the task scale's boundaries are written out: \(feedback)")
    }

    /// A "billion laughs" document: nine levels of nine aliases. It used to
    /// grow memory without end; now it is refused at once, in a config file and in a grid.
    func testYAMLAliasBombsAreRefused() throws {
        var lines = [#"a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]"#]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let bomb = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString).yaml").path
        try (lines.joined(separator: "\n") + "\ntask: cartpole-balance\nsteps: 1\n").write(toFile: bomb, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: bomb) }
        for command in [["train", "--config", bomb, "--out", temporaryFolder()], ["sweep", bomb, "--out", temporaryFolder(), "--dry-run"]] {
            let (process, error) = try Self.start(command)
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { process.terminate() }
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertLessThan(Date(), deadline, "\(command[0]) was still expanding the bomb after 30 s")
            XCTAssertNotEqual(process.terminationStatus, 0)
            XCTAssert(message.contains("expands to more than 100000 values"), message)
        }
    }
}
