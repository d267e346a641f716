import Control
import PPO
import Randomness
@testable import Training
import XCTest

final class EvaluatorTests: XCTestCase {
    /// With fixed starts, two evaluations of an unchanged policy are the same
    /// episodes; without, each draws new initial states (cheetah's joints
    /// start at random angles) and the returns differ.
    func testFixedStartsReplayTheSameEpisodesAndFreshStartsDoNot() throws {
        let models = try ModelDirectory(path: TrainingRunTests.repositoryRoot.appendingPathComponent("models").path)
        for fixed in [true, false] {
            let environments = try VectorEnvironment(task: "cheetah-run", count: 3, models: models, seed: 5, workers: 1)
            var random = SeededRandom(seed: 6)
            let agent = PPOAgent(observationSize: environments.observationSize, actionSize: environments.actionSpec.size,
                                 config: .quick, random: &random)
            let evaluator = Evaluator(environments: environments, fixedStarts: fixed)
            let first = try evaluator.evaluate(agent), second = try evaluator.evaluate(agent)
            if fixed {
                XCTAssertEqual(first.returns, second.returns)
            } else {
                XCTAssertNotEqual(first.returns, second.returns)
            }
        }
    }
}
