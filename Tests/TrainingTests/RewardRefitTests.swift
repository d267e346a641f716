import Control
import Foundation
import Randomness
import Ratings
import RewardLearning
import RunConfiguration
import SegmentReplay
import Training
import XCTest

/// `RewardRefit`: a new reward model trained on a run's ratings, scored on test segments.
extension RatingRunTests {
    /// A run's ratings come back replayed, by round, with the rated classes and
    /// the recorded true returns; every fifth is set aside for testing.
    func testRefitReplaysARunsRatingsByRound() throws {
        let config = tinyRatingConfig(method: .ours, steps: 6 * 1024, seed: 3,
                                      schedule: FeedbackSchedule(total: 40, perRound: 20, interval: 1024, firstRound: 1024),
                                      rewardEpochs: 1)
        let folder = temporaryFolder()
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: folder, overwrite: false))
        let records = try RunRatings(folder: folder).records
        let rounds = try RewardRefit.ratedSegments(ofRun: folder, in: Suite.make("cartpole-balance", models: models()))
        XCTAssertEqual(rounds.map(\.count), [20, 20])
        for (rated, record) in zip(rounds.joined(), records) {
            XCTAssertEqual(rated.rating, record.rating)
            XCTAssertEqual(rated.segment.trueReturn, record.trueReturn, accuracy: 1e-6)
            XCTAssertEqual(rated.segment.actions, record.actions)
            XCTAssertEqual(rated.segment.observations.count, 50)
        }

        let (kept, test) = RewardRefit.holdingOut(every: 5, of: rounds)
        XCTAssertEqual(kept.map(\.count), [16, 16])
        XCTAssertEqual(test, [4, 9, 14, 19, 24, 29, 34, 39].map { Array(rounds.joined())[$0].segment })

        var ppoConfig = config
        ppoConfig.method = .ppo
        ppoConfig.feedback = nil
        let ppo = temporaryFolder()
        _ = try TrainingRun.run(ppoConfig, models: models(), directory: RunDirectory(path: ppo, overwrite: false))
        XCTAssertThrowsError(try RewardRefit.ratedSegments(ofRun: ppo, in: Suite.make("cartpole-balance", models: models())))
    }

    /// Trained round by round on rated cartpole segments, the refit ranks
    /// unseen segments by true return; its reports count the ratings of each round.
    func testRefitLearnsToRankUnseenSegments() throws {
        let environment = try Suite.make("cartpole-balance", models: models())
        let rater = try SyntheticRater(classCount: 4, maxReturn: SyntheticRater.defaultMaxReturn(task: "cartpole-balance"))
        var random = SeededRandom(seed: 21)
        // Random actions after a random number of random steps: poles from upright to fallen.
        var rated: [RatedSegment] = []
        for episode in 0..<300 {
            _ = try environment.reset(seed: UInt64(episode))
            for _ in 0..<Int(random.uniform(0, 150)) { _ = try environment.step([random.uniform(-1, 1)]) }
            let actions = (0..<50).map { _ in [random.uniform(-1, 1)] }
            let segment = try environment.replayedSegment(episode: episode, startStep: 0, state: environment.physics.data.state,
                                                          actions: actions)
            rated.append(RatedSegment(segment: segment, rating: rater.binClass(of: segment.trueReturn)))
        }
        XCTAssertGreaterThan(Set(rated.map(\.rating)).count, 2, "the segments span the scale")
        let rounds = [Array(rated[0..<80]), Array(rated[80..<160]), Array(rated[160..<240])]
        let refit = try RewardRefit(rounds: rounds, test: rated[240...].map(\.segment), classes: 4, clip: 10)

        var model = RewardModelConfiguration(hiddenSizes: [32, 32])
        model.objective.loss = .ours
        let settings = RewardTrainingSettings(epochs: 30, stopRule: .balancedAccuracy)
        let reports = try refit.train(model: model, settings: settings, seed: 4)
        XCTAssertEqual(reports.map(\.segmentCount), [80, 160, 240])
        XCTAssertEqual(reports.map { $0.ratingHistogram.reduce(0, +) }, [80, 160, 240])
        XCTAssert(reports.allSatisfy { $0.heldOutCount == 60 })
        let spearman = try XCTUnwrap(reports.last?.spearman)
        XCTAssertGreaterThan(spearman, 0.7, "test rank correlation after three rounds")
        let again = try refit.train(model: model, settings: settings, seed: 4)
        XCTAssertEqual(again.last?.spearman, reports.last?.spearman, "a refit is a function of its seed")

        XCTAssertThrowsError(try RewardRefit(rounds: [[], []], test: [rated[0].segment], classes: 4, clip: 10))
        XCTAssertThrowsError(try RewardRefit(rounds: rounds, test: [], classes: 4, clip: 10))
    }
}
