import XCTest
import NeuralNet
import Randomness
import Ratings
@testable import RewardLearning

/// A small ensemble for fast tests.
func smallConfiguration(_ loss: RewardLoss = .ours, members: Int = 2, learningRate: Float = 3e-3) -> RewardModelConfiguration {
    RewardModelConfiguration(memberCount: members, hiddenSizes: [32, 32], learningRate: learningRate,
                             objective: RewardObjective(loss: loss))
}

/// Rated segments from the toy problem (noiseless rater, n classes, G_max = L).
func ratedToySegments(count: Int, classCount: Int = 4, segmentLength: Int = 25, seed: UInt64) throws -> LabelBuffer {
    var random = SeededRandom(seed: seed)
    let store = try ToyProblem.store(episodes: 40, length: 100, segmentLength: segmentLength, random: &random)
    let rater = try SyntheticRater(classCount: classCount, maxReturn: Double(segmentLength))
    var buffer = try LabelBuffer(classCount: classCount)
    for segment in try store.sampleSegments(count: count, random: &random) {
        try buffer.append(segment, rating: rater.rate(segment, random: &random)!)
    }
    return buffer
}

final class RewardEnsembleTests: XCTestCase {
    func testPredictRewardIsTheMembersMeanAndSegmentReturnsSumSteps() throws {
        var random = SeededRandom(seed: 31)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(members: 3), random: &random)
        let buffer = try ratedToySegments(count: 6, segmentLength: 10, seed: 1)
        let segments = buffer.items.map(\.segment)
        let inputs = try SegmentInputs(segments: segments, inputSize: 4, features: ToyProblem.features)
        let perMember = try ensemble.segmentReturns(inputs)
        XCTAssertEqual(perMember.count, 3)
        for (s, segment) in segments.enumerated() {
            let rows = Matrix(rows: 10, columns: 4, values: ToyProblem.features(segment))
            let rewards = ensemble.predictReward(rows)
            XCTAssertTrue(rewards.allSatisfy { abs($0) <= 1 })
            let mean = perMember.reduce(0) { $0 + $1[s] } / 3
            XCTAssertEqual(Double(rewards.reduce(0, +)), mean, accuracy: 1e-4)
            for m in 0..<3 {
                let memberRewards = ensemble.members[m].rewards(rows).values
                XCTAssertEqual(Double(memberRewards.reduce(0, +)), perMember[m][s], accuracy: 1e-4)
            }
        }
        let std = try ensemble.returnStandardDeviations(of: segments, features: ToyProblem.features)
        XCTAssertTrue(std.allSatisfy { $0 > 0 }, "fresh members disagree")
    }

    func testDisagreementSelectionKeepsTheSegmentsTheMembersDisagreeOnMost() throws {
        var random = SeededRandom(seed: 33)
        let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(members: 3), random: &random)
        let store = try ToyProblem.store(episodes: 5, length: 40, segmentLength: 10, random: &random)
        var candidates: [Segment] = []
        let chosen = try QuerySelection.disagreement(candidateFactor: 10).select(count: 4, from: store, random: &random) {
            candidates = $0
            return try ensemble.returnStandardDeviations(of: $0, features: ToyProblem.features)
        }
        XCTAssertEqual(candidates.count, 40)
        let spread = try ensemble.returnStandardDeviations(of: candidates, features: ToyProblem.features)
        let threshold = try ensemble.returnStandardDeviations(of: chosen, features: ToyProblem.features).min()!
        // The two calls batch different segments together, and sgemm's sums may
        // then round differently in the last bits (OpenBLAS picks kernels by CPU).
        XCTAssertEqual(spread.sorted(by: >)[3], threshold, accuracy: 1e-6 * threshold, "the 4 largest spreads were kept")
    }

    /// The end-to-end check: learned segment returns rank held-out segments like the true returns.
    func assertLearnsTheToyReward(_ loss: RewardLoss, file: StaticString = #filePath, line: UInt = #line) throws {
        let buffer = try ratedToySegments(count: 400, seed: 41)
        let heldOut = try ratedToySegments(count: 200, seed: 42).items.map(\.segment)
        var random = SeededRandom(seed: 43)
        let ensemble = try RewardEnsemble(inputSize: ToyProblem.inputSize, configuration: smallConfiguration(loss),
                                          random: &random)
        let before = try ensemble.meanSegmentReturns(of: heldOut, features: ToyProblem.features)
        let spearmanBefore = Correlation.spearman(before, heldOut.map(\.trueReturn)) ?? 0
        let report = try ensemble.train(on: buffer, features: ToyProblem.features, heldOut: heldOut, round: 0,
                                        settings: RewardTrainingSettings(epochs: 40, batchSize: 64), random: &random)
        XCTAssertEqual(report.heldOutCount, 200)
        XCTAssertEqual(report.ratingHistogram, buffer.histogram)
        XCTAssertTrue(report.ratingHistogram.allSatisfy { $0 > 10 }, "every class is represented: \(report.ratingHistogram)",
                      file: file, line: line)
        let spearman = try XCTUnwrap(report.spearman)
        XCTAssertGreaterThanOrEqual(spearman, 0.8, "\(loss): Spearman \(spearman) (before training \(spearmanBefore))",
                                    file: file, line: line)
        XCTAssertGreaterThan(report.mean.accuracy, 0.5, file: file, line: line)
        XCTAssertEqual(report.heldOutPredictionsConstant, false, file: file, line: line)
    }

    /// A reward model whose tanh output is saturated gives every segment the
    /// same return; the report says so (and has no correlations).
    func testASaturatedRewardModelIsReportedAsConstant() throws {
        let buffer = try ratedToySegments(count: 100, seed: 44)
        let heldOut = try ratedToySegments(count: 50, seed: 45).items.map(\.segment)
        var random = SeededRandom(seed: 46)
        let ensemble = try RewardEnsemble(inputSize: ToyProblem.inputSize, configuration: smallConfiguration(.rbrl),
                                          random: &random)
        for member in ensemble.members {
            let last = member.network.layers.last!
            member.network.parameters[last.biasOffset] = -1000
        }
        let report = try ensemble.train(on: buffer, features: ToyProblem.features, heldOut: heldOut, round: 0,
                                        settings: RewardTrainingSettings(epochs: 1, batchSize: 64), random: &random)
        XCTAssertEqual(report.heldOutPredictionsConstant, true)
        XCTAssertNil(report.spearman)
        XCTAssertNil(report.pearson)
        let noHeldOut = try ensemble.train(on: buffer, features: ToyProblem.features, round: 1,
                                           settings: RewardTrainingSettings(epochs: 1, batchSize: 64), random: &random)
        XCTAssertNil(noHeldOut.heldOutPredictionsConstant)
    }

    func testOursLearnsTheToyReward() throws { try assertLearnsTheToyReward(.ours) }
    func testRbRLLearnsTheToyReward() throws { try assertLearnsTheToyReward(.rbrl) }

    func testReportDiagnosticsAndEarlyStop() throws {
        let buffer = try ratedToySegments(count: 60, segmentLength: 10, seed: 51)
        for loss in RewardLoss.allCases {
            var random = SeededRandom(seed: 52)
            let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(loss), random: &random)
            let stopAtOnce = try ensemble.train(on: buffer, features: ToyProblem.features, round: 3,
                                                settings: RewardTrainingSettings(epochs: 5, batchSize: 16, stopAccuracy: 0),
                                                random: &random)
            XCTAssertEqual(stopAtOnce.epochs, 1)
            XCTAssertTrue(stopAtOnce.stoppedEarly)
            let full = try ensemble.train(on: buffer, features: ToyProblem.features, round: 4,
                                          settings: RewardTrainingSettings(epochs: 3, batchSize: 16, stopAccuracy: 1),
                                          random: &random)
            XCTAssertEqual(full.epochs, 3)
            XCTAssertFalse(full.stoppedEarly)
            XCTAssertEqual(full.round, 4)
            XCTAssertEqual(full.loss, loss)
            XCTAssertEqual(full.members.count, 2)
            XCTAssertNil(full.spearman)
            for (member, s) in zip(full.members, ensemble.logVariances) {
                XCTAssertEqual(member.s1, s.s1)
                XCTAssertEqual(member.s2, s.s2)
                XCTAssertEqual(member.s1 != 0, loss.learnsS1, "\(loss) moves s1 only if it learns it")
                XCTAssertEqual(member.s2 != 0, loss.learnsS2, "\(loss) moves s2 only if it learns it")
                let w = loss.weights(s)
                XCTAssertEqual(member.regressionWeight, w.regression)
                XCTAssertEqual(member.classificationWeight, w.classification)
                XCTAssertTrue(member.classificationLoss > 0 && member.regressionLoss > 0, "both terms are measured")
                XCTAssertTrue((0...1).contains(member.accuracy))
            }
            XCTAssertEqual(full.mean.accuracy, (full.members[0].accuracy + full.members[1].accuracy) / 2, accuracy: 1e-12)
            let json = try JSONEncoder().encode(full)
            XCTAssertEqual(try JSONDecoder().decode(TrainingReport.self, from: json), full)
        }
    }

    func testTrainingIsReproducibleFromTheSeed() throws {
        let buffer = try ratedToySegments(count: 50, segmentLength: 10, seed: 61)
        func run() throws -> ([[Float]], TrainingReport) {
            var random = SeededRandom(seed: 62)
            let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(members: 3), random: &random)
            var report = try ensemble.train(on: buffer, features: ToyProblem.features, round: 0,
                                            settings: RewardTrainingSettings(epochs: 3, batchSize: 16, stopAccuracy: 1),
                                            random: &random)
            report.seconds = 0
            return (ensemble.memberParameters, report)
        }
        let (a, reportA) = try run()
        let (b, reportB) = try run()
        XCTAssertEqual(a, b)
        XCTAssertEqual(reportA, reportB)
        XCTAssertNotEqual(a[0], a[1], "members differ")
    }

    func testRowSplitsGiveTheSameTrainingUpToRounding() throws {
        // 37 segments, batch 16: full batches and a 5-segment tail, with 3 splits
        // of uneven sizes; 7 splits of the tail leave some shards empty.
        let buffer = try ratedToySegments(count: 37, segmentLength: 10, seed: 63)
        func run(splits: Int) throws -> [[Float]] {
            var random = SeededRandom(seed: 64)
            let ensemble = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
            _ = try ensemble.train(on: buffer, features: ToyProblem.features, round: 0,
                                   settings: RewardTrainingSettings(epochs: 2, batchSize: 16, stopAccuracy: 1,
                                                                    rowSplits: splits),
                                   random: &random)
            return ensemble.memberParameters
        }
        var initial = SeededRandom(seed: 64)
        let start = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &initial).memberParameters
        let one = try run(splits: 1)
        for splits in [3, 7] {
            let other = try run(splits: splits)
            for (a, b) in zip(one, other) {
                let worst = zip(a, b).map { abs($0 - $1) }.max()!
                XCTAssertLessThan(worst, 1e-4, "\(splits) splits")
            }
        }
        let moved = zip(one[0], start[0]).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(moved, 1e-3, "training changed the weights far more than the split tolerance")
        XCTAssertThrowsError(try RewardTrainingSettings(rowSplits: 0).validate())
    }

    func testSaveAndLoadRestoreTheWholeState() throws {
        let buffer = try ratedToySegments(count: 40, segmentLength: 10, seed: 71)
        var random = SeededRandom(seed: 72)
        let trained = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &random)
        _ = try trained.train(on: buffer, features: ToyProblem.features, round: 0,
                              settings: RewardTrainingSettings(epochs: 2, batchSize: 16, stopAccuracy: 1), random: &random)
        let path = NSTemporaryDirectory() + "reward-ensemble-\(UUID().uuidString).rrlw"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trained.save(to: path, prefix: "reward")

        var other = SeededRandom(seed: 99)
        let restored = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(), random: &other)
        XCTAssertNotEqual(restored.memberParameters, trained.memberParameters)
        try restored.load(from: path, prefix: "reward")
        XCTAssertEqual(restored.memberParameters, trained.memberParameters)
        XCTAssertEqual(restored.logVariances.map { Float($0.s1) }, trained.logVariances.map { Float($0.s1) })
        let a = trained.tensors(prefix: "x"), b = restored.tensors(prefix: "x")
        XCTAssertEqual(a.map(\.name), b.map(\.name))
        XCTAssertEqual(a.map(\.values), b.map(\.values), "Adam moments and step counts too")
        // Continuing training from the loaded state matches continuing the original.
        var r1 = SeededRandom(seed: 5), r2 = SeededRandom(seed: 5)
        let settings = RewardTrainingSettings(epochs: 1, batchSize: 16, stopAccuracy: 1)
        _ = try trained.train(on: buffer, features: ToyProblem.features, round: 1, settings: settings, random: &r1)
        _ = try restored.train(on: buffer, features: ToyProblem.features, round: 1, settings: settings, random: &r2)
        XCTAssertEqual(restored.memberParameters, trained.memberParameters)

        // A state with another number of members is refused, and nothing changes.
        let three = try RewardEnsemble(inputSize: 4, configuration: smallConfiguration(members: 3), random: &other)
        XCTAssertThrowsError(try restored.load(tensors: three.tensors(prefix: "reward"), prefix: "reward"))
        XCTAssertThrowsError(try three.load(tensors: restored.tensors(prefix: "reward"), prefix: "reward"))
        XCTAssertEqual(restored.memberParameters, trained.memberParameters)
    }
}
