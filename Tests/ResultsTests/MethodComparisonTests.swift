@testable import Results
import XCTest

/// The statistics a verdict about two methods rests on, checked against
/// values scipy.stats computes (ttest_ind with equal_var=False; t.sf).
final class MethodComparisonTests: XCTestCase {
    func testWelchMatchesScipy() {
        let (t, nu, p) = MethodComparison.welch([648.1, 700.3, 512.9], [848.0, 901.2, 795.5])
        XCTAssertEqual(t, -3.579982993411114, accuracy: 1e-9)
        XCTAssertEqual(nu, 3.09666452166739, accuracy: 1e-9)
        XCTAssertEqual(p, 0.0354151341843525, accuracy: 1e-9)
        let other = MethodComparison.welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10.5])
        XCTAssertEqual(other.t, -1.8831158916154396, accuracy: 1e-9)
        XCTAssertEqual(other.degreesOfFreedom, 5.721820767028301, accuracy: 1e-9)
        XCTAssertEqual(other.p, 0.1110540025998163, accuracy: 1e-9)
    }

    /// Two-sided Student-t tails through the incomplete beta: 2·t.sf(t, ν) = I_{ν/(ν+t²)}(ν/2, 1/2).
    func testStudentTailsMatchScipy() {
        for (t, nu, expected) in [(2.0, 3.5, 0.12613852257591343), (0.3, 10.0, 0.7703206075657986), (5.0, 1.2, 0.09527649781347572)] {
            XCTAssertEqual(MethodComparison.regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5), expected, accuracy: 1e-9, "t \(t), ν \(nu)")
        }
    }

    func testHolmAdjustsStepDownAndKeepsOrder() {
        // Sorted 0.01, 0.03, 0.04 → 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04).
        XCTAssertEqual(MethodComparison.holm([0.04, 0.01, 0.03]), [0.06, 0.03, 0.06], accuracy: 1e-12)
        XCTAssertEqual(MethodComparison.holm([0.5, 0.9]), [1.0, 1.0], "capped at 1")
    }

    /// A clear gap is called; three noisy seeds with an interval covering 0 are not.
    func testAVerdictNeedsTheIntervalAndTheTestToAgree() {
        let clear = MethodComparison(task: "t", first: "ours", firstReturns: [900, 910, 905, 895, 908], second: "rbrl",
                                     secondReturns: [500, 520, 490, 510, 505])
        XCTAssertFalse(clear.interval.contains(0))
        XCTAssertEqual(clear.verdict, "ours ahead")
        let noisy = MethodComparison(task: "t", first: "ours", firstReturns: [648, 300, 900], second: "rbrl", secondReturns: [848, 700, 500])
        XCTAssert(noisy.interval.contains(0), "\(noisy.interval)")
        XCTAssertEqual(noisy.verdict, "inside the noise")
        XCTAssertEqual(noisy.interval, MethodComparison(task: "t", first: "ours", firstReturns: [648, 300, 900], second: "rbrl",
                                                        secondReturns: [848, 700, 500]).interval, "seeded: the same interval every time")
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}

/// On the kept six-task runs (three seeds each), as `summarize --compare` reads them.
final class KeptResultsComparisonTests: XCTestCase {
    func testPartTwoOursAgainstRbrlIsInsideTheNoiseOnEveryTask() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("results/six-tasks-n4").path
        let table = try ResultsTable(folder: root)
        let (comparisons, notes) = MethodComparison.compare(table.rows, first: "ours", second: "rbrl")
        XCTAssertEqual(notes, [])
        XCTAssertEqual(comparisons.map(\.task).sorted(), ["ball_in_cup-catch", "cartpole-balance", "cheetah-run", "finger-spin",
                                                          "quadruped-walk", "walker-walk"])
        XCTAssert(comparisons.allSatisfy { $0.verdict == "inside the noise" })
        let ball = try XCTUnwrap(comparisons.first { $0.task == "ball_in_cup-catch" })
        XCTAssertEqual(ball.p, 0.136, accuracy: 0.001, "the p the results issue recomputed")
        XCTAssertGreaterThan(ball.holmP, ball.p)
    }

    /// The uniform scale's measured failure, as `summarize --histograms` counts it.
    func testOnTheUniformScaleSixteenOfThirtySixRatingRunsAreOneClass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("results/six-tasks-n4").path
        let histograms = try RatingHistogram.of(try ResultsTable(folder: root).rows)
        XCTAssertEqual(histograms.count, 36, "rbrl and ours, six tasks, three seeds")
        XCTAssertEqual(histograms.filter { $0.isOneClass() }.count, 16)
        XCTAssert(histograms.filter { $0.task == "finger-spin" }.allSatisfy { $0.isOneClass() })
        XCTAssert(histograms.allSatisfy { $0.counts.reduce(0, +) == 2000 })
        XCTAssertEqual(RatingHistogram(path: "r", task: "t", method: "m", counts: [1811, 112, 68, 9]).largestShare, 0.9055, accuracy: 1e-9)
        XCTAssert(RatingHistogram.markdown(histograms).hasSuffix("16 of 36 rating runs have over 90 % of their ratings in one class."))
    }
}
