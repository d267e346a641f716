import Foundation
import XCTest

/// Mistakes a new user makes with the smaller commands: each gets a one-line
/// error naming the problem and a non-zero exit, never a crash or a half-done output.
final class NewUserErrorTests: XCTestCase {
    typealias Outcome = CommandLineTests.Outcome

    /// Runs the `ratingrl` built next to this test bundle from the repository root.
    func run(_ arguments: [String]) throws -> Outcome {
        try CommandLineTests.run(arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
    }

    func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Fails unless the command exited non-zero with `expected` on its first
    /// error line, printed nothing on stdout, and did not crash.
    func assertRejected(_ arguments: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try run(arguments)
        let firstLine = outcome.error.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertNotEqual(outcome.status, 0, "\(arguments)", file: file, line: line)
        XCTAssert(firstLine.contains(expected), "\(arguments): \(outcome.error)", file: file, line: line)
        XCTAssertFalse(outcome.error.contains("Missing value"), "\(arguments): \(outcome.error)", file: file, line: line)
        XCTAssertFalse(outcome.error.contains("Fatal error") || outcome.error.contains("Stack dump"),
                       "\(arguments) crashed: \(outcome.error)", file: file, line: line)
        XCTAssertEqual(outcome.output, "", "\(arguments) printed on stdout", file: file, line: line)
    }

    func testSegmentReturnsRejectsBadCountsWithoutCrashing() throws {
        let task = ["segment-returns", "--task", "cartpole-balance"]
        try assertRejected(task + ["--episodes", "0"], "--episodes must be at least 1, got 0")
        try assertRejected(task + ["--episodes", "-5"], "--episodes must be at least 1, got -5")
        try assertRejected(task + ["--length", "0"], "--length must be between 1 and the episode length 1000, got 0")
        try assertRejected(task + ["--length", "-3"], "--length must be between 1 and the episode length 1000, got -3")
        try assertRejected(task + ["--length", "1001"], "--length must be between 1 and the episode length 1000, got 1001")
        try assertRejected(task + ["--seed", "-1"], "'-1' is invalid for '--seed")
        let whole = try run(task + ["--episodes", "1", "--length", "1000"])
        XCTAssertEqual(whole.status, 0, whole.error)
        XCTAssert(whole.output.contains("segments of 1000 steps"), whole.output)
    }

    func testNegativeNumbersReachTheRangeChecks() throws {
        try assertRejected(["rollout", "--task", "cartpole-balance", "--episodes", "-2"], "--episodes must be at least 1, got -2")
        try assertRejected(["rollout", "--seed", "-2"], "'-2' is invalid for '--seed")
        try assertRejected(["bench", "env", "--task", "cartpole-balance", "--steps", "-5"], "--steps must be at least --rounds (3), got -5")
        try assertRejected(["bench", "env", "--task", "cartpole-balance", "--rounds", "-1"], "--rounds must be at least 1, got -1")
        try assertRejected(["bench", "ppo", "--updates", "-1"], "--updates must be at least 1, got -1")
        try assertRejected(["bench", "ppo", "--workers", "-2"], "--workers must be at least 1, got -2")
        try assertRejected(["bench", "ppo", "--estimate-steps", "-2"], "--estimate-steps must be at least 1, got -2")
    }

    /// Zero updates would divide by zero and print -nan.
    func testBenchPPORejectsZeroUpdates() throws {
        try assertRejected(["bench", "ppo", "--updates", "0"], "--updates must be at least 1, got 0")
    }

    func testBenchRewardRejectsBadSizes() throws {
        try assertRejected(["bench", "reward", "--epochs", "0"], "--epochs must be at least 1, got 0")
        try assertRejected(["bench", "reward", "--members", "-1"], "--members must be at least 1, got -1")
        try assertRejected(["bench", "reward", "--segments", "500,x"], "'x' is not a positive whole number")
        try assertRejected(["bench", "reward", "--loss", "mse"], "The value 'mse' is invalid for '--loss <loss>'")
    }

    /// Scripts that call a benchmark by its old name learn the new one in one line.
    func testOldBenchSpellingsNameTheNewOnes() throws {
        for (old, new) in [("bench-env", "bench env"), ("bench-render", "bench render"), ("bench-ppo", "bench ppo")] {
            try assertRejected([old, "--task", "cartpole-balance"], "\(old) is now 'ratingrl \(new)'")
            let outcome = try run([old])
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines), "Error: \(old) is now 'ratingrl \(new)'")
        }
    }

    func testSegmentReturnsTakesTheTaskFromTheRunFolder() throws {
        let folder = temporaryFolder()
        let train = try run(["train", "--task", "cartpole-balance", "--steps", "256", "--quiet", "--out", folder,
                             "--set", "environments=2,stepsPerRollout=128,hiddenSizes=8,epochs=1", "--eval-episodes", "1"])
        XCTAssertEqual(train.status, 0, train.error)

        let survey = try run(["segment-returns", "--run", folder, "--episodes", "1"])
        XCTAssertEqual(survey.status, 0, survey.error)
        XCTAssert(survey.output.hasPrefix("cartpole-balance, trained policy"), survey.output)
        let agreeing = try run(["segment-returns", "--run", folder, "--task", "cartpole-balance", "--episodes", "1"])
        XCTAssertEqual(agreeing.output, survey.output, "the same policy and seed give the same survey")

        try assertRejected(["segment-returns", "--run", folder, "--task", "walker-walk"],
                           "--task walker-walk disagrees with the run's task cartpole-balance")
        try assertRejected(["segment-returns"], "give --task")
        let missing = folder + "-missing"
        try assertRejected(["segment-returns", "--run", missing], "run folder \(missing) does not exist")
        try assertRejected(["segment-returns", "--run", FileManager.default.temporaryDirectory.path], "has no readable config.json")

        // A checkpoint whose tensor count was overwritten: a damaged header, named.
        let checkpoint = folder + "/checkpoint.weights"
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: checkpoint)))
        var bytes = original
        bytes.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0xFF])
        try Data(bytes).write(to: URL(fileURLWithPath: checkpoint))
        try assertRejected(["segment-returns", "--run", folder], "weight file '\(checkpoint)' has a damaged header")
        try Data(original.prefix(100)).write(to: URL(fileURLWithPath: checkpoint))
        try assertRejected(["segment-returns", "--run", folder], "weight file '\(checkpoint)' is truncated")
    }

    /// A copy of the suite's models to break.
    func copyOfModels() throws -> String {
        let source = CommandLineTests.repositoryRoot.appendingPathComponent("models").resolvingSymlinksInPath()
        let copy = temporaryFolder()
        try FileManager.default.copyItem(atPath: source.path, toPath: copy)
        return copy
    }

    func testEnvsChecksEveryModelBeforePrinting() throws {
        let malformed = try copyOfModels()
        try "<mujoco><broken".write(toFile: malformed + "/walker.xml", atomically: true, encoding: .utf8)
        try assertRejected(["envs", "--models", malformed], "\(malformed)/walker.xml")
        try assertRejected(["envs", "--models", malformed], "make models")

        let incomplete = try copyOfModels()
        try FileManager.default.removeItem(atPath: incomplete + "/cheetah.xml")
        try assertRejected(["envs", "--models", incomplete], "the models folder \(incomplete) lacks cheetah.xml")
        try assertRejected(["envs", "--models", incomplete], "make models")
    }

    /// The smaller messages a new user met: each says what was wrong and how to fix it.
    func testSmallerMistakesGetAMessageThatSaysWhatToDo() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/notes.txt"
        try "notes".write(toFile: file, atomically: true, encoding: .utf8)
        try assertRejected(["rollout", "--seed", "-1"], "a seed is a whole number from 0 to 18446744073709551615")
        try assertRejected(["train", "--task", "cartpole-balance", "--steps", "10", "--seed", "-1", "--out", folder + "/r"],
                           "a seed is a whole number from 0 to")
        try assertRejected(["train", "--resume", file], "\(file) is a file, not a run folder")
        try assertRejected(["train", "--config", folder, "--out", folder + "/r"], "\(folder) is a folder; give a JSON or YAML file")
        try FileManager.default.createDirectory(atPath: folder + "/runs", withIntermediateDirectories: true)
        try assertRejected(["keep", folder + "/runs", "--to", file], "--to \(file) is a file; give a folder")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "notes")
        // Inside the stated limit the render used to die in MuJoCo; now the limit is what renders.
        try assertRejected(["render", "--task", "cartpole-balance", "--width", "16384", "--height", "16384", "--filmstrip", folder + "/big.png"],
                           "--width and --height must be between 1 and 8192 pixels, got 16384x16384")
        // A video, like a frame folder, is not replaced without --overwrite.
        let video = folder + "/clip.mp4"
        try "someone's video".write(toFile: video, atomically: true, encoding: .utf8)
        try assertRejected(["render", "--task", "cartpole-balance", "--steps", "2", "--width", "32", "--height", "24", "--video", video],
                           "it already exists; remove it, choose another name or pass --overwrite")
        XCTAssertEqual(try String(contentsOfFile: video, encoding: .utf8), "someone's video")
        let replaced = try run(["render", "--task", "cartpole-balance", "--steps", "2", "--width", "32", "--height", "24", "--video", video,
                                "--overwrite"])
        XCTAssertEqual(replaced.status, 0, replaced.error)
        // Another grid is not swept into a root that holds a sweep (its sweep.json used to be replaced).
        let root = folder + "/sweep"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let saved = #"{"seed": [1, 2], "task": "cartpole-balance", "totalSteps": 10}"#
        try saved.write(toFile: root + "/sweep.json", atomically: true, encoding: .utf8)
        let grid = folder + "/grid.yaml"
        try "task: walker-walk\nsteps: 10\nseeds: [1]\n".write(toFile: grid, atomically: true, encoding: .utf8)
        try assertRejected(["sweep", grid, "--out", root, "--dry-run"], "holds the sweep of another grid")
        XCTAssertEqual(try String(contentsOfFile: root + "/sweep.json", encoding: .utf8), saved)
        try "task: cartpole-balance\nsteps: 10\nseeds: [1, 2]\n".write(toFile: grid, atomically: true, encoding: .utf8)
        XCTAssertEqual(try run(["sweep", grid, "--out", root, "--dry-run"]).status, 0, "the same grid continues")
    }
}
