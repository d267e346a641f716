import XCTest
import GradientCheck
import Randomness
import Ratings
@testable import RewardLearning

/// Analytic gradients against central differences, all in Double. The
/// boundaries are constants of the loss, so they are computed once at the
/// point of evaluation and held fixed while differencing.
final class GradientCheckTests: XCTestCase {
    /// A batch of distinct returns (so the arg-min and arg-max do not switch
    /// within the difference step) and labels drawn over n classes, with some
    /// classes absent when `absent` is given.
    func batch(size: Int, classCount: Int, absent: Set<Int> = [], random: inout SeededRandom) -> ([Double], [Int]) {
        let present = (0..<classCount).filter { !absent.contains($0) }
        let returns = (0..<size).map { _ in 4 * random.normal() + 10 }
        let labels = (0..<size).map { _ in present[RandomDraws.index(below: present.count, random: &random)] }
        return (returns, labels)
    }

    func testMinMaxNormalizationBackward() {
        var random = SeededRandom(seed: 21)
        let returns = (0..<12).map { _ in random.normal() * 3 }
        let weights = (0..<12).map { _ in random.normal() }
        let f = { (r: [Double]) in zip(MinMaxNormalization(r, epsilon: 1e-3).values, weights).reduce(0) { $0 + $1.0 * $1.1 } }
        let analytic = MinMaxNormalization(returns, epsilon: 1e-3).backward(weights)
        let numeric = numericGradient(at: returns, f)
        XCTAssertLessThan(worstMismatch(analytic, numeric), 1)
        // The arg-min and arg-max carry the extra terms: their gradient differs from w/D.
        let d = MinMaxNormalization(returns, epsilon: 1e-3).scale
        let argmin = returns.indices.min { returns[$0] < returns[$1] }!
        XCTAssertGreaterThan(abs(analytic[argmin] - weights[argmin] / d), 1e-3)
    }

    func testTiedMinimumSplitsItsGradientEqually() {
        // Moving both tied minima together is a well-defined direction.
        let returns = [1.0, 1.0, 2.5, 4.0, 3.0]
        let weights = [0.3, -0.2, 0.7, 0.1, -0.5]
        let analytic = MinMaxNormalization(returns, epsilon: 1e-6).backward(weights)
        XCTAssertEqual(analytic[0] - weights[0] / 3.000001, analytic[1] - weights[1] / 3.000001, accuracy: 1e-12)
        let h = 1e-6
        func f(_ shift: Double) -> Double {
            var r = returns; r[0] += shift; r[1] += shift
            return zip(MinMaxNormalization(r, epsilon: 1e-6).values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        }
        XCTAssertEqual(analytic[0] + analytic[1], (f(h) - f(-h)) / (2 * h), accuracy: 1e-6)
    }

    func testClassificationGradientThroughTheNormalization() {
        var random = SeededRandom(seed: 22)
        let term = ClassificationTerm(steepness: 30, epsilon: 1e-6)
        for n in 2...6 {
            for absent in [Set<Int>(), [0], [n / 2], [0, n - 1]] where absent.count < n {
                let (returns, labels) = batch(size: 24, classCount: n, absent: absent, random: &random)
                let result = term.evaluate(returns: returns, labels: labels, classCount: n)
                let fixed = result.boundaries
                let numeric = numericGradient(at: returns) {
                    term.evaluate(returns: $0, labels: labels, classCount: n, boundaries: fixed).loss
                }
                XCTAssertGreaterThan(numeric.map(abs).max()!, 1e-4, "n = \(n): a non-trivial gradient")
                XCTAssertLessThan(worstMismatch(result.gradient, numeric), 1, "n = \(n), absent \(absent)")
            }
        }
    }

    func testRegressionGradient() {
        var random = SeededRandom(seed: 23)
        let term = RegressionTerm(scale: 0.1)
        let (returns, labels) = batch(size: 16, classCount: 4, random: &random)
        let analytic = term.evaluate(returns: returns, labels: labels, segmentLength: 50).gradient
        let numeric = numericGradient(at: returns) { term.evaluate(returns: $0, labels: labels, segmentLength: 50).loss }
        XCTAssertLessThan(worstMismatch(analytic, numeric), 1)
        XCTAssertEqual(term.target(rating: 3, segmentLength: 50), log(16), accuracy: 1e-12)
        XCTAssertEqual([0, 1, 2, 3].map { term.target(rating: $0, segmentLength: 50) }.map { ($0 * 100).rounded() / 100 },
                       [0, 1.79, 2.40, 2.77])
    }

    func testEveryMethodsTotalLossGradientInReturnsAndLogVariances() {
        var random = SeededRandom(seed: 24)
        let s = LogVariances(s1: 0.4, s2: -0.3)
        for loss in RewardLoss.allCases {
            let objective = RewardObjective(loss: loss)
            for n in [2, 4, 6] {
                let (returns, labels) = batch(size: 20, classCount: n, absent: n > 2 ? [1] : [], random: &random)
                let result = objective.evaluate(returns: returns, labels: labels, classCount: n, segmentLength: 50,
                                                logVariances: s)
                let fixed = result.classification.boundaries
                func total(_ r: [Double], _ s: LogVariances) -> Double {
                    objective.evaluate(returns: r, labels: labels, classCount: n, segmentLength: 50,
                                       logVariances: s, boundaries: fixed).total
                }
                let numeric = numericGradient(at: returns) { total($0, s) }
                XCTAssertLessThan(worstMismatch(result.returnGradient, numeric), 1, "\(loss), n = \(n)")
                let numericS = numericGradient(at: [s.s1, s.s2]) { total(returns, LogVariances(s1: $0[0], s2: $0[1])) }
                XCTAssertLessThan(worstMismatch([result.combination.dS1, result.combination.dS2], numericS), 1, "\(loss) s")
                XCTAssertEqual(numericS[0] != 0, loss.learnsS1, "\(loss) learns s1")
                XCTAssertEqual(numericS[1] != 0, loss.learnsS2, "\(loss) learns s2")
            }
        }
    }

    func testCombinationsMatchTheMethodTable() {
        let s = LogVariances(s1: 0.7, s2: -0.2)
        let cls = 1.3, reg = 2.1
        let expected: [RewardLoss: Double] = [
            .rbrl: cls,
            .ours: 0.5 * exp(-0.7) * reg + exp(0.2) * cls + 0.35 - 0.1,
            .oursEqual: 0.5 * reg + 0.5 * cls,
            .oursCls: exp(0.2) * cls - 0.1,
            .oursReg: 0.5 * exp(-0.7) * reg + 0.35,
        ]
        for loss in RewardLoss.allCases {
            XCTAssertEqual(loss.combine(classification: cls, regression: reg, logVariances: s).total, expected[loss]!,
                           accuracy: 1e-12, "\(loss)")
        }
        XCTAssertEqual(RewardLoss.allCases.map(\.rawValue), ["rbrl", "ours", "ours-equal", "ours-cls", "ours-reg"])
        XCTAssertEqual(RewardLoss(rawValue: "ours-reg"), .oursReg)
        XCTAssertNil(RewardLoss(rawValue: "ppo"))
    }
}
