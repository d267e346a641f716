import Foundation
import XCTest

/// `ratingrl train` with config files, and its messages for new users.
extension CommandLineTests {
    func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testNegativeNumbersReachTheRangeCheck() throws {
        let cases: [([String], String)] = [
            (["--steps", "-5"], "steps must be between 1 and 1000000000000, got -5"),
            (["--steps", "4096", "--method", "ours", "--rater-beta", "-1"], "Boltzmann β = -1.0 is invalid"),
            (["--steps", "4096", "--method", "ours", "--reward-epochs", "-2"], "reward epochs = -2 is invalid"),
            (["--steps", "4096", "--eval-episodes", "-1"], "evaluation episodes must be between 1 and 10000, got -1"),
            (["--steps", "4096", "--workers", "-1"], "workers must be between 1 and 1024, got -1"),
        ]
        for (extra, expected) in cases {
            let folder = temporaryFolder()
            let outcome = try run(["train", "--task", "cartpole-balance", "--out", folder] + extra)
            XCTAssertNotEqual(outcome.status, 0, "\(extra)")
            XCTAssert(outcome.error.contains(expected), "for \(extra): \(outcome.error)")
            XCTAssertFalse(outcome.error.contains("Missing value"), outcome.error)
        }
    }

    func testMissingSettingsAreNamedAfterMerging() throws {
        let noTask = try run(["train", "--steps", "10", "--out", temporaryFolder()])
        XCTAssertNotEqual(noTask.status, 0)
        XCTAssert(noTask.error.contains("no task given"), noTask.error)
        let noOut = try run(["train", "--task", "cartpole-balance", "--steps", "10"])
        XCTAssertNotEqual(noOut.status, 0)
        XCTAssert(noOut.error.contains("no output folder given: add --out DIR"), noOut.error)
        let noSteps = try run(["train", "--task", "cartpole-balance", "--out", temporaryFolder()])
        XCTAssert(noSteps.error.contains("no step count given"), noSteps.error)
    }

    func testOneStepSaysItTrainsAWholeRollout() throws {
        let folder = temporaryFolder()
        let outcome = try run(["train", "--task", "cartpole-balance", "--steps", "1", "--eval-episodes", "1", "--out", folder,
                               "--quiet", "--workers", "1"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssert(outcome.error.contains("note: steps are rounded up to whole rollouts: 1 step = 1 rollout of 2048"), outcome.error)
        XCTAssert(outcome.output.contains("env_steps 2048"), outcome.output)
    }

    func testARatingRunEndingBeforeItsFirstRoundIsWarnedAbout() throws {
        let folder = temporaryFolder()
        let outcome = try run(["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "2048",
                               "--eval-episodes", "1", "--reward-epochs", "1", "--out", folder, "--quiet", "--workers", "1"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssert(outcome.error.contains("warning: ours gets its first ratings after 32768 steps"), outcome.error)
        XCTAssert(outcome.error.contains("--first-round"), outcome.error)
        XCTAssert(outcome.output.contains("ratings 0"), outcome.output)
    }

    func testAConfigFileWithFlagsOnTop() throws {
        let file = try temporaryFile("run.yaml", contents: """
            task: cartpole-balance
            method: ours
            steps: 2048
            evaluationEpisodes: 1
            workers: 1
            feedback:
              classes: 3
              training: {epochs: 1}
            """)
        let folder = temporaryFolder()
        let outcome = try run(["train", "--config", file, "--classes", "5", "--seed", "7", "--out", folder, "--quiet"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) as! [String: Any]
        let feedback = saved["feedback"] as! [String: Any]
        XCTAssertEqual(feedback["classes"] as? Int, 5, "the flag overrides the file")
        XCTAssertEqual((feedback["training"] as! [String: Any])["epochs"] as? Int, 1, "the file overrides the default")
        XCTAssertEqual(saved["seed"] as? Int, 7)
        XCTAssertEqual(saved["totalSteps"] as? Int, 2048)

        // The run's own config.json reproduces it.
        let again = temporaryFolder()
        let rerun = try run(["train", "--config", folder + "/config.json", "--out", again, "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.error)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again + "/config.json")),
                       try Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")))
    }

    func testBadConfigFilesAreRejectedBeforeAnythingIsWritten() throws {
        let cases: [(String, String)] = [
            ("task: walker-walk\nmethod: ours\nsteps: 10\nfeedback: {trainng: {epochs: 3}}",
             "unknown field 'feedback.trainng'; fields of feedback: classes,"),
            ("task: walker-walk\nmethod: ours\nsteps: 10\nclasses: 9", "rating classes must be between 2 and 6, got 9"),
            ("task: walker-walk\nsteps: 10\nppo: {epochs: many}", "ppo.epochs must be a whole number"),
            ("task: [walker-walk\n", "is not valid YAML"),
        ]
        for (text, expected) in cases {
            let file = try temporaryFile("bad.yaml", contents: text)
            let folder = temporaryFolder()
            let outcome = try run(["train", "--config", file, "--out", folder])
            XCTAssertNotEqual(outcome.status, 0, text)
            XCTAssert(outcome.error.contains(expected), "for \(text): \(outcome.error)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "\(text): a run folder was made")
        }
    }

    func testTrainHelpExplainsConfigFiles() throws {
        let outcome = try run(["train", "--help"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        for part in ["--config <file>", "ratingrl train --config <file> --out <dir>", "each overriding the one before",
                     "rounded up to whole PPO rollouts", "--first-round"] {
            XCTAssert(outcome.output.contains(part), "'\(part)' not in train --help")
        }
    }
}
