import Control
import Foundation
import NeuralNet
import PPO
import Ratings
import Results
import RewardLearning
import RunConfiguration
import Training
import XCTest

extension XCTestCase {
    /// A fresh folder path under the temporary directory, removed after the test.
    func temporaryRunFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}

final class TrainingRunTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func models() throws -> ModelDirectory {
        try ModelDirectory(path: Self.repositoryRoot.appendingPathComponent("models").path)
    }

    func temporaryFolder() -> String { temporaryRunFolder() }

    func tinyConfig(seed: UInt64) -> TrainingConfig {
        var ppo = PPOConfig.quick
        ppo.environments = 4
        ppo.stepsPerRollout = 64
        ppo.epochs = 2
        ppo.hiddenSizes = [16]
        return TrainingConfig(task: "cartpole-balance", totalSteps: 3 * 256, seed: seed, preset: "quick", ppo: ppo,
                              evaluationInterval: 512, evaluationEpisodes: 2, checkpointInterval: 512, workers: 2)
    }

    /// progress.csv without its two timing columns.
    func deterministicColumns(_ folder: String) throws -> [String] {
        let text = try String(contentsOfFile: folder + "/progress.csv", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).enumerated()
                .filter { ![2, 3].contains($0.offset) }.map { String($0.element) }.joined(separator: ",")
        }
    }

    func testSameConfigAndSeedGiveTheSameProgress() throws {
        let (a, b, c) = (temporaryFolder(), temporaryFolder(), temporaryFolder())
        _ = try TrainingRun.run(tinyConfig(seed: 4), models: models(), directory: RunDirectory(path: a, overwrite: false))
        _ = try TrainingRun.run(tinyConfig(seed: 4), models: models(), directory: RunDirectory(path: b, overwrite: false))
        _ = try TrainingRun.run(tinyConfig(seed: 5), models: models(), directory: RunDirectory(path: c, overwrite: false))
        let first = try deterministicColumns(a)
        XCTAssertEqual(first.count, 4, "header and three updates")
        XCTAssertEqual(first, try deterministicColumns(b))
        XCTAssertNotEqual(first, try deterministicColumns(c))
    }

    func testRunWritesItsFilesAndRefusesToOverwrite() throws {
        let folder = temporaryFolder()
        let summary = try TrainingRun.run(tinyConfig(seed: 1), models: models(), directory: RunDirectory(path: folder, overwrite: false))
        XCTAssertEqual(summary.envSteps, 768)
        XCTAssertNil(summary.rewardTrainingSeconds, "no reward model in a ppo run")
        for file in ["config.json", "progress.csv", "evaluations.csv", "checkpoint.weights", "summary.json"] {
            XCTAssert(FileManager.default.fileExists(atPath: folder + "/" + file), file)
        }
        let decoded = try JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json")))
        XCTAssertEqual(decoded, tinyConfig(seed: 1))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as? [String: Any]
        for key in ["final_eval_return", "env_steps", "wall_seconds"] { XCTAssertNotNil(json?[key], key) }
        // The BLAS kernel is recorded, since the same config and seed can train otherwise under another.
        XCTAssertEqual(json?["blas_kernel"] as? String, openBLASCoreName())
        XCTAssertNotEqual(summary.blasKernel, "unknown")
        // And the code: the commit this program was built from, which is this checkout's HEAD.
        let head = Process()
        head.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        head.arguments = ["-C", URL(fileURLWithPath: #filePath).deletingLastPathComponent().path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        head.standardOutput = pipe
        try head.run()
        let commit = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        head.waitUntilExit()
        XCTAssertEqual(commit.count, 40)
        let recorded = try XCTUnwrap(json?["build_commit"] as? String)
        XCTAssert(recorded == commit || recorded == commit + " (dirty)", "\(recorded) is not HEAD \(commit)")
        XCTAssertThrowsError(try RunDirectory(path: folder, overwrite: false)) { error in
            XCTAssert("\(error)".contains("--overwrite"), "\(error)")
        }
        XCTAssertNoThrow(try RunDirectory(path: folder, overwrite: true))
    }

    /// Every evaluation records each episode's return; their mean and standard
    /// deviation are the row's, and the last row's are the summary's.
    func testEvaluationsRecordEachEpisodesReturn() throws {
        let root = temporaryFolder()
        let summary = try TrainingRun.run(tinyConfig(seed: 2), models: models(),
                                          directory: RunDirectory(path: root + "/run", overwrite: false))
        let points = try XCTUnwrap(RunCatalog(root: root).runs.first).evaluations()
        XCTAssertEqual(points.map(\.envSteps), [512, 768])
        for point in points {
            let returns = try XCTUnwrap(point.returns)
            XCTAssertEqual(returns.count, 2)
            let mean = returns.reduce(0, +) / 2
            let deviation = (returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
            XCTAssertEqual(mean, point.meanReturn, accuracy: 1e-5 * max(1, abs(mean)))
            XCTAssertEqual(deviation, point.stdReturn, accuracy: 1e-5 * max(1, abs(mean)))
        }
        let finalReturns = try XCTUnwrap(summary.finalEvalReturns)
        XCTAssertEqual(finalReturns.count, 2)
        for (written, exact) in zip(try XCTUnwrap(points.last?.returns), finalReturns) {
            XCTAssertEqual(written, exact, accuracy: 1e-5 * max(1, abs(exact)))
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/run/summary.json"))) as? [String: Any]
        XCTAssertEqual(json?["final_eval_returns"] as? [Double], finalReturns)

        // A file written before the returns were recorded still reads, without them.
        try "env_steps,mean_return,std_return,episodes\n512,1.5,0.5,2\n".write(toFile: root + "/run/evaluations.csv",
                                                                                 atomically: true, encoding: .utf8)
        let earlier = try XCTUnwrap(RunCatalog(root: root).runs.first).evaluations()
        XCTAssertEqual(earlier.map(\.meanReturn), [1.5])
        XCTAssertNil(earlier.first?.returns)
        // One whose returns do not match its episode count is named as malformed.
        try "env_steps,mean_return,std_return,episodes,returns\n512,1.5,0.5,2,1.5\n".write(toFile: root + "/run/evaluations.csv",
                                                                                           atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try XCTUnwrap(RunCatalog(root: root).runs.first).evaluations()) { error in
            XCTAssert("\(error)".contains("line 2 has 1 readable returns for 2 episodes"), "\(error)")
        }
    }

    func testInvalidConfigurationIsRejectedBeforeTraining() throws {
        var config = tinyConfig(seed: 0)
        config.ppo.minibatchSize = 10_000
        config.method = .ratings(.ours)  // without a feedback configuration
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: temporaryFolder(), overwrite: false))) { error in
            let text = "\(error)"
            XCTAssert(text.contains("minibatch") && text.contains("method ours learns from ratings and needs a feedback configuration"), text)
        }
    }

    /// PPO with the quick preset learns cartpole-balance: final deterministic
    /// return ≥ 900 within 300k steps, for each of three seeds.
    func testQuickPresetLearnsCartpoleBalance() throws {
        #if DEBUG
        throw XCTSkip("learning takes minutes unoptimised; `make test` runs the suite in release mode")
        #else
        for seed: UInt64 in [0, 1, 2] {
            let config = TrainingConfig(task: "cartpole-balance", totalSteps: 300_000, seed: seed, preset: "quick",
                                        ppo: .quick, evaluationInterval: 0, evaluationEpisodes: 10, workers: 2)
            let summary = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: temporaryFolder(), overwrite: false))
            XCTAssertGreaterThanOrEqual(summary.finalEvalReturn, 900, "seed \(seed)")
            XCTAssertLessThanOrEqual(summary.envSteps, 301_056)
        }
        #endif
    }
}

