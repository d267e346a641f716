import Randomness
import Ratings
@testable import RewardLearning
import XCTest

/// The early stop under a skewed rating histogram: plain accuracy is fooled by
/// predicting the majority class; class-balanced accuracy is not.
final class StopRuleTests: XCTestCase {
    /// 95% class 0, and 5% class 1 given to arbitrary segments (not learnable in a few epochs).
    func skewedBuffer() throws -> LabelBuffer {
        let rated = try ratedToySegments(count: 400, classCount: 2, seed: 51)
        var random = SeededRandom(seed: 52)
        var buffer = try LabelBuffer(classCount: 2)
        for item in rated.items { try buffer.append(item.segment, rating: random.unitInterval() < 0.05 ? 1 : 0) }
        return buffer
    }

    func epochs(_ settings: RewardTrainingSettings) throws -> TrainingReport {
        var random = SeededRandom(seed: 53)
        let ensemble = try RewardEnsemble(inputSize: ToyProblem.inputSize, configuration: smallConfiguration(.rbrl),
                                          random: &random)
        return try ensemble.train(on: skewedBuffer(), features: ToyProblem.features, round: 0, settings: settings,
                                  random: &random)
    }

    func testBalancedAccuracyIsNotFooledByTheMajorityClass() throws {
        let plain = try epochs(RewardTrainingSettings(epochs: 6, stopAccuracy: 0.85, stopRule: .accuracy))
        XCTAssertEqual(plain.epochs, 1, "plain accuracy passes 0.85 at once by putting nearly everything in class 0")
        XCTAssertGreaterThan(plain.mean.accuracy, 0.85)
        let balanced = try epochs(RewardTrainingSettings(epochs: 6, stopAccuracy: 0.85, stopRule: .balancedAccuracy))
        XCTAssertEqual(balanced.epochs, 6)
        let measured = try XCTUnwrap(balanced.mean.balancedAccuracy)
        XCTAssertLessThan(measured, 0.85)
        XCTAssertLessThan(measured, balanced.mean.accuracy)
    }

    func testASingleRatedClassNeverStopsTheBalancedRuleEarly() {
        let balanced = RewardTrainingSettings(stopRule: .balancedAccuracy)
        XCTAssertFalse(balanced.stops(afterEpochs: 1, accuracy: 1, balancedAccuracy: 1, classesPresent: 1))
        XCTAssertTrue(balanced.stops(afterEpochs: 1, accuracy: 1, balancedAccuracy: 0.98, classesPresent: 2))
        XCTAssertTrue(RewardTrainingSettings(stopRule: .accuracy)
                          .stops(afterEpochs: 1, accuracy: 1, balancedAccuracy: 1, classesPresent: 1),
                      "RbRL's rule stops on a single class")
        XCTAssertEqual(RewardTrainingSettings().stopRule, .balancedAccuracy, "the default")
    }

    /// The "or one class" rule stops a single-class buffer after the minimum
    /// epochs (measured through training), and reads balanced accuracy otherwise.
    func testTheOneClassRuleStopsASingleClassAfterTheMinimumEpochs() throws {
        let rule = RewardTrainingSettings(stopRule: .balancedAccuracyOrOneClass, minimumEpochs: 2)
        XCTAssertFalse(rule.stops(afterEpochs: 1, accuracy: 1, balancedAccuracy: 1, classesPresent: 1))
        XCTAssertTrue(rule.stops(afterEpochs: 2, accuracy: 1, balancedAccuracy: 1, classesPresent: 1))
        XCTAssertFalse(rule.stops(afterEpochs: 2, accuracy: 0.99, balancedAccuracy: 0.6, classesPresent: 2))
        XCTAssertTrue(rule.stops(afterEpochs: 2, accuracy: 0.99, balancedAccuracy: 0.98, classesPresent: 2))
        let rated = try ratedToySegments(count: 200, classCount: 2, seed: 54)
        var buffer = try LabelBuffer(classCount: 2)
        for item in rated.items { try buffer.append(item.segment, rating: 0) }
        for (stopRule, expected) in [(RewardTrainingSettings.StopRule.balancedAccuracyOrOneClass, 2), (.balancedAccuracy, 5)] {
            var random = SeededRandom(seed: 55)
            let ensemble = try RewardEnsemble(inputSize: ToyProblem.inputSize, configuration: smallConfiguration(.ours),
                                              random: &random)
            let report = try ensemble.train(on: buffer, features: ToyProblem.features, round: 0,
                                            settings: RewardTrainingSettings(epochs: 5, stopRule: stopRule, minimumEpochs: 2),
                                            random: &random)
            XCTAssertEqual(report.epochs, expected, "\(stopRule), every rating class 0")
        }
        let balanced = try epochs(RewardTrainingSettings(epochs: 6, stopAccuracy: 0.85, stopRule: .balancedAccuracyOrOneClass))
        XCTAssertEqual(balanced.epochs, 6, "two classes present: not fooled by the majority class")
    }

    func testMinimumEpochsDelayTheStop() throws {
        let report = try epochs(RewardTrainingSettings(epochs: 6, stopAccuracy: 0.85, stopRule: .accuracy, minimumEpochs: 3))
        XCTAssertEqual(report.epochs, 3)
        XCTAssertThrowsError(try RewardTrainingSettings(minimumEpochs: 0).validate())
    }

    func testBalancedAccuracyIsTheMeanRecallOfThePresentClasses() {
        var statistics = EpochStatistics()
        statistics.classTotal = [8, 0, 2]
        statistics.classCorrect = [8, 0, 1]
        XCTAssertEqual(statistics.balancedAccuracy, (1 + 0.5) / 2)
    }

    func testOlderSettingsWithoutAStopRuleReadAsRbRLs() throws {
        let json = #"{"epochs": 100, "batchSize": 128, "stopAccuracy": 0.97, "rowSplits": 2}"#
        let settings = try JSONDecoder().decode(RewardTrainingSettings.self, from: Data(json.utf8))
        XCTAssertEqual(settings, RewardTrainingSettings(stopRule: .accuracy))
    }
}
