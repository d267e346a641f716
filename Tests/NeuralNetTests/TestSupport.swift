import Foundation
@testable import NeuralNet
import Randomness

/// A matrix of standard-normal entries times `scale`.
func randomMatrix(rows: Int, columns: Int, scale: Float = 1, random: inout SeededRandom) -> Matrix {
    Matrix(rows: rows, columns: columns,
           values: (0..<(rows * columns)).map { _ in scale * Float(random.normal()) })
}

/// The activation in Double, written independently of the library's kernels.
func referenceActivation(_ activation: Activation, _ x: Double) -> Double {
    switch activation {
    case .identity: return x
    case .tanh: return Foundation.tanh(x)
    case .relu: return max(x, 0)
    case .leakyReLU(let slope): return x > 0 ? x : Double(slope) * x
    }
}

/// A plain-loop Double forward pass of `network`'s architecture with the given
/// parameters, plus every layer's pre-activations.
func referenceForward(_ network: MLP, parameters: [Double], input: [Double], rows: Int)
    -> (output: [Double], preActivations: [[Double]])
{
    var current = input
    var preActivations: [[Double]] = []
    for layer in network.layers {
        let n = layer.outputSize, k = layer.inputSize
        var z = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var sum = parameters[layer.biasOffset + j]
                for i in 0..<k { sum += current[r * k + i] * parameters[layer.weightOffset + i * n + j] }
                z[r * n + j] = sum
            }
        }
        preActivations.append(z)
        current = z.map { referenceActivation(layer.activation, $0) }
    }
    return (current, preActivations)
}

/// Σ weights ⊙ output of the reference forward pass: a scalar loss whose
/// gradient with respect to the output is `weights`.
func referenceLoss(_ network: MLP, parameters: [Double], input: [Double], rows: Int, weights: [Double]) -> Double {
    let output = referenceForward(network, parameters: parameters, input: input, rows: rows).output
    return zip(output, weights).reduce(0) { $0 + $1.0 * $1.1 }
}

/// Indices where `analytic` and `numeric` disagree beyond
/// `absolute + relative·|numeric|`. (Observed differences are ~1e-7: Float
/// forward passes against a Double reference.)
func gradientMismatches(analytic: [Float], numeric: [Double],
                        relative: Double = 1e-4, absolute: Double = 1e-5) -> [Int] {
    precondition(analytic.count == numeric.count)
    return analytic.indices.filter { i in
        abs(Double(analytic[i]) - numeric[i]) > absolute + relative * abs(numeric[i])
    }
}

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "nncore-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
