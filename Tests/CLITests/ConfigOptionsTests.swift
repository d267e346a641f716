import ArgumentParser
import RunConfiguration
import XCTest
@testable import ratingrl

/// `ratingrl train`'s options and `ConfigField.all` describe the same fields:
/// every option that sets a field of config.json has a row, every row an
/// option, and each option given lands at its row's path.
final class ConfigOptionsTests: XCTestCase {
    /// Options of `train` that are not fields of config.json.
    static let otherOptions: Set = ["config", "resume", "out", "set", "overwrite", "quiet"]

    /// The `@Option` and `@Flag` properties of `arguments`, by name.
    func optionNames(of arguments: some ParsableArguments) -> Set<String> {
        Set(Mirror(reflecting: arguments).children.compactMap { child in
            let wrapper = String(describing: type(of: child.value))
            guard let label = child.label, wrapper.hasPrefix("Option<") || wrapper.hasPrefix("Flag<") else { return nil }
            return String(label.dropFirst())
        })
    }

    func testEveryOptionHasARowAndEveryRowAnOption() throws {
        let train = try TrainCommand.parse([])
        let options = optionNames(of: train).union(optionNames(of: train.feedbackOptions))
        XCTAssertEqual(options.subtracting(Self.otherOptions), Set(ConfigField.all.map(\.option)))
        XCTAssertEqual(ConfigField.all.count, Set(ConfigField.all.map(\.option)).count, "an option listed twice")
        XCTAssertEqual(ConfigFields.shorthands.count, Set(ConfigFields.shorthands.map(\.name)).count, "a shorthand listed twice")
    }

    func testEachOptionSetsItsRowsField() throws {
        let samples: [String: String] = [
            "task": "walker-walk", "method": "ours", "seed": "3", "steps": "4096", "classes": "3", "maxReturn": "500",
            "alpha": "0.2", "ratings": "300", "ratingsPerRound": "30", "roundInterval": "1000", "firstRound": "2000",
            "rewardEpochs": "5", "stopAccuracy": "0.9", "query": "disagreement", "unsupervisedSteps": "100",
            "ratingsDb": "r.db", "feedbackPreset": FeedbackPreset.names[0], "ratingScale": "task", "preset": "paper",
            "evalEvery": "2048", "evalEpisodes": "2", "checkpointEvery": "4096", "workers": "2",
            "stopRule": "accuracy", "minRewardEpochs": "2", "raterBeta": "1", "raterMistakeRate": "0.1",
            "raterGamma": "0.9", "raterSkip": "0.1",
        ]
        var arguments = ["--wait"]
        for field in ConfigField.all where field.option != "wait" {
            let sample = try XCTUnwrap(samples[field.option], "no sample value for \(field.flag)")
            arguments += [field.flag, sample]
        }
        let tree = try TrainCommand.parse(arguments).commandLineFields()
        for field in ConfigField.all {
            XCTAssertNotNil(tree.value(at: field.path), "\(field.flag) does not set \(ConfigFields.dotted(field.path))")
        }
        XCTAssertEqual(tree.value(at: ["feedback", "waitForRatings"]), .bool(true))
        XCTAssertEqual(tree.value(at: ["seed"]), .integer(3))
        XCTAssertEqual(tree.value(at: ["feedback", "rewardModel", "objective", "regression", "scale"]), .real(0.2))
        XCTAssertEqual(tree.value(at: ["feedback", "ratingsDatabase"])?.description.hasSuffix("/r.db\""), true)
        // Options not given set nothing.
        XCTAssertEqual(try TrainCommand.parse([]).commandLineFields(), .object([:]))
    }

    /// docs/training.md and `train --help` list every shorthand of the table.
    func testTheDocsAndTheHelpNameEveryShorthand() throws {
        let page = try String(contentsOf: CommandLineTests.repositoryRoot.appendingPathComponent("docs/training.md"), encoding: .utf8)
        let help = TrainCommand.helpMessage(columns: 200)
        for name in ConfigFields.shorthands.map(\.name) {
            XCTAssertTrue(page.contains("`\(name)`"), "docs/training.md does not name the shorthand \(name)")
            XCTAssertTrue(help.range(of: "\\b\(name)\\b", options: .regularExpression) != nil, "train --help does not name \(name)")
        }
    }
}
