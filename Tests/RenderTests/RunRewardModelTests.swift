import Control
import Foundation
import PPO
import Playback
import Randomness
import Ratings
import RewardLearning
import RunConfiguration
import Training
import XCTest

/// The viewer's predicted return: the run's saved reward model on the policy's normalised observations.
final class RunRewardModelTests: XCTestCase {
    func testThePredictedReturnIsTheSavedEnsemblesSegmentReturn() throws {
        let task = "cartpole-balance"
        let run = try makeRun(task: task, ratings: [(1, 10), (2, 20)], length: 6, in: try temporaryFolder(self))
        var config = try RunDirectory.configuration(in: run)
        let environment = try Suite.make(task, models: try testModels())
        let (o, a) = (environment.observationSpec.size, environment.actionSpec.size)
        XCTAssertNil(try RunRewardModel(run: run, config: config, observationSize: o, actionSize: a), "a run without feedback has no reward model")

        config.feedback = FeedbackConfig(task: task, loss: .ours)
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: run + "/config.json"))
        XCTAssertNil(try RunRewardModel(run: run, config: config, observationSize: o, actionSize: a), "no reward_model.weights yet")
        var random = SeededRandom(seed: 11)
        let ensemble = try RewardEnsemble(inputSize: o + a, configuration: config.feedback!.rewardModel, random: &random)
        try ensemble.save(to: run + "/reward_model.weights")
        // A policy normaliser that is not the identity, so that using it (or not) shows.
        let agent = try RunDirectory.agent(in: run, config: config, observationSize: o, actionSize: a)
        agent.normalizer.update((0..<20).map { i in (0..<o).map { j in Double(i * (j + 1)) / 7 - 1 } })
        try agent.save(to: run + "/checkpoint.weights")

        let model = try XCTUnwrap(try RunRewardModel(run: run, config: config, observationSize: o, actionSize: a))
        for record in try RunRatings(folder: run).records {
            let replay = try environment.replay(state: record.startState!, actions: record.actions)
            let segment = Segment(episodeID: 0, startStep: 0, observations: Array(replay.observations.dropLast()),
                                  actions: record.actions, rewards: replay.rewards)
            let expected = try ensemble.meanSegmentReturns(of: [segment]) { segment in
                RewardFeatures.concatenated(segment) { observation in
                    var row = [Float]()
                    agent.normalizer.normalize(observation, into: &row)
                    return row
                }
            }[0]
            let predicted = model.predictedReturn(observations: replay.observations, actions: record.actions)
            XCTAssertEqual(predicted, expected, accuracy: 1e-4 * max(1, abs(expected)))
        }
    }
}
