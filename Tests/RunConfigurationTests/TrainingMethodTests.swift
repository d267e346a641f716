import Foundation
import PPO
import RewardLearning
import RunConfiguration
import XCTest

/// The method's one name in config.json, grids, folders and on the command
/// line, and the loss a rating method's feedback trains with.
final class TrainingMethodTests: XCTestCase {
    func testNamesRoundTrip() throws {
        XCTAssertEqual(TrainingMethod.allCases.map(\.rawValue), ["ppo", "rbrl", "ours", "ours-equal", "ours-cls", "ours-reg"])
        for method in TrainingMethod.allCases {
            XCTAssertEqual(TrainingMethod(rawValue: method.rawValue), method)
            XCTAssertEqual("\(method)", method.rawValue)
            let json = try JSONEncoder().encode([method])
            XCTAssertEqual(String(decoding: json, as: UTF8.self), "[\"\(method.rawValue)\"]")
            XCTAssertEqual(try JSONDecoder().decode([TrainingMethod].self, from: json), [method])
        }
        XCTAssertEqual(TrainingMethod(rawValue: "ours-equal"), .ratings(.oursEqual))
        XCTAssertNil(TrainingMethod(rawValue: "best"))
        XCTAssertNil(TrainingMethod.ppo.loss)
        XCTAssertFalse(TrainingMethod.ppo.learnsFromRatings)
        XCTAssertEqual(TrainingMethod.ratings(.rbrl).loss, .rbrl)
        XCTAssertTrue(TrainingMethod.ratings(.rbrl).learnsFromRatings)
    }

    func testAnUnknownNameInAFileIsNamedWithTheValidOnes() {
        XCTAssertThrowsError(try JSONDecoder().decode([TrainingMethod].self, from: Data(#"["magic"]"#.utf8))) { error in
            XCTAssert("\(error)".contains("method 'magic' is not available; valid: ppo, rbrl, ours"), "\(error)")
        }
    }

    func rbrlConfig() -> TrainingConfig {
        TrainingConfig(task: "cartpole-balance", method: .ratings(.rbrl), totalSteps: 1000, seed: 0, preset: "quick",
                       ppo: .quick, feedback: FeedbackConfig(task: "cartpole-balance", loss: .ours))
    }

    /// A rating method's feedback trains with the method's loss however the two are set.
    func testTheFeedbackLossFollowsTheMethod() {
        var config = rbrlConfig()
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .rbrl, "set by the initialiser")
        config.method = .ratings(.oursReg)
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .oursReg, "set with the method")
        config.feedback = FeedbackConfig(task: "cartpole-balance", loss: .ours)
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .oursReg, "set with the feedback")
        config.feedback?.rewardModel.objective.loss = .rbrl
        XCTAssertEqual(config.feedback?.rewardModel.objective.loss, .oursReg, "set inside the feedback")
        XCTAssertEqual(config.ratingFeedback, config.feedback)
        config.method = .ppo
        XCTAssertNotNil(config.feedback)
        XCTAssertNil(config.ratingFeedback, "ppo learns from no ratings")
    }

    /// config.json keeps both fields as before; a file whose loss disagrees is read with the method's.
    func testConfigFilesKeepTheirFields() throws {
        let config = rbrlConfig()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(config), as: UTF8.self)
        XCTAssert(json.contains(#""method":"rbrl""#) && json.contains(#""loss":"rbrl""#), json)
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8)), config)
        let disagreeing = json.replacingOccurrences(of: #""loss":"rbrl""#, with: #""loss":"ours""#)
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfig.self, from: Data(disagreeing.utf8)), config)
        let old = json.replacingOccurrences(of: #""fixedEvaluationStarts":true,"#, with: "")
        XCTAssertNil(try JSONDecoder().decode(TrainingConfig.self, from: Data(old.utf8)).fixedEvaluationStarts,
                     "runs written before the field existed")
    }
}
