import XCTest
import GradientCheck
@testable import NeuralNet
import Randomness

/// Compares the analytic gradients of `MLP.backward` with central differences
/// of an independent Double-precision forward pass.
final class GradientCheckTests: XCTestCase {
    struct Outcome {
        var analyticParameters: [Float]
        var numericParameters: [Double]
        var analyticInput: [Float]
        var numericInput: [Double]
        var layers: [MLP.Layer]
    }

    /// Runs the check for one architecture. For ReLU-family activations the seed
    /// is advanced until no pre-activation is within 1e-3 of the kink.
    func check(hidden: Activation, output: Activation, hiddenSizes: [Int] = [5, 4],
               batch: Int = 3, seed: UInt64) -> Outcome {
        var seed = seed
        while true {
            var random = SeededRandom(seed: seed)
            let network = MLP(inputSize: 3, hiddenSizes: hiddenSizes, outputSize: 2,
                              hiddenActivation: hidden, outputActivation: output,
                              initialization: .uniformFanIn, random: &random)
            let input = randomMatrix(rows: batch, columns: 3, random: &random)
            let lossWeights = randomMatrix(rows: batch, columns: 2, random: &random)
            let parameters = network.parameters.map(Double.init)
            let inputValues = input.values.map(Double.init)
            let weights = lossWeights.values.map(Double.init)

            let reference = referenceForward(network, parameters: parameters, input: inputValues, rows: batch)
            let hasKink = [hidden, output].contains { if case .identity = $0 { return false }; if case .tanh = $0 { return false }; return true }
            if hasKink {
                let nearest = reference.preActivations.flatMap { $0 }.map(abs).min()!
                if nearest < 1e-3 { seed += 1000; continue }
            }

            network.zeroGradients()
            var cache = MLP.Cache()
            let predicted = network.forward(input, cache: &cache)
            for (a, b) in zip(predicted.values, reference.output) {
                XCTAssertEqual(Double(a), b, accuracy: 1e-5 * max(1, abs(b)), "forward differs from the reference")
            }
            let inputGradient = network.backward(lossWeights, cache: cache)

            let numericParameters = numericGradient(at: parameters) {
                referenceLoss(network, parameters: $0, input: inputValues, rows: batch, weights: weights)
            }
            let numericInput = numericGradient(at: inputValues) {
                referenceLoss(network, parameters: parameters, input: $0, rows: batch, weights: weights)
            }
            return Outcome(analyticParameters: network.gradients, numericParameters: numericParameters,
                           analyticInput: inputGradient.values, numericInput: numericInput,
                           layers: network.layers)
        }
    }

    func assertGradientsMatch(hidden: Activation, output: Activation, seed: UInt64,
                              file: StaticString = #filePath, line: UInt = #line) {
        let outcome = check(hidden: hidden, output: output, seed: seed)
        // Each layer's weights and biases get non-trivial gradients, so all are exercised.
        for layer in outcome.layers {
            let weights = outcome.numericParameters[layer.weightOffset..<layer.biasOffset]
            let biases = outcome.numericParameters[layer.biasOffset..<(layer.biasOffset + layer.outputSize)]
            XCTAssertGreaterThan(weights.map(abs).max()!, 1e-3, file: file, line: line)
            XCTAssertGreaterThan(biases.map(abs).max()!, 1e-3, file: file, line: line)
        }
        XCTAssertGreaterThan(outcome.numericInput.map(abs).max()!, 1e-3, file: file, line: line)
        XCTAssertEqual(gradientMismatches(analytic: outcome.analyticParameters, numeric: outcome.numericParameters), [],
                       "parameter gradients (\(hidden) / \(output))", file: file, line: line)
        XCTAssertEqual(gradientMismatches(analytic: outcome.analyticInput, numeric: outcome.numericInput), [],
                       "input gradients (\(hidden) / \(output))", file: file, line: line)
    }

