import XCTest
import Randomness
@testable import Ratings

/// A segment of `rewards`, with one-dimensional placeholder observations and actions.
func makeSegment(_ rewards: [Double], episode: Int = 0, start: Int = 0) -> Segment {
    Segment(episodeID: episode, startStep: start, observations: rewards.map { [$0] },
            actions: rewards.map { _ in [0] }, rewards: rewards)
}

/// A 50-step segment whose true return is `total` (spread evenly).
func segmentWithReturn(_ total: Double, length: Int = 50) -> Segment {
    makeSegment([Double](repeating: total / Double(length), count: length))
}

final class SyntheticRaterTests: XCTestCase {
    func testBinEdgesAreEqualWidthOverZeroToMaxReturn() throws {
        for n in 2...6 {
            let rater = try SyntheticRater(classCount: n, maxReturn: 30)
            let edges = rater.binEdges
            XCTAssertEqual(edges.count, n + 1)
            XCTAssertEqual(edges.first, 0)
            XCTAssertEqual(edges.last!, 30, accuracy: 1e-12)
            for i in 0..<n { XCTAssertEqual(edges[i + 1] - edges[i], 30 / Double(n), accuracy: 1e-12) }
        }
        XCTAssertEqual(try SyntheticRater(classCount: 4, maxReturn: 50).binEdges, [0, 12.5, 25, 37.5, 50])
    }

    /// Boundaries of unequal width (a task's fixed scale): half-open bins between them.
    func testInnerEdgesCutTheReturnAxisWhereTheySay() throws {
        let rater = try SyntheticRater(classCount: 4, maxReturn: 50, innerEdges: [0.5, 5, 50])
        let cases: [(Double, Int)] = [(-1, 0), (0, 0), (0.49, 0), (0.5, 1), (4.99, 1), (5, 2), (49.9, 2), (50, 3), (80, 3)]
        for (score, expected) in cases { XCTAssertEqual(rater.binClass(of: score), expected, "score \(score)") }
        XCTAssertEqual(rater.binEdges, [0, 0.5, 5, 50, 50])
        XCTAssertEqual(try SyntheticRater(classCount: 2, maxReturn: 50, innerEdges: [3]).binClass(of: 3), 1)
        for edges in [[1.0, 2], [1.0, 2, 3, 4], [0.0, 1, 2], [2.0, 1, 3], [1.0, 1, 3], [1.0, .infinity, 3], [1.0, .nan, 3]] {
            XCTAssertThrowsError(try SyntheticRater(classCount: 4, maxReturn: 50, innerEdges: edges), "\(edges)")
        }
    }

    /// The task rule: n−1 edges evenly spaced in log(return) from the random policy's to PPO's typical segment.
    func testTaskScalesAreGeometricFromRandomToReference() throws {
        XCTAssertEqual(TaskRatingScale.geometricEdges(low: 0.5, high: 50, classCount: 4), [0.5, 5, 50].map { $0 }, accuracy: 1e-9)
        XCTAssertEqual(TaskRatingScale.geometricEdges(low: 0.5, high: 50, classCount: 2), [5], accuracy: 1e-9)
        XCTAssertEqual(TaskRatingScale.geometricEdges(low: 1, high: 16, classCount: 6), [1, 2, 4, 8, 16], accuracy: 1e-9)
        for task in ["cartpole-balance", "ball_in_cup-catch", "finger-spin", "cheetah-run", "walker-walk", "quadruped-walk"] {
            for n in 2...6 {
                let edges = try TaskRatingScale.innerEdges(task: task, classCount: n)
                XCTAssertNoThrow(try SyntheticRater(classCount: n, maxReturn: 50, innerEdges: edges), "\(task) n=\(n): \(edges)")
                XCTAssertGreaterThanOrEqual(edges.first!, TaskRatingScale.floor)
            }
        }
        XCTAssertThrowsError(try TaskRatingScale.innerEdges(task: "walker-run", classCount: 4)) { error in
            XCTAssert("\(error)".contains("a task with measured boundaries"), "\(error)")
        }
    }

