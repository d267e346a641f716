import Control
import Foundation
import PPO
import Randomness
import Ratings
import RewardLearning
import RunConfiguration
@testable import Training
import XCTest

/// An interrupted run resumed from its checkpoint ends with the files of an
/// uninterrupted run (but for timings), wherever it was interrupted.
final class ResumeTests: XCTestCase {
    func models() throws -> ModelDirectory {
        try ModelDirectory(path: TrainingRunTests.repositoryRoot.appendingPathComponent("models").path)
    }

    func temporaryFolder() -> String { temporaryRunFolder() }

    /// A small rating run: pre-training on the state-entropy bonus until 1536
    /// steps, then four feedback rounds from the first finished episodes on.
    static func ratingConfig(seed: UInt64 = 3) -> TrainingConfig {
        var ppo = PPOConfig.quick
        ppo.environments = 4
        ppo.stepsPerRollout = 64
        ppo.epochs = 2
        ppo.hiddenSizes = [16]
        var feedback = FeedbackConfig(task: "cartpole-balance", loss: .ours, classes: 3)
        feedback.rewardModel.hiddenSizes = [16]
        feedback.schedule = FeedbackSchedule(total: 160, perRound: 40, interval: 512, firstRound: 4096)
        feedback.training.epochs = 4
        feedback.training.stopAccuracy = 1
        feedback.unsupervisedSteps = 1536
        feedback.heldOutPerRound = 20
        return TrainingConfig(task: "cartpole-balance", method: .ratings(.ours), totalSteps: 24 * 256, seed: seed, preset: "quick",
                              ppo: ppo, evaluationInterval: 1024, evaluationEpisodes: 2, checkpointInterval: 2048,
                              workers: 2, feedback: feedback)
    }

