import XCTest
import NeuralNet
import Randomness
import Ratings
@testable import RewardLearning

/// The learned weighting moves weight away from whichever target is noisy.
///
/// A linear return model R̂ = θ·φ + b on segment features φ is fitted with the
/// `ours` loss to ratings of G = 50·sigmoid(w·φ) (n = 4). Three variants:
/// clean; the regression targets T(y) get heavy Gaussian noise; the
/// classification labels get 40% flat mistakes (the regression targets stay
/// clean). Model and s₁, s₂ are trained with Adam.
final class LearnedWeightingTests: XCTestCase {
    enum Variant { case clean, noisyRegression, noisyClassification }

    /// The effective weights (regression, classification) at the end of training.
    func fit(_ variant: Variant, seed: UInt64) -> (regression: Double, classification: Double) {
        var random = SeededRandom(seed: seed)
        let count = 128, n = 4, length = 50
        let w = [1.0, -0.7, 0.5]
        let rater = try! SyntheticRater(classCount: n, maxReturn: 50)
        let regression = RegressionTerm(scale: 0.1)
        var features: [[Double]] = [], clsLabels: [Int] = [], regTargets: [Double] = []
        for _ in 0..<count {
            let phi = (0..<3).map { _ in random.normal() }
            let g = 50 / (1 + exp(-zip(w, phi).reduce(0) { $0 + $1.0 * $1.1 }))
            let y = rater.binClass(of: g)
            features.append(phi)
            var target = regression.target(rating: y, segmentLength: length)
            if variant == .noisyRegression { target += 3 * random.normal() }
            regTargets.append(target)
            var label = y
            if variant == .noisyClassification, random.unitInterval() < 0.4 {
                let other = RandomDraws.index(below: n - 1, random: &random)
                label = other < y ? other : other + 1
            }
            clsLabels.append(label)
        }
        let term = ClassificationTerm()
        var theta: [Float] = [0.1, 0.1, 0.1, 0]
        var s: [Float] = [0, 0]
        var modelOptimizer = Adam(parameterCount: 4, learningRate: 0.02)
        var weightOptimizer = Adam(parameterCount: 2, learningRate: 0.02)
        for _ in 0..<800 {
            let returns = features.map { phi in
                Double(theta[3]) + (0..<3).reduce(0.0) { $0 + Double(theta[$1]) * phi[$1] }
            }
            let cls = term.evaluate(returns: returns, labels: clsLabels, classCount: n)
            let reg = regression.evaluate(returns: returns, targets: regTargets)
            let c = RewardLoss.ours.combine(classification: cls.loss, regression: reg.loss,
                                            logVariances: LogVariances(s1: Double(s[0]), s2: Double(s[1])))
            var gradient = [Float](repeating: 0, count: 4)
            for j in 0..<count {
                let g = c.dClassification * cls.gradient[j] + c.dRegression * reg.gradient[j]
                for k in 0..<3 { gradient[k] += Float(g * features[j][k]) }
                gradient[3] += Float(g)
            }
            modelOptimizer.step(parameters: &theta, gradients: gradient)
            weightOptimizer.step(parameters: &s, gradients: [Float(c.dS1), Float(c.dS2)])
        }
        return RewardLoss.ours.weights(LogVariances(s1: Double(s[0]), s2: Double(s[1])))
    }

    func testWeightShiftsTowardTheLessNoisyTask() {
        for seed: UInt64 in [1, 2, 3] {
            let clean = fit(.clean, seed: seed)
            let noisyRegression = fit(.noisyRegression, seed: seed)
            let noisyClassification = fit(.noisyClassification, seed: seed)
            let ratio = { (w: (regression: Double, classification: Double)) in w.regression / w.classification }
            XCTAssertLessThan(ratio(noisyRegression), ratio(clean), "seed \(seed): noisy regression targets lose weight")
            XCTAssertGreaterThan(ratio(noisyClassification), ratio(clean), "seed \(seed): noisy labels lose weight")
            XCTAssertLessThan(noisyRegression.regression, noisyRegression.classification, "seed \(seed)")
            XCTAssertLessThan(noisyClassification.classification, noisyClassification.regression, "seed \(seed)")
            XCTAssertLessThan(noisyRegression.regression, clean.regression, "seed \(seed)")
            XCTAssertLessThan(noisyClassification.classification, clean.classification, "seed \(seed)")
        }
    }
}
