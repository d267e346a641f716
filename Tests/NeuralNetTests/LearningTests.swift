import XCTest
@testable import NeuralNet
import Randomness

final class LearningTests: XCTestCase {
    /// An MLP trained with Adam on full batches fits sin(x) on [−π, π].
    func testFitsSine() {
        var random = SeededRandom(seed: 41)
        let network = MLP(inputSize: 1, hiddenSizes: [32, 32], outputSize: 1, hiddenActivation: .tanh,
                          outputActivation: .identity, initialization: .orthogonal(outputGain: 1), random: &random)
        var adam = Adam(parameterCount: network.parameterCount, learningRate: 0.01)
        let xs = (0..<64).map { -Float.pi + 2 * Float.pi * Float($0) / 63 }
        let input = Matrix(rows: 64, columns: 1, values: xs)
        let target = Matrix(rows: 64, columns: 1, values: xs.map { sin($0) })
        var cache = MLP.Cache()
        let initialLoss = meanSquaredError(prediction: network.forward(input), target: target).loss
        for _ in 0..<400 {
            network.zeroGradients()
            let prediction = network.forward(input, cache: &cache)
            network.backward(meanSquaredError(prediction: prediction, target: target).gradient, cache: cache)
            adam.step(parameters: &network.parameters, gradients: network.gradients)
        }
        let finalLoss = meanSquaredError(prediction: network.forward(input), target: target).loss
        XCTAssertGreaterThan(initialLoss, 0.1)
        XCTAssertLessThan(finalLoss, 1e-3, "initial \(initialLoss)")
        print("sin fit: MSE \(initialLoss) → \(finalLoss)")
    }

    /// XOR needs the hidden layer: a ReLU network with clipped gradients learns it.
    func testLearnsXOR() {
        var random = SeededRandom(seed: 42)
        let network = MLP(inputSize: 2, hiddenSizes: [8], outputSize: 1, hiddenActivation: .relu,
                          outputActivation: .identity, initialization: .uniformFanIn, random: &random)
        var adam = Adam(parameterCount: network.parameterCount, learningRate: 0.05)
        let input = Matrix(rows: 4, columns: 2, values: [0, 0, 0, 1, 1, 0, 1, 1])
        let target = Matrix(rows: 4, columns: 1, values: [0, 1, 1, 0])
        var cache = MLP.Cache()
        for _ in 0..<500 {
            network.zeroGradients()
            let prediction = network.forward(input, cache: &cache)
            network.backward(meanSquaredError(prediction: prediction, target: target).gradient, cache: cache)
            clipGradientNorm(&network.gradients, maxNorm: 1)
            adam.step(parameters: &network.parameters, gradients: network.gradients)
        }
        let output = network.forward(input)
        for r in 0..<4 { XCTAssertEqual(output[r, 0], target[r, 0], accuracy: 0.1) }
    }
}
