import XCTest
import Randomness
import Ratings
@testable import RewardLearning

final class ClassificationTermTests: XCTestCase {
    func testHandComputedBatch() throws {
        // R̂ = 1, 3, 5 → R̃ = 0, 2/(4+ε), 4/(4+ε); labels 0, 1, 1 → R̄ = 0, 0, 1·(4/(4+ε)).
        let term = ClassificationTerm(steepness: 30, epsilon: 1e-6)
        let result = term.evaluate(returns: [1, 3, 5], labels: [0, 1, 1], classCount: 2)
        let d = 4 + 1e-6
        XCTAssertEqual(result.normalizedReturns[1], 2 / d, accuracy: 1e-15)
        XCTAssertEqual(result.boundaries.values, [0, 0, 4 / d])
        // Middle segment: logits 0 (zero-width class 0 at 0: −30·x²) and −30·x·(x − 4/d).
        let x = 2 / d
        let z = [-30 * x * x, -30 * x * (x - 4 / d)]
        let q = ClassificationTerm.softmax(z)
        XCTAssertEqual(result.probabilities(ofSegment: 1)[1], q[1], accuracy: 1e-12)
        // The lowest segment ties (logit 0) between classes 0 and 1; it counts as class 0, which is present.
        XCTAssertEqual(result.predictions, [0, 1, 1])
        XCTAssertEqual(result.accuracy, 1)
        let qLast = ClassificationTerm.softmax([-30 * (4 / d) * (4 / d), 0])[1]
        let expectedLoss = (-log(0.5) - log(q[1]) - log(qLast)) / 3
        XCTAssertEqual(result.loss, expectedLoss, accuracy: 1e-12)
    }

    func testProbabilitiesSumToOne() {
        var random = SeededRandom(seed: 11)
        let term = ClassificationTerm()
        for n in 2...6 {
            let returns = (0..<40).map { _ in random.normal() * 5 }
            let labels = (0..<40).map { _ in RandomDraws.index(below: n, random: &random) }
            let result = term.evaluate(returns: returns, labels: labels, classCount: n)
            for j in 0..<40 {
                let q = result.probabilities(ofSegment: j)
                XCTAssertEqual(q.reduce(0, +), 1, accuracy: 1e-12)
                XCTAssertTrue(q.allSatisfy { $0 > 0 && $0 < 1 })
            }
        }
    }

    func testTieRuleOnABoundaryPrefersTheLowestPresentClass() {
        // R̃ = 0, .4, .4, .4, ~1 with labels 0, 0, 1, 1, 2: R̄ = 0, .4, .4, 1; the tied
        // segments score 0 for every class and are predicted class 0.
        let term = ClassificationTerm(epsilon: 1e-9)
        let result = term.evaluate(returns: [0, 4, 4, 4, 10], labels: [0, 0, 1, 1, 2], classCount: 3)
        XCTAssertEqual(result.predictions, [0, 0, 0, 0, 2])
        // Absent lowest classes: the minimum sits on their zero-width intervals but is
        // predicted as the lowest class that occurs.
        let absent = term.evaluate(returns: [0, 5, 10], labels: [2, 2, 3], classCount: 4)
        XCTAssertEqual(absent.boundaries.values[0...2], [0, 0, 0])
        XCTAssertEqual(absent.predictions, [2, 2, 3])
    }

    func testConstantBatchIsFiniteThanksToEpsilon() {
        let result = ClassificationTerm().evaluate(returns: [2, 2, 2, 2], labels: [0, 1, 2, 1], classCount: 3)
        XCTAssertTrue(result.loss.isFinite)
        XCTAssertTrue(result.gradient.allSatisfy(\.isFinite))
        XCTAssertEqual(result.loss, log(3), accuracy: 1e-12)
    }
}
