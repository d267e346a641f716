import Control
import Foundation
import PythonCheck
import TensorBoardEvents
@testable import Training
import XCTest

/// Runs write TensorBoard event files that TensorBoard's own reader
/// (`EventAccumulator`, in the project's Python environment) reads: while the
/// run goes, after it is interrupted and resumed, and after --overwrite.
final class TensorBoardTests: XCTestCase {
    /// Every scalar of the event files in `folder`, as TensorBoard reads them: tag → [(step, value)].
    static func scalars(in folder: String) throws -> [String: [(step: Int, value: Float)]] {
        let json = try ProjectPython.json([String: [[Double]]].self, """
            import json, sys
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            events = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})
            events.Reload()
            print(json.dumps({tag: [[e.step, e.value] for e in events.Scalars(tag)] for tag in events.Tags()["scalars"]}))
            """, arguments: [folder])
        return json.mapValues { $0.map { (step: Int($0[0]), value: Float($0[1])) } }
    }

    /// Values and steps come back exactly (as float32), whatever they are.
    func testTensorBoardReadsBackExactlyWhatWasWritten() throws {
        let folder = temporaryRunFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = EventFile(appendingTo: try openLog(path: folder + "/" + EventFile.fileName(startTime: Date()),
                                                      header: EventFile.fileVersionRecord(), keepingBytes: nil))
        let values: [Double] = [1.0 / 3, -0.0, 1e-30, -123456.789, 3.4e38, 0.1]
        for (i, value) in values.enumerated() {
            file.write(step: i == 5 ? 1 << 40 : i * 1000, scalars: [("a/value", value), ("b/twice", 2 * value)])
        }
        file.write(step: 7, scalars: [("a/value", .nan)])  // left out
        let read = try Self.scalars(in: folder)
        XCTAssertEqual(Set(read.keys), ["a/value", "b/twice"])
        XCTAssertEqual(read["a/value"]!.map(\.step), [0, 1000, 2000, 3000, 4000, 1 << 40])
        XCTAssertEqual(read["a/value"]!.map(\.value), values.map { Float($0) })
        // 2 × 3.4e38 is beyond float32: left out, not written as infinity.
        XCTAssertEqual(read["b/twice"]!.map(\.step), [0, 1000, 2000, 3000, 1 << 40])
    }

    /// A rating run read while it trains, after an interrupt and resume, and
    /// after --overwrite: every update's, evaluation's and feedback round's
    /// scalars once, at the steps of progress.csv, evaluations.csv and
    /// feedback.jsonl, equal to an uninterrupted run's.
    func testARunIsReadableWhileItGoesAndAResumeNeitherRepeatsNorLosesAStep() throws {
        let config = ResumeTests.ratingConfig()
        let models = try ModelDirectory(path: TrainingRunTests.repositoryRoot.appendingPathComponent("models").path)
        let reference = temporaryRunFolder()
        _ = try TrainingRun.run(config, models: models, directory: RunDirectory(path: reference, overwrite: false))
        let expected = try Self.scalars(in: reference + "/tb")

        let progressSteps = try String(contentsOfFile: reference + "/progress.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
        XCTAssertEqual(expected["train/clip_range"]?.map(\.step), progressSteps)
        let evaluations = try String(contentsOfFile: reference + "/evaluations.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(expected["eval/mean_reward"]?.map(\.step), evaluations.map { Int($0[0])! })
        for (point, row) in zip(expected["eval/mean_reward"]!, evaluations) {
            XCTAssertEqual(Double(point.value), Double(row[1])!, accuracy: 1e-5 * max(1, abs(Double(row[1])!)))
        }
        let rounds = try String(contentsOfFile: reference + "/feedback.jsonl", encoding: .utf8).split(separator: "\n").count
        XCTAssertEqual(expected["reward_model/accuracy"]?.count, rounds)
        XCTAssertEqual(expected["ratings/total"]?.last?.value, 160)
        for tag in ["train/learning_rate", "rollout/ep_rew_mean", "reward_model/exp_neg_s1", "reward_model/exp_neg_s2",
                    "reward_model/heldout_spearman", "reward_model/balanced_accuracy", "ratings/class_0", "time/fps"] {
            XCTAssertNotNil(expected[tag], tag)
        }

        // Read while the run goes (at its 10th stop check), interrupted between
        // a round's epochs, resumed to the end.
        let folder = temporaryRunFolder()
        var calls = 0
        var whileRunning: [String: [(step: Int, value: Float)]] = [:]
        XCTAssertThrowsError(try TrainingRun.run(config, models: models, directory: RunDirectory(path: folder, overwrite: false),
                                                 shouldStop: {
            calls += 1
            if calls == 10 { whileRunning = (try? Self.scalars(in: folder + "/tb")) ?? [:] }
            return calls == 18
        }))
        let seen = whileRunning["train/clip_range"]?.map(\.step) ?? []
        XCTAssertFalse(seen.isEmpty, "scalars are readable while the run goes")
        XCTAssertEqual(seen, Array(progressSteps.prefix(seen.count)))
        _ = try TrainingRun.resume(directory: RunDirectory(existing: folder), models: models)
        try assertSameScalars(Self.scalars(in: folder + "/tb"), expected, "interrupted and resumed")

        // --overwrite starts clean: one event file, nothing of the old run.
        _ = try TrainingRun.run(config, models: models, directory: RunDirectory(path: folder, overwrite: true))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/tb")
        XCTAssertEqual(files.count, 1, "\(files)")
        try assertSameScalars(Self.scalars(in: folder + "/tb"), expected, "overwritten")
    }

    /// Same tags at the same steps; same values but for wall-clock ones.
    func assertSameScalars(_ found: [String: [(step: Int, value: Float)]], _ expected: [String: [(step: Int, value: Float)]],
                           _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(found.keys), Set(expected.keys), message, file: file, line: line)
        for (tag, points) in expected {
            XCTAssertEqual(found[tag]?.map(\.step), points.map(\.step), "\(message): \(tag) steps", file: file, line: line)
            if tag != "time/fps" && tag != "reward_model/train_seconds" {
                XCTAssertEqual(found[tag]?.map(\.value), points.map(\.value), "\(message): \(tag) values", file: file, line: line)
            }
        }
    }
}