final class RatingRunTests: XCTestCase {
    func models() throws -> ModelDirectory {
        try ModelDirectory(path: TrainingRunTests.repositoryRoot.appendingPathComponent("models").path)
    }

    func temporaryFolder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rating-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A rating-based run with a small reward model and a compressed schedule.
    func ratingConfig(method: RewardLoss, steps: Int, seed: UInt64, ppo: PPOConfig = .quick) -> TrainingConfig {
        var feedback = FeedbackConfig(task: "cartpole-balance", loss: method, classes: 4)
        feedback.rewardModel.hiddenSizes = [64, 64]
        feedback.schedule = FeedbackSchedule(total: 1000, perRound: 100, interval: 16_384, firstRound: 16_384)
        return TrainingConfig(task: "cartpole-balance", method: .ratings(method), totalSteps: steps, seed: seed,
                              preset: "quick", ppo: ppo, evaluationInterval: 0, evaluationEpisodes: 10, workers: 2,
                              feedback: feedback)
    }

    /// A rating run of a few thousand steps: 4 environments, tiny networks,
    /// one evaluation episode and the given schedule.
    func tinyRatingConfig(method: RewardLoss, steps: Int, seed: UInt64, schedule: FeedbackSchedule,
                          rewardEpochs: Int) -> TrainingConfig {
        var ppo = PPOConfig.quick
        ppo.environments = 4
        ppo.stepsPerRollout = 256
        ppo.epochs = 1
        ppo.hiddenSizes = [16]
        var config = ratingConfig(method: method, steps: steps, seed: seed, ppo: ppo)
        config.feedback!.schedule = schedule
        config.feedback!.rewardModel.hiddenSizes = [8]
        config.feedback!.training.epochs = rewardEpochs
        config.evaluationEpisodes = 1
        return config
    }

