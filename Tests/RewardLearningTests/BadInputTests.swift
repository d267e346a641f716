import XCTest
import NeuralNet
import Randomness
import Ratings
@testable import RewardLearning

final class BadInputTests: XCTestCase {
    func testEmptyLabelBufferIsRefused() throws {
        var random = SeededRandom(seed: 1)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        let empty = try LabelBuffer(classCount: 3)
        XCTAssertThrowsError(try ensemble.train(on: empty, features: ToyProblem.features, round: 2, random: &random)) { error in
            XCTAssertEqual(error as? RewardLearningError, .emptyLabelBuffer(round: 2))
            XCTAssertTrue("\(error)".contains("round 2"))
        }
    }

    func testLabelsOutsideTheClassesAndBadClassCountsAreRefused() throws {
        var random = SeededRandom(seed: 2)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        let buffer = try ratedToySegments(count: 4, segmentLength: 10, seed: 3)
        let inputs = try SegmentInputs(segments: buffer.items.map(\.segment), inputSize: 4, features: ToyProblem.features)
        let before = ensemble.memberParameters
        XCTAssertThrowsError(try ensemble.train(inputs: inputs, labels: [0, 1, 4, 2], classCount: 4, round: 0,
                                                random: &random)) {
            XCTAssertEqual($0 as? RatingError, .ratingOutOfRange(rating: 4, classCount: 4))
        }
        XCTAssertThrowsError(try ensemble.train(inputs: inputs, labels: [0, -1, 1, 1], classCount: 4, round: 0,
                                                random: &random))
        for n in [1, 7] {
            XCTAssertThrowsError(try ensemble.train(inputs: inputs, labels: [0, 1, 1, 0], classCount: n, round: 0,
                                                    random: &random)) {
                XCTAssertEqual($0 as? RatingError, .invalidClassCount(n))
            }
        }
        XCTAssertThrowsError(try ensemble.train(inputs: inputs, labels: [0, 1], classCount: 4, round: 0, random: &random))
        XCTAssertEqual(ensemble.memberParameters, before, "nothing was trained")
    }

    func testWrongFeatureCountsAndSettingsAreRefused() throws {
        var random = SeededRandom(seed: 4)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        let buffer = try ratedToySegments(count: 4, segmentLength: 10, seed: 5)
        XCTAssertThrowsError(try ensemble.train(on: buffer, features: { _ in [1, 2, 3] }, round: 0, random: &random)) {
            guard case .featureCountMismatch(_, _, 40, 3)? = $0 as? RewardLearningError else {
                return XCTFail("unexpected \($0)")
            }
        }
        XCTAssertThrowsError(try ensemble.train(on: buffer, features: ToyProblem.features, round: 0,
                                                settings: RewardTrainingSettings(epochs: 0), random: &random))
        XCTAssertThrowsError(try RewardEnsemble(inputSize: 0, random: &random))
        XCTAssertThrowsError(try RewardEnsemble(inputSize: 4, configuration: RewardModelConfiguration(memberCount: 0),
                                                random: &random))
        var bad = RewardModelConfiguration()
        bad.objective.classification.epsilon = 0
        XCTAssertThrowsError(try RewardEnsemble(inputSize: 4, configuration: bad, random: &random))
        bad = RewardModelConfiguration()
        bad.objective.regression.scale = -1
        XCTAssertThrowsError(try RewardEnsemble(inputSize: 4, configuration: bad, random: &random))
    }

    func testNaNFeatureStopsTrainingWithAnErrorNamingTheRound() throws {
        var random = SeededRandom(seed: 6)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        let buffer = try ratedToySegments(count: 32, segmentLength: 10, seed: 7)
        let poisoned = buffer.items[5].segment
        let features = { (segment: Segment) -> [Float] in
            var values = ToyProblem.features(segment)
            if segment == poisoned { values[13] = .nan }
            return values
        }
        XCTAssertThrowsError(try ensemble.train(on: buffer, features: features, round: 7,
                                                settings: RewardTrainingSettings(epochs: 3, batchSize: 8), random: &random)) { error in
            guard case .nonFiniteLoss(let round, _, let epoch, _, _)? = error as? RewardLearningError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(round, 7)
            XCTAssertEqual(epoch, 0)
            XCTAssertTrue("\(error)".contains("feedback round 7"), "\(error)")
            XCTAssertTrue("\(error)".contains("NaN") || "\(error)".contains("nan"), "\(error)")
        }
        XCTAssertTrue(ensemble.memberParameters.allSatisfy { $0.allSatisfy(\.isFinite) }, "no NaN reached the weights")
        XCTAssertTrue(ensemble.logVariances.allSatisfy { $0.s1.isFinite && $0.s2.isFinite })
    }

    func testNaNInEverySegmentLeavesTheModelUntouched() throws {
        var random = SeededRandom(seed: 8)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        let buffer = try ratedToySegments(count: 16, segmentLength: 10, seed: 9)
        let before = ensemble.tensors(prefix: "r")
        XCTAssertThrowsError(try ensemble.train(on: buffer, features: { ToyProblem.features($0).map { _ in .infinity } },
                                                round: 11, random: &random)) { error in
            XCTAssertTrue("\(error)".contains("round 11"), "\(error)")
        }
        let after = ensemble.tensors(prefix: "r")
        XCTAssertEqual(before.map(\.values), after.map(\.values), "no update, no Adam step")
    }
}
