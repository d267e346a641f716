import XCTest
@testable import NeuralNet

final class AdamTests: XCTestCase {
    let gradients1: [Float] = [0.5, -1.0, 0.0]
    let gradients2: [Float] = [0.2, 0.3, -0.4]

    /// torch.optim.Adam(lr=0.1), two steps worked by hand for parameter 0:
    /// step 1: m = 0.05, v = 2.5e-4, m̂ = 0.5, v̂ = 0.25 → p = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002.
    /// step 2: m = 0.9·0.05 + 0.1·0.2 = 0.065, v = 0.999·2.5e-4 + 0.001·0.04 = 2.8975e-4,
    ///         m̂ = 0.065/0.19, v̂ = 2.8975e-4/0.001999 → p = 0.9 − 0.1·0.342105/(0.380719 + 1e-8) = 0.8101425.
    func testTwoStepsMatchTorch() {
        var adam = Adam(parameterCount: 3, learningRate: 0.1)
        XCTAssertEqual(adam.beta1, 0.9)
        XCTAssertEqual(adam.beta2, 0.999)
        XCTAssertEqual(adam.epsilon, 1e-8)
        var parameters: [Float] = [1.0, -2.0, 0.5]
        adam.step(parameters: &parameters, gradients: gradients1)
        assertClose(parameters, [0.900000002, -1.900000001, 0.5])
        adam.step(parameters: &parameters, gradients: gradients2)
        assertClose(parameters, [0.8101424839, -1.8572151424, 0.5744136797])
        XCTAssertEqual(adam.stepCount, 2)
        assertClose(adam.firstMoment, [0.065, -0.06, -0.04])
        assertClose(adam.secondMoment, [2.8975e-4, 0.999e-3 + 0.09e-3, 0.16e-3])
    }

    /// ε is added after the bias correction of √v (torch), so a large ε shows:
    /// step 1 gives p = 1 − 0.1·0.5/(0.5 + 0.1) = 0.9166667.
    func testEpsilonIsAddedToTheCorrectedRoot() {
        var adam = Adam(parameterCount: 3, learningRate: 0.1, epsilon: 0.1)
        var parameters: [Float] = [1.0, -2.0, 0.5]
        adam.step(parameters: &parameters, gradients: gradients1)
        assertClose(parameters, [0.9166666667, -1.9090909091, 0.5])
        adam.step(parameters: &parameters, gradients: gradients2)
        assertClose(parameters, [0.8455014370, -1.8714111119, 0.5549801309])
    }

    func testLearningRateCanChangeBetweenSteps() {
        var adam = Adam(parameterCount: 3, learningRate: 0.1)
        var parameters: [Float] = [1.0, -2.0, 0.5]
        adam.step(parameters: &parameters, gradients: gradients1)
        adam.learningRate = 0.05
        adam.step(parameters: &parameters, gradients: gradients2)
        assertClose(parameters, [0.8550712430, -1.8786075717, 0.5372068399])
    }

    func testLongBufferUsesTheSameUpdateEverywhere() {
        // 37 elements: two vector chunks and a partial tail.
        var adam = Adam(parameterCount: 37, learningRate: 0.1)
        var parameters = [Float](repeating: 1, count: 37)
        adam.step(parameters: &parameters, gradients: (0..<37).map { $0 % 2 == 0 ? 0.5 : -1 })
        for (i, p) in parameters.enumerated() { XCTAssertEqual(p, i % 2 == 0 ? 0.9 : 1.1, accuracy: 1e-6) }
    }

    func testResetForgetsState() {
        var adam = Adam(parameterCount: 3, learningRate: 0.1)
        var parameters: [Float] = [1.0, -2.0, 0.5]
        adam.step(parameters: &parameters, gradients: gradients1)
        adam.reset()
        XCTAssertEqual(adam.stepCount, 0)
        XCTAssertEqual(adam.firstMoment, [0, 0, 0])
        XCTAssertEqual(adam.secondMoment, [0, 0, 0])
    }

    func assertClose(_ actual: [Float], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) {
            XCTAssertEqual(Double(a), e, accuracy: 2e-7 * max(1, abs(e)), file: file, line: line)
        }
    }
}
