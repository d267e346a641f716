import XCTest
import Randomness
import Ratings
@testable import RewardLearning

final class RatingBoundariesTests: XCTestCase {
    func testProportionMatchedBoundariesOnAHandComputedBatch() throws {
        // Sorted: 0, .2, .5, .7, 1; counts [2, 1, 2] → C = 2, 3, 5.
        let b = try RatingBoundaries(normalizedReturns: [0.7, 0, 1, 0.2, 0.5], labels: [2, 0, 2, 0, 1], classCount: 3)
        XCTAssertEqual(b.values, [0, 0.2, 0.5, 1])
        XCTAssertEqual(b.classCounts, [2, 1, 2])
        // Labels need not match the order of the returns: only the counts matter.
        let shuffled = try RatingBoundaries(normalizedReturns: [0.7, 0, 1, 0.2, 0.5], labels: [0, 2, 1, 2, 0], classCount: 3)
        XCTAssertEqual(shuffled.values, [0, 0.2, 0.5, 1])
    }

    func testAbsentLowestClassesGetZeroWidthIntervalsAtZero() throws {
        // n = 4, counts [0, 0, 2, 1]: C = 0, 0, 2, 3.
        let b = try RatingBoundaries(normalizedReturns: [0.3, 1, 0], labels: [2, 3, 2], classCount: 4)
        XCTAssertEqual(b.values, [0, 0, 0, 0.3, 1])
        XCTAssertEqual(b.interval(ofClass: 0), 0...0)
        XCTAssertEqual(b.interval(ofClass: 1), 0...0)
    }

    func testAbsentMiddleClassGetsAZeroWidthInterval() throws {
        // n = 5, counts [1, 0, 2, 0, 1]: C = 1, 1, 3, 3, 4.
        let b = try RatingBoundaries(normalizedReturns: [0, 0.4, 0.6, 1], labels: [0, 2, 2, 4], classCount: 5)
        XCTAssertEqual(b.values, [0, 0, 0, 0.6, 0.6, 1])
        // The absent top class also collapses onto the maximum.
        let top = try RatingBoundaries(normalizedReturns: [0, 0.5, 1], labels: [0, 1, 1], classCount: 3)
        XCTAssertEqual(top.values, [0, 0, 1, 1])
    }

    func testTiedReturnsGiveTheSameBoundariesWhateverTheirOrder() throws {
        // Three segments tie at 0.4; counts [2, 2, 1]: C = 2, 4, 5.
        let returns = [0.4, 0, 0.4, 1, 0.4]
        let b = try RatingBoundaries(normalizedReturns: returns, labels: [0, 0, 1, 1, 2], classCount: 3)
        XCTAssertEqual(b.values, [0, 0.4, 0.4, 1])
        let c = try RatingBoundaries(normalizedReturns: returns.reversed(), labels: [1, 2, 0, 1, 0], classCount: 3)
        XCTAssertEqual(c.values, b.values)
    }

    func testBoundariesAreMonotoneAndEndAtTheMaximum() throws {
        var random = SeededRandom(seed: 5)
        for n in 2...6 {
            for _ in 0..<50 {
                let size = 1 + RandomDraws.index(below: 20, random: &random)
                let returns = (0..<size).map { _ in random.normal() * 3 }
                let labels = (0..<size).map { _ in RandomDraws.index(below: n, random: &random) }
                let normalized = MinMaxNormalization(returns, epsilon: 1e-6).values
                let b = try RatingBoundaries(normalizedReturns: normalized, labels: labels, classCount: n)
                XCTAssertEqual(b.values.count, n + 1)
                XCTAssertEqual(b.values[0], 0)
                XCTAssertEqual(b.values[n], normalized.max()!)
                XCTAssertTrue(zip(b.values, b.values.dropFirst()).allSatisfy { $0 <= $1 }, "\(b.values)")
                for i in 0..<n where b.classCounts[i] == 0 {
                    XCTAssertEqual(b.values[i + 1], b.values[i], "absent class \(i) has zero width")
                }
            }
        }
    }

    func testBadLabelsAndClassCountsAreRejected() {
        XCTAssertThrowsError(try RatingBoundaries(normalizedReturns: [0, 1], labels: [0, 3], classCount: 3)) {
            XCTAssertEqual($0 as? RatingError, .ratingOutOfRange(rating: 3, classCount: 3))
        }
        XCTAssertThrowsError(try RatingBoundaries(normalizedReturns: [0, 1], labels: [0, -1], classCount: 3))
        XCTAssertThrowsError(try RatingBoundaries(normalizedReturns: [0, 1], labels: [0, 1], classCount: 7)) {
            XCTAssertEqual($0 as? RatingError, .invalidClassCount(7))
        }
        XCTAssertThrowsError(try RatingBoundaries(normalizedReturns: [], labels: [], classCount: 3))
        XCTAssertThrowsError(try RatingBoundaries(normalizedReturns: [0], labels: [0, 1], classCount: 3))
    }
}