    /// The whole loop (episodes → segments → synthetic ratings → reward model →
    /// PPO on the learned reward) learns cartpole-balance without its reward,
    /// and the learned segment returns rank held-out segments like the true ones.
    ///
    /// PPO here is the quick preset without its annealing: the loop is under
    /// test, not the preset, and in a 300k-step run whose ratings arrive until
    /// 164k the annealed learning rate is half gone before the reward model has
    /// settled (this run ended at 489 with it). Longer rating runs with the
    /// annealed preset are measured in docs/results.md and by `make run`.
    func testLearningFromRatingsBalancesTheCartpole() throws {
        #if DEBUG
        throw XCTSkip("learning takes minutes unoptimised; `make test` runs the suite in release mode")
        #else
        let folder = temporaryFolder()
        let summary = try TrainingRun.run(ratingConfig(method: .ours, steps: 300_000, seed: 0, ppo: .quickUnannealed), models: models(),
                                          directory: RunDirectory(path: folder, overwrite: false))
        XCTAssertGreaterThanOrEqual(summary.finalEvalReturn, 800)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(summary.finalSpearman), 0.8)
        XCTAssertEqual(summary.ratings, 1000)
        let roundSeconds = try XCTUnwrap(summary.rewardTrainingSeconds)
        XCTAssert(roundSeconds > 0 && roundSeconds < summary.wallSeconds, "reward training \(roundSeconds) s")
        let lines = try String(contentsOfFile: folder + "/feedback.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 10, "one diagnostics line per feedback round")
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        let report = try XCTUnwrap(first?["report"] as? [String: Any])
        for key in ["ratingHistogram", "members", "mean", "spearman", "pearson"] { XCTAssertNotNil(report[key], key) }
        XCTAssert(FileManager.default.fileExists(atPath: folder + "/reward_model.weights"))
        #endif
    }

