import Foundation
import XCTest
@testable import NeuralNet

final class ActivationTests: XCTestCase {
    func testTanhMatchesLibmAcrossTheRange() {
        var worstAbsolute = 0.0, worstRelative = 0.0
        var x: Float = -12
        while x <= 12 {
            let exact = Foundation.tanh(Double(x))
            let got = Double(Activation.tanh(x))
            worstAbsolute = max(worstAbsolute, abs(got - exact))
            if abs(exact) > 1e-30 { worstRelative = max(worstRelative, abs(got - exact) / abs(exact)) }
            x += 0.000_37
        }
        XCTAssertLessThan(worstAbsolute, 3e-7)
        XCTAssertLessThan(worstRelative, 5e-7)
    }

    func testTanhSpecialValues() {
        for tiny: Float in [1e-30, 1e-10, 1e-5, Float.leastNonzeroMagnitude, 0.001, 0.24, 0.26] {
            XCTAssertEqual(Activation.tanh(tiny), Float(Foundation.tanh(Double(tiny))), accuracy: tiny * 4e-7)
            XCTAssertEqual(Activation.tanh(-tiny), -Activation.tanh(tiny))
        }
        XCTAssertEqual(Activation.tanh(0), 0)
        XCTAssertEqual(Activation.tanh(30), 1)
        XCTAssertEqual(Activation.tanh(-30), -1)
        XCTAssertEqual(Activation.tanh(.infinity), 1)
        XCTAssertEqual(Activation.tanh(-.infinity), -1)
        XCTAssertTrue(Activation.tanh(.nan).isNaN)
    }

    func testReLUFamily() {
        XCTAssertEqual(Activation.relu(-2), 0)
        XCTAssertEqual(Activation.relu(3), 3)
        XCTAssertEqual(Activation.leakyReLU()(-2), -0.02, accuracy: 1e-9)
        XCTAssertEqual(Activation.leakyReLU(slope: 0.2)(-2), -0.4, accuracy: 1e-7)
        XCTAssertEqual(Activation.leakyReLU(slope: 0.2)(5), 5)
        // PyTorch's conventions at the kink (x = 0): ReLU' = 0, LeakyReLU' = slope.
        XCTAssertEqual(Activation.relu.derivative(output: Activation.relu(0)), 0)
        XCTAssertEqual(Activation.leakyReLU().derivative(output: Activation.leakyReLU()(0)), 0.01)
        XCTAssertEqual(Activation.leakyReLU(slope: 0.2).derivative(output: -0.4), 0.2)
        XCTAssertEqual(Activation.tanh.derivative(output: 0.5), 0.75)
        XCTAssertEqual(Activation.identity.derivative(output: 7), 1)
    }

    /// The vectorised buffer kernels agree with the scalar definitions, including
    /// the partial last chunk of a length that is not a multiple of 16.
    func testBufferKernelsMatchScalarForm() {
        // Includes exact zeros (the kink) in the vector part and in the tail.
        let inputs: [Float] = (0..<37).map { (i: Int) -> Float in i == 3 || i == 35 ? 0 : Float(i) * 0.37 - 6.5 }
        let upstream = (0..<37).map { Float($0 % 5) - 2 }
        for activation in [Activation.identity, .tanh, .relu, .leakyReLU(), .leakyReLU(slope: 0.5)] {
            var values = inputs
            activation.apply(&values)
            XCTAssertEqual(values, inputs.map { activation($0) }, "\(activation) forward")
            var gradient = upstream
            activation.backward(output: values, gradient: &gradient)
            let expected = zip(upstream, values).map { $0 * activation.derivative(output: $1) }
            XCTAssertEqual(gradient, expected, "\(activation) backward")
        }
    }
}
