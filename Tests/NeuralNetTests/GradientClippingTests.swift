import XCTest
@testable import NeuralNet
import Randomness

final class GradientClippingTests: XCTestCase {
    func norm(_ values: [Float]) -> Double { values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot() }

    func testClipsToMaxNormAndReturnsTheOriginalNorm() {
        var gradients: [Float] = [3, 4]
        XCTAssertEqual(clipGradientNorm(&gradients, maxNorm: 1), 5)
        // torch: scale = maxNorm / (norm + 1e-6)
        XCTAssertEqual(gradients[0], Float(3.0 / 5.000001), accuracy: 1e-7)
        XCTAssertEqual(gradients[1], Float(4.0 / 5.000001), accuracy: 1e-7)
        XCTAssertEqual(norm(gradients), 1, accuracy: 1e-6)
    }

    func testLongBufferIsClippedExactlyToMaxNorm() {
        var random = SeededRandom(seed: 31)
        var gradients = (0..<1001).map { _ in Float(random.normal()) }
        let before = norm(gradients)
        XCTAssertEqual(Double(clipGradientNorm(&gradients, maxNorm: 0.5)), before, accuracy: 1e-4)
        XCTAssertEqual(norm(gradients), 0.5, accuracy: 1e-5)
    }

    func testUntouchedBelowMaxNorm() {
        let original: [Float] = [0.3, -0.4, 0]
        var gradients = original
        XCTAssertEqual(clipGradientNorm(&gradients, maxNorm: 1), 0.5, accuracy: 1e-7)
        XCTAssertEqual(gradients.map(\.bitPattern), original.map(\.bitPattern))
    }

    func testSeveralBuffersShareOneNormAndFactor() {
        var buffers: [[Float]] = [[3], [4, 0]]
        XCTAssertEqual(clipGradientNorm(&buffers, maxNorm: 2.5), 5)
        XCTAssertEqual(buffers[0][0], 1.5, accuracy: 1e-6)
        XCTAssertEqual(buffers[1][0], 2, accuracy: 1e-6)
        XCTAssertEqual(buffers[1][1], 0)
    }

    func testNetworksClippedTogether() {
        var random = SeededRandom(seed: 32)
        let policy = MLP(inputSize: 2, hiddenSizes: [3], outputSize: 1, hiddenActivation: .tanh,
                         outputActivation: .identity, initialization: .uniformFanIn, random: &random)
        let value = policy.copy()
        policy.gradients = [Float](repeating: 1, count: policy.parameterCount)
        value.gradients = [Float](repeating: 2, count: value.parameterCount)
        let n = Double(policy.parameterCount)
        let expected = (n * 1 + n * 4).squareRoot()
        XCTAssertEqual(Double(clipGradientNorm(of: [policy, value], maxNorm: 1)), expected, accuracy: 1e-5)
        XCTAssertEqual(norm(policy.gradients + value.gradients), 1, accuracy: 1e-5)
        XCTAssertEqual(value.gradients[0] / policy.gradients[0], 2, accuracy: 1e-6)
    }
}