    /// Rating-based runs are as reproducible as PPO runs.
    func testRatingRunIsDeterministic() throws {
        // The first round is due after one rollout but waits for the first
        // complete episodes (1000 steps per environment, 4096 in all).
        var config = tinyRatingConfig(method: .ours, steps: 6 * 1024, seed: 3,
                                      schedule: FeedbackSchedule(total: 40, perRound: 20, interval: 1024, firstRound: 1024),
                                      rewardEpochs: 3)
        config.feedback!.episodeCapacity = 10
        var outputs: [String] = []
        var lastFolder: String?
        for _ in 0..<2 {
            let folder = temporaryFolder()
            lastFolder = folder
            _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false))
            let feedback = try String(contentsOfFile: folder + "/feedback.jsonl", encoding: .utf8)
            // Timing is the only part allowed to differ.
            outputs.append(feedback.replacingOccurrences(of: #""seconds":[0-9.e-]+"#, with: "", options: .regularExpression))
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0].split(separator: "\n").count, 2, "two rounds, the first postponed to 4096 steps")
        try checkRatedSegmentsReplay(folder: lastFolder!, count: 40)
        XCTAssert(outputs[0].hasPrefix(#"{"env_steps":4096"#), outputs[0])
    }

    /// Disagreement queries start with the second round: the first round draws
    /// uniformly (the ensemble has not been trained), so its ratings equal a
    /// uniform run's, and the second round's differ.
    func testDisagreementStartsAfterTheFirstRound() throws {
        var config = tinyRatingConfig(method: .rbrl, steps: 6 * 1024, seed: 5,
                                      schedule: FeedbackSchedule(total: 40, perRound: 20, interval: 1024, firstRound: 4096),
                                      rewardEpochs: 2)
        /// Each rated segment as "episode:start step" (short failure messages).
        func windows(_ lines: ArraySlice<Substring>) -> [String] {
            lines.map { line in
                let fields = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return "\(fields?["episode"] ?? "?"):\(fields?["start_step"] ?? "?")"
            }
        }
        var rounds: [[[String]]] = []
        for query in [QuerySelection.uniform, .disagreement(candidateFactor: 10)] {
            config.feedback!.querySelection = query
            let folder = temporaryFolder()
            _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false))
            let lines = try String(contentsOfFile: folder + "/ratings.jsonl", encoding: .utf8).split(separator: "\n")
            XCTAssertEqual(lines.count, 40)
            rounds.append([windows(lines.prefix(20)), windows(lines.dropFirst(20))])
        }
        XCTAssertEqual(rounds[0][0], rounds[1][0], "first round: uniform either way")
        XCTAssertNotEqual(rounds[0][1], rounds[1][1], "second round: chosen by disagreement")
    }

    /// Every rating is logged with the segment's start state and actions, and
    /// replaying them from that state reproduces the rated return.
    func checkRatedSegmentsReplay(folder: String, count: Int) throws {
        struct Line: Decodable {
            let rating: Int
            let true_return: Double
            let start_state: [Double]
            let actions: [[Double]]
        }
        let lines = try String(contentsOfFile: folder + "/ratings.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, count)
        let environment = try Suite.make("cartpole-balance", models: models())
        for line in lines.prefix(5) {
            let rated = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            XCTAssertEqual(rated.actions.count, 50)
            XCTAssert((0..<4).contains(rated.rating))
            let replay = try environment.replay(state: rated.start_state, actions: rated.actions)
            XCTAssertEqual(replay.rewards.reduce(0, +), rated.true_return, accuracy: 1e-6)
        }
    }

    /// Pre-training on the state-entropy bonus runs before the learned reward
    /// takes over, and changes the run (it is not silently ignored).
    func testUnsupervisedPretrainingRuns() throws {
        var config = tinyRatingConfig(method: .ours, steps: 5 * 1024, seed: 3,
                                      schedule: FeedbackSchedule(total: 20, perRound: 20, interval: 1024, firstRound: 4096),
                                      rewardEpochs: 2)
        let plain = temporaryFolder(), pretrained = temporaryFolder()
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: plain, overwrite: false))
        config.feedback!.unsupervisedSteps = 2048
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: pretrained, overwrite: false))
        let a = try String(contentsOfFile: plain + "/ratings.jsonl", encoding: .utf8)
        let b = try String(contentsOfFile: pretrained + "/ratings.jsonl", encoding: .utf8)
        XCTAssertFalse(b.isEmpty)
        XCTAssertNotEqual(a, b, "a policy pre-trained on novelty visits other states")
    }

    func testBadFeedbackSettingsAreRejected() throws {
        var config = ratingConfig(method: .rbrl, steps: 1000, seed: 0)
        config.feedback!.classes = 7
        config.feedback!.schedule.perRound = 0
        XCTAssertThrowsError(try TrainingRun.run(config, models: models(), directory: RunDirectory(path: temporaryFolder(), overwrite: false))) { error in
            let text = "\(error)"
            XCTAssert(text.contains("between 2 and 6, got 7") && text.contains("per round"), text)
        }
        var missing = ratingConfig(method: .ours, steps: 1000, seed: 0)
        missing.feedback = nil
        XCTAssertThrowsError(try TrainingRun.run(missing, models: models(), directory: RunDirectory(path: temporaryFolder(), overwrite: false)))
    }

    /// Every part of a feedback configuration is checked before the run
    /// starts, not first at the feedback round that would use it.
    func testEachFeedbackPartIsChecked() {
        let valid = FeedbackConfig(task: "cartpole-balance", loss: .ours)
        XCTAssertEqual(valid.problems, [])
        let broken: [(String, (inout FeedbackConfig) -> Void)] = [
            ("reward epochs = 0", { $0.training.epochs = 0 }),
            ("stop accuracy = 1.5", { $0.training.stopAccuracy = 1.5 }),
            ("stop accuracy = nan", { $0.training.stopAccuracy = .nan }),
            ("mistake rate = 2.0", { $0.noise.mistakeRate = 2 }),
            ("candidate factor", { $0.querySelection = .disagreement(candidateFactor: 0) }),
            ("learning rate", { $0.rewardModel.learningRate = 0 }),
            ("segment length", { $0.segmentLength = 0 }),
            ("unsupervised steps", { $0.unsupervisedSteps = -1 }),
            ("maximum return", { $0.maxReturn = .infinity }),
            ("rating classes must be between 2 and 6, got 1", { $0.classes = 1 }),
            ("episode capacity", { $0.episodeCapacity = 0 }),
        ]
        for (expected, breakIt) in broken {
            var config = valid
            breakIt(&config)
            XCTAssertEqual(config.problems.count, 1, expected)
            XCTAssert(config.problems.joined().contains(expected), "\(expected): \(config.problems)")
        }
    }
}