    func testClassesAreHalfOpenBinsClampedToTheRange() throws {
        let rater = try SyntheticRater(classCount: 4, maxReturn: 50)
        var random = SeededRandom(seed: 1)
        let cases: [(Double, Int)] = [(-3, 0), (0, 0), (12.49, 0), (12.5, 1), (24.99, 1), (25, 2),
                                      (37.5, 3), (49.9, 3), (50, 3), (80, 3)]
        for (total, expected) in cases {
            XCTAssertEqual(rater.binClass(of: total), expected, "return \(total)")
        }
        // Through `rate`, from a segment's true return (no randomness is used).
        XCTAssertEqual(rater.rate(segmentWithReturn(30), random: &random), 2)
        XCTAssertEqual(rater.rate(segmentWithReturn(5), random: &random), 0)
        XCTAssertEqual(rater.rate(segmentWithReturn(49), random: &random), 3)
        let untouched = SeededRandom(seed: 1)
        XCTAssertEqual(random.next(), { var r = untouched; return r.next() }(), "a noiseless rater draws nothing")
    }

    func testClassCountOutsideTwoToSixIsRejected() {
        for n in [-1, 0, 1, 7, 10] {
            XCTAssertThrowsError(try SyntheticRater(classCount: n, maxReturn: 30)) { error in
                XCTAssertEqual(error as? RatingError, .invalidClassCount(n))
                XCTAssertTrue("\(error)".contains("between 2 and 6"))
            }
        }
        XCTAssertThrowsError(try SyntheticRater(classCount: 3, maxReturn: 0))
        XCTAssertThrowsError(try SyntheticRater(classCount: 3, maxReturn: .infinity))
    }

    func testNoiseSettingsAreValidated() {
        let bad: [RaterNoise] = [RaterNoise(boltzmannBeta: -1), RaterNoise(mistakeRate: 1.5),
                                 RaterNoise(mistakeRate: -0.1), RaterNoise(myopicGamma: 0),
                                 RaterNoise(myopicGamma: 1.1), RaterNoise(skipProbability: 1)]
        for noise in bad {
            XCTAssertThrowsError(try SyntheticRater(classCount: 3, maxReturn: 30, noise: noise), "\(noise)")
        }
        XCTAssertTrue(RaterNoise.none.isNoiseless)
        XCTAssertTrue(RaterNoise(boltzmannBeta: .infinity).isNoiseless)
    }

    func testMistakeRateMatchesAndMistakesAreUniformOverOtherClasses() throws {
        let rater = try SyntheticRater(classCount: 5, maxReturn: 50, noise: RaterNoise(mistakeRate: 0.2))
        var random = SeededRandom(seed: 7)
        let segment = segmentWithReturn(25)  // true class 2
        let draws = 40_000
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<draws { counts[rater.rate(segment, random: &random)!] += 1 }
        let mistakes = Double(draws - counts[2]) / Double(draws)
        XCTAssertEqual(mistakes, 0.2, accuracy: 0.01)   // std ≈ 0.002
        for c in [0, 1, 3, 4] {
            XCTAssertEqual(Double(counts[c]) / Double(draws), 0.05, accuracy: 0.006)
        }
    }

    func testSkipRateMatches() throws {
        let rater = try SyntheticRater(classCount: 3, maxReturn: 30, noise: RaterNoise(skipProbability: 0.3))
        var random = SeededRandom(seed: 8)
        let segment = segmentWithReturn(25)
        let draws = 20_000
        var skipped = 0
        for _ in 0..<draws {
            if let rating = rater.rate(segment, random: &random) { XCTAssertEqual(rating, 2) } else { skipped += 1 }
        }
        XCTAssertEqual(Double(skipped) / Double(draws), 0.3, accuracy: 0.012)
    }