    func testIdentity() { assertGradientsMatch(hidden: .identity, output: .identity, seed: 1) }
    func testTanh() { assertGradientsMatch(hidden: .tanh, output: .tanh, seed: 2) }
    func testTanhHiddenIdentityOutput() { assertGradientsMatch(hidden: .tanh, output: .identity, seed: 3) }
    func testReLU() { assertGradientsMatch(hidden: .relu, output: .relu, seed: 4) }
    func testLeakyReLUDefaultSlope() { assertGradientsMatch(hidden: .leakyReLU(), output: .identity, seed: 5) }
    func testLeakyReLUSteepSlope() { assertGradientsMatch(hidden: .leakyReLU(slope: 0.3), output: .leakyReLU(slope: 0.3), seed: 6) }

    func testReLUCheckCoversBothSidesOfTheKink() {
        var random = SeededRandom(seed: 4)
        let network = MLP(inputSize: 3, hiddenSizes: [5, 4], outputSize: 2, hiddenActivation: .relu,
                          outputActivation: .relu, initialization: .uniformFanIn, random: &random)
        let input = randomMatrix(rows: 3, columns: 3, random: &random)
        let z = referenceForward(network, parameters: network.parameters.map(Double.init),
                                 input: input.values.map(Double.init), rows: 3).preActivations.flatMap { $0 }
        XCTAssertTrue(z.contains { $0 > 0 } && z.contains { $0 < 0 })
    }

    func testSingleLayerAndWideBatch() {
        var random = SeededRandom(seed: 7)
        let network = MLP(inputSize: 4, hiddenSizes: [], outputSize: 3, hiddenActivation: .tanh,
                          outputActivation: .tanh, initialization: .uniformFanIn, random: &random)
        let input = randomMatrix(rows: 17, columns: 4, random: &random)
        let weights = randomMatrix(rows: 17, columns: 3, random: &random)
        var cache = MLP.Cache()
        _ = network.forward(input, cache: &cache)
        let inputGradient = network.backward(weights, cache: cache)
        let p = network.parameters.map(Double.init), x = input.values.map(Double.init)
        let w = weights.values.map(Double.init)
        let numeric = numericGradient(at: p) { referenceLoss(network, parameters: $0, input: x, rows: 17, weights: w) }
        let numericInput = numericGradient(at: x) { referenceLoss(network, parameters: p, input: $0, rows: 17, weights: w) }
        XCTAssertEqual(gradientMismatches(analytic: network.gradients, numeric: numeric), [])
        XCTAssertEqual(gradientMismatches(analytic: inputGradient.values, numeric: numericInput), [])
    }

    /// The comparison must be able to fail: a small error in one gradient is caught.
    func testCheckDetectsAWrongGradient() {
        let outcome = check(hidden: .tanh, output: .identity, seed: 8)
        var corrupted = outcome.analyticParameters
        let index = corrupted.indices.max { abs(corrupted[$0]) < abs(corrupted[$1]) }!
        corrupted[index] *= 1.01
        XCTAssertEqual(gradientMismatches(analytic: corrupted, numeric: outcome.numericParameters), [index])
        // So is a 3% error across the input gradients.
        XCTAssertFalse(gradientMismatches(analytic: outcome.analyticInput.map { $0 * 0.97 },
                                          numeric: outcome.numericInput).isEmpty)
    }

    func testMeanSquaredErrorGradient() {
        var random = SeededRandom(seed: 9)
        let prediction = randomMatrix(rows: 4, columns: 3, random: &random)
        let target = randomMatrix(rows: 4, columns: 3, random: &random)
        let (loss, gradient) = meanSquaredError(prediction: prediction, target: target)
        let t = target.values.map(Double.init)
        func mse(_ p: [Double]) -> Double { zip(p, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 12 }
        XCTAssertEqual(Double(loss), mse(prediction.values.map(Double.init)), accuracy: 1e-6)
        let numeric = numericGradient(at: prediction.values.map(Double.init), mse)
        XCTAssertEqual(gradientMismatches(analytic: gradient.values, numeric: numeric), [])
    }
}