final class StateEntropyRewardTests: XCTestCase {
    /// On a line of remembered points 0, 1, 2, 3, 4, the 2nd nearest neighbour
    /// of 0.1 is 1 (distance 0.9), of 10 it is 3 (distance 7).
    func testRewardIsLogOfKthNeighbourDistance() {
        let reward = StateEntropyReward(k: 2, capacity: 100)
        let points = Matrix(rows: 5, columns: 1, values: [0, 1, 2, 3, 4])
        let first = reward.rewards(rawObservations: [], normalizedObservations: points, actions: Array(repeating: [], count: 5),
                                   trueRewards: [])
        XCTAssertEqual(first, [0, 0, 0, 0, 0], "nothing is remembered yet")
        let queries = Matrix(rows: 2, columns: 1, values: [0.1, 10])
        let values = reward.rewards(rawObservations: [], normalizedObservations: queries, actions: [[], []], trueRewards: [])
        XCTAssertEqual(values[0], log(1 + 0.9), accuracy: 1e-6)
        XCTAssertEqual(values[1], log(1 + 7), accuracy: 1e-6)
    }

    func testOldestObservationsAreForgotten() {
        let reward = StateEntropyReward(k: 1, capacity: 2)
        _ = reward.rewards(rawObservations: [], normalizedObservations: Matrix(rows: 3, columns: 1, values: [0, 5, 6]),
                           actions: [[], [], []], trueRewards: [])
        // 0 was pushed out by 6: the nearest remembered point to 0 is now 5.
        let value = reward.rewards(rawObservations: [], normalizedObservations: Matrix(rows: 1, columns: 1, values: [0]),
                                   actions: [[]], trueRewards: [])
        XCTAssertEqual(value[0], log(6.0), accuracy: 1e-6)
    }
}