    func testBoltzmannNoiseFollowsItsDistributionAndLargeBetaIsExact() throws {
        // β = 1 around class 1 of 4: P ∝ e^-1, 1, e^-1, e^-2.
        let rater = try SyntheticRater(classCount: 4, maxReturn: 40, noise: RaterNoise(boltzmannBeta: 1))
        let expected = [exp(-1.0), 1, exp(-1.0), exp(-2.0)].map { $0 / (1 + 2 * exp(-1.0) + exp(-2.0)) }
        let probabilities = rater.boltzmannProbabilities(around: 1)
        for (p, e) in zip(probabilities, expected) { XCTAssertEqual(p, e, accuracy: 1e-12) }
        XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-12)
        var random = SeededRandom(seed: 9)
        let segment = segmentWithReturn(15)  // true class 1
        let draws = 40_000
        var counts = [Int](repeating: 0, count: 4)
        for _ in 0..<draws { counts[rater.rate(segment, random: &random)!] += 1 }
        for c in 0..<4 { XCTAssertEqual(Double(counts[c]) / Double(draws), expected[c], accuracy: 0.01) }

        let sharp = try SyntheticRater(classCount: 6, maxReturn: 30, noise: RaterNoise(boltzmannBeta: 60))
        for total in stride(from: 0.5, to: 30, by: 1.0) {
            let seg = segmentWithReturn(total)
            for _ in 0..<20 { XCTAssertEqual(sharp.rate(seg, random: &random), sharp.binClass(of: total)) }
        }
        let uniform = try SyntheticRater(classCount: 3, maxReturn: 30, noise: RaterNoise(boltzmannBeta: 0))
        for p in uniform.boltzmannProbabilities(around: 0) { XCTAssertEqual(p, 1.0 / 3, accuracy: 1e-12) }
    }

    func testMyopicScoreWeighsLaterStepsMore() throws {
        let rater = try SyntheticRater(classCount: 2, maxReturn: 10, noise: RaterNoise(myopicGamma: 0.9))
        var early = [Double](repeating: 0, count: 10); early[0] = 1
        var late = [Double](repeating: 0, count: 10); late[9] = 1
        XCTAssertEqual(rater.score(makeSegment(late)), 1, accuracy: 1e-12)
        XCTAssertEqual(rater.score(makeSegment(early)), pow(0.9, 9), accuracy: 1e-12)
        let ones = makeSegment([Double](repeating: 1, count: 10))
        XCTAssertEqual(rater.score(ones), (1 - pow(0.9, 10)) / 0.1, accuracy: 1e-9)
        // Myopic scores are binned on the true-return edges (class 1 of 2 from 5 up): 6.51 → 1.
        var random = SeededRandom(seed: 1)
        XCTAssertEqual(rater.rate(ones, random: &random), 1)
        let firstHalf = makeSegment([1, 1, 1, 1, 1, 1, 0, 0, 0, 0])   // true return 6 → class 1, myopic 2.9 → 0
        XCTAssertEqual(try SyntheticRater(classCount: 2, maxReturn: 10).rate(firstHalf, random: &random), 1)
        XCTAssertEqual(rater.rate(firstHalf, random: &random), 0)
    }

    func testDefaultMaxReturnsAreTheMeasuredOnes() {
        XCTAssertEqual(SyntheticRater.defaultMaxReturn(task: "walker-walk"), 50)
        XCTAssertEqual(SyntheticRater.defaultMaxReturn(task: "quadruped-walk"), 50)
        XCTAssertEqual(SyntheticRater.defaultMaxReturn(task: "cartpole-balance"), 50)
        XCTAssertEqual(SyntheticRater.defaultMaxReturn(task: "walker-run"), 50)
        XCTAssertEqual(SyntheticRater.defaultMaxReturns.count, 6)
    }

    func testCodableRoundTripValidates() throws {
        let rater = try SyntheticRater(classCount: 5, maxReturn: 20, noise: RaterNoise(boltzmannBeta: 2, skipProbability: 0.1))
        let data = try JSONEncoder().encode(rater)
        XCTAssertEqual(try JSONDecoder().decode(SyntheticRater.self, from: data), rater)
        let bad = Data(#"{"classCount": 9, "maxReturn": 20}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(SyntheticRater.self, from: bad))
    }
}

func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