    /// The files an uninterrupted run of `config` ends with, keyed by name, with timings removed.
    func comparableFiles(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in ["evaluations.csv", "ratings.jsonl", "reward_model.weights", "checkpoint.weights"] {
            if let data = FileManager.default.contents(atPath: folder + "/" + name) { files[name] = data }
        }
        let progress = try String(contentsOfFile: folder + "/progress.csv", encoding: .utf8)
        files["progress.csv"] = Data(progress.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { ![2, 3].contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }.joined(separator: "\n").utf8)
        if let feedback = try? String(contentsOfFile: folder + "/feedback.jsonl", encoding: .utf8) {
            // Every field but the round's wall seconds.
            files["feedback.jsonl"] = Data(feedback.replacingOccurrences(
                of: #""seconds":[0-9.e+-]+"#, with: "", options: .regularExpression).utf8)
        }
        return files
    }

    func assertSameFiles(_ a: String, _ b: String, _ message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try comparableFiles(a), found = try comparableFiles(b)
        XCTAssertEqual(Set(found.keys), Set(expected.keys), message, file: file, line: line)
        for (name, data) in expected where found[name] != data {
            XCTFail("\(message): \(name) differs", file: file, line: line)
        }
    }

    func testInterruptedRunsResumeToIdenticalFiles() throws {
        let config = Self.ratingConfig()
        let reference = temporaryFolder()
        let summary = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: reference, overwrite: false))
        XCTAssertEqual(summary.ratings, 160)
        XCTAssertFalse(FileManager.default.fileExists(atPath: reference + "/checkpoints"), "a finished run keeps no run-state checkpoints")

        // Stop requests during pre-training, at a pre-round checkpoint, between
        // a round's epochs (twice in one run), and late in the run.
        for stops in [[3], [16], [18], [19, 2], [30]] {
            let folder = temporaryFolder()
            var interruptions = 0
            var calls = 0, target = stops[0]
            do {
                _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false),
                                        shouldStop: { calls += 1; return calls == target })
                XCTFail("stop \(stops): the run was not interrupted")
            } catch is RunInterrupted {
                interruptions += 1
            }
            for next in stops.dropFirst() + [Int.max] {
                calls = 0; target = next
                do {
                    let resumed = try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models(),
                                                         shouldStop: { calls += 1; return calls == target })
                    XCTAssertEqual(resumed.finalEvalReturn, summary.finalEvalReturn)
                    XCTAssertEqual(resumed.finalSpearman, summary.finalSpearman)
                    XCTAssertEqual(resumed.blasKernel, summary.blasKernel, "resumed under the same kernel")
                } catch is RunInterrupted {
                    interruptions += 1
                }
            }
            XCTAssertEqual(interruptions, stops.count)
            try assertSameFiles(reference, folder, "interrupted at \(stops)")
        }
    }

    /// A stop signal while people are rating (the run waits in a round) ends
    /// the wait; the run resumes from the checkpoint before the round, and
    /// people who then rate as the synthetic rater would give the files of a
    /// run the synthetic rater rated throughout.
    func testARunStoppedWhileWaitingForPeopleResumesToIdenticalFiles() throws {
        let config = Self.ratingConfig()
        let reference = temporaryFolder(), folder = temporaryFolder()
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: reference, overwrite: false))
        let people = PeopleWaitingInRound(round: 1, rater: try XCTUnwrap(config.feedback).rater())
        var calls = 0
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false),
                                                 rater: people, shouldStop: { calls += 1; return calls == 1000 })) { error in
            XCTAssert(error is RunInterrupted, "\(error)")
        }
        XCTAssertEqual(calls, 1000, "the run waited in round 1 until it was told to stop")
        let lines = try String(contentsOfFile: folder + "/ratings.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssert(lines.allSatisfy { $0.contains("\"round\":0") }, "nothing of round 1 was logged")
        _ = try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models(),
                                   rater: PeopleWaitingInRound(round: nil, rater: people.rater))
        try assertSameFiles(reference, folder, "stopped while waiting for people")
    }

    /// Contacts make a simulation sensitive to every bit of its state (and the
    /// solver's warm start): PPO on quadruped-walk, interrupted twice.
    func testPPOOnAContactTaskResumesToIdenticalFiles() throws {
        var config = Self.ratingConfig()
        config.task = "quadruped-walk"
        config.method = .ppo
        config.feedback = nil
        config.totalSteps = 8 * 256
        config.evaluationInterval = 512
        config.checkpointInterval = 512
        let reference = temporaryFolder(), folder = temporaryFolder()
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: reference, overwrite: false))
        var calls = 0
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false),
                                                 shouldStop: { calls += 1; return calls == 3 }))
        calls = 0
        XCTAssertThrowsError(try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models(),
                                                    shouldStop: { calls += 1; return calls == 2 }))
        _ = try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models())
        try assertSameFiles(reference, folder, "quadruped-walk")
    }

    /// A run resumed under another OpenBLAS kernel says so, and its summary
    /// names every kernel it was trained with, in order.
    func testResumingUnderAnotherKernelIsReportedAndRecorded() throws {
        var config = Self.ratingConfig()
        config.method = .ppo
        config.feedback = nil
        config.totalSteps = 8 * 256
        let folder = temporaryFolder()
        var calls = 0
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false),
                                                 blasKernel: "First", shouldStop: { calls += 1; return calls == 3 }))
        calls = 0
        XCTAssertThrowsError(try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models(),
                                                    blasKernel: "First", events: { event in
            if case .blasKernelChanged = event { XCTFail("the kernel did not change") }
        }, shouldStop: { calls += 1; return calls == 2 }))
        var changes: [String] = []
        let summary = try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models(),
                                             blasKernel: "Second", events: { event in
            if case let .blasKernelChanged(previous, current) = event { changes.append("\(previous)->\(current)") }
        })
        XCTAssertEqual(changes, ["First->Second"])
        XCTAssertEqual(summary.blasKernel, "First+Second")
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as? [String: Any]
        XCTAssertEqual(written?["blas_kernel"] as? String, "First+Second")
    }

    func testDamagedNewestCheckpointFallsBackToThePreviousOne() throws {
        let config = Self.ratingConfig()
        let reference = temporaryFolder(), folder = temporaryFolder()
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: reference, overwrite: false))
        var calls = 0
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false),
                                                 shouldStop: { calls += 1; return calls == 22 }))
        let directory = try RunDirectory(existing: folder)
        let files = directory.checkpointFiles()
        XCTAssertEqual(files.count, 2, "the two newest checkpoints are kept")
        // Cut the newest one short, as a crash while copying it would.
        let newest = try XCTUnwrap(files.first)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: newest))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: newest))
        var rejected: [String] = []
        _ = try TrainingRun.resume(directory: directory, models: models(), events: { event in
            if case let .checkpointRejected(reason) = event { rejected.append(reason) }
        })
        XCTAssertEqual(rejected.count, 1)
        XCTAssert(rejected.first?.contains(newest) == true && rejected.first?.contains("truncated") == true, "\(rejected)")
        try assertSameFiles(reference, folder, "resumed from the older checkpoint")
    }

    func testARunFolderIsTrainedByOneProcessAtATime() throws {
        let folder = temporaryFolder()
        var calls = 0
        XCTAssertThrowsError(try TrainingRun.run(Self.ratingConfig(), models: models(),
                                                 directory: RunDirectory(path: folder, overwrite: false),
                                                 shouldStop: { calls += 1; return calls == 2 }))
        let directory = try RunDirectory(existing: folder)
        var held: RunLock? = try directory.lock()
        XCTAssertThrowsError(try TrainingRun.resume(directory: directory, models: models())) { error in
            XCTAssert("\(error)".contains("being trained by another process (pid \(getpid()) on "), "\(error)")
        }
        XCTAssertNotNil(held)
        held = nil
        XCTAssertNoThrow(try TrainingRun.resume(directory: directory, models: models()))
    }

    func testArchiveRejectsEveryDamage() throws {
        var archive = CheckpointArchive()
        archive.put("numbers", doubles: [1.5, -0.0, .pi, 1e-300])
        archive.put("rows", rows: [[1, 2], [], [3]])
        let data = archive.encoded()
        let read = try CheckpointArchive(data: data, source: "good.state")
        XCTAssertEqual(try read.doubles("numbers").map(\.bitPattern), [1.5, -0.0, .pi, 1e-300].map(\.bitPattern))
        XCTAssertEqual(try read.rows("rows"), [[1, 2], [], [3]])
        XCTAssertThrowsError(try read.floats("numbers"), "a record read as the wrong kind")
        for damage in [data.prefix(data.count - 1), data.prefix(10), Data()] {
            XCTAssertThrowsError(try CheckpointArchive(data: Data(damage), source: "cut.state")) { error in
                XCTAssert("\(error)".contains("cut.state"), "\(error)")
            }
        }
        for position in [0, 12, data.count / 2, data.count - 3] {
            var flipped = data
            flipped[position] ^= 0x10
            XCTAssertThrowsError(try CheckpointArchive(data: flipped, source: "flipped.state"), "byte \(position)")
        }
    }

    func testOverwriteRemovesTheOldRunsFiles() throws {
        let folder = temporaryFolder()
        _ = try TrainingRun.run(Self.ratingConfig(), models: models(), directory: RunDirectory(path: folder, overwrite: false))
        var ppo = Self.ratingConfig()
        ppo.method = .ppo
        ppo.feedback = nil
        ppo.totalSteps = 512
        try "notes".write(toFile: folder + "/my-notes.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RunDirectory(path: folder, overwrite: false))
        _ = try TrainingRun.run(ppo, models: models(), directory: RunDirectory(path: folder, overwrite: true))
        for name in ["ratings.jsonl", "feedback.jsonl", "reward_model.weights"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) of the old run is still there")
        }
        XCTAssert(FileManager.default.fileExists(atPath: folder + "/my-notes.txt"), "files the run did not write are kept")
    }

    /// A run started by an earlier version resumes into its own columns: a log
    /// whose header names only the leading columns gets rows of those alone,
    /// and one whose header names others is refused.
    func testResumedLogKeepsTheColumnsItWasStartedWith() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/evaluations.csv"
        let earlier = "env_steps,mean_return\n512,1.5\n1024,2.5\n"
        try earlier.write(toFile: path, atomically: true, encoding: .utf8)
        let kept = UInt64("env_steps,mean_return\n512,1.5\n".utf8.count)
        do {
            let log = try CSVLog(path: path, columns: ["env_steps", "mean_return", "returns"], keepingBytes: kept)
            XCTAssertEqual(log.columns, ["env_steps", "mean_return"])
            log.append([1536, 3.5, "3 4"])
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "env_steps,mean_return\n512,1.5\n1536,3.5\n")

        let current = try CSVLog(path: path, columns: ["env_steps", "mean_return"], keepingBytes: kept)
        XCTAssertEqual(current.columns, ["env_steps", "mean_return"])
        XCTAssertThrowsError(try CSVLog(path: path, columns: ["env_steps", "std_return", "returns"], keepingBytes: kept)) { error in
            XCTAssert("\(error)".contains("has the columns env_steps,mean_return"), "\(error)")
        }
    }

    func testARunThatFailsBeforeItsFirstStepLeavesNoFolder() throws {
        let folder = temporaryFolder()
        // A models folder whose cartpole model is unreadable.
        let broken = temporaryFolder()
        try FileManager.default.copyItem(atPath: try models().path, toPath: broken)
        try "<mujoco><worldbody>".write(toFile: broken + "/cartpole.xml", atomically: true, encoding: .utf8)
        let brokenModels = try ModelDirectory(path: broken)
        XCTAssertThrowsError(try TrainingRun.run(Self.ratingConfig(), models: brokenModels,
                                                 directory: RunDirectory(path: folder, overwrite: false)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
        var invalid = Self.ratingConfig()
        invalid.evaluationEpisodes = 0
        XCTAssertThrowsError(try TrainingRun.run(invalid, models: models(), directory: RunDirectory(path: folder, overwrite: false)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }
}

/// People who rate as `rater` would, except that in round `round` they never
/// do: the run waits, asking whether to stop, until told to.
private struct PeopleWaitingInRound: Rater {
    let round: Int?
    let rater: SyntheticRater

    func ratings(round: Int, choosing choose: (inout SeededRandom) throws -> [Segment], random: inout SeededRandom,
                 shouldStop: () -> Bool) throws -> [RatedSegment] {
        guard round == self.round else { return try rater.ratings(round: round, choosing: choose, random: &random, shouldStop: shouldStop) }
        _ = try choose(&random)
        while !shouldStop() {}
        throw RatingStopped()
    }
}
