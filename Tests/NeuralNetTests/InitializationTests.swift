import XCTest
@testable import NeuralNet
import Randomness

final class InitializationTests: XCTestCase {
    /// Row-major `rows × columns` matrix product `A·Aᵀ` (rowsOuter) or `Aᵀ·A`.
    func gram(_ a: [Float], rows: Int, columns: Int, ofRows: Bool) -> [[Double]] {
        let n = ofRows ? rows : columns
        return (0..<n).map { i in
            (0..<n).map { j in
                ofRows
                    ? (0..<columns).reduce(0.0) { $0 + Double(a[i * columns + $1]) * Double(a[j * columns + $1]) }
                    : (0..<rows).reduce(0.0) { $0 + Double(a[$1 * columns + i]) * Double(a[$1 * columns + j]) }
            }
        }
    }

    func assertScaledIdentity(_ g: [[Double]], _ scale: Double, file: StaticString = #filePath, line: UInt = #line) {
        for i in g.indices {
            for j in g.indices {
                XCTAssertEqual(g[i][j], i == j ? scale : 0, accuracy: 1e-5 * max(scale, 1e-3), file: file, line: line)
            }
        }
    }

    func testOrthogonalLayersOfAnMLP() {
        var random = SeededRandom(seed: 21)
        let network = MLP(inputSize: 3, hiddenSizes: [8, 8], outputSize: 2, hiddenActivation: .tanh,
                          outputActivation: .identity,
                          initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 0.01),
                          random: &random)
        let weights = network.layers.map { Array(network.parameters[$0.weightOffset..<$0.biasOffset]) }
        // 3×8 (wide): rows orthogonal, WWᵀ = 2·I.
        assertScaledIdentity(gram(weights[0], rows: 3, columns: 8, ofRows: true), 2)
        // 8×8: both.
        assertScaledIdentity(gram(weights[1], rows: 8, columns: 8, ofRows: true), 2)
        assertScaledIdentity(gram(weights[1], rows: 8, columns: 8, ofRows: false), 2)
        // 8×2 (tall) output layer: WᵀW = 0.01²·I.
        assertScaledIdentity(gram(weights[2], rows: 8, columns: 2, ofRows: false), 1e-4)
        for layer in network.layers {
            XCTAssertTrue(network.parameters[layer.biasOffset..<(layer.biasOffset + layer.outputSize)].allSatisfy { $0 == 0 })
        }
    }

    func testDefaultHiddenGainIsSquareRootOfTwo() {
        XCTAssertEqual(Initialization.orthogonal(outputGain: 1), .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 1))
    }

    /// QR with a positive-diagonal R (torch's sign correction) makes the first
    /// column of Q the first Gaussian column, normalised.
    func testSignCorrectionMatchesTorch() {
        var random = SeededRandom(seed: 22)
        let w = orthogonalMatrix(rows: 6, columns: 3, gain: 2, random: &random)
        var replay = SeededRandom(seed: 22)
        let firstColumn = (0..<6).map { _ in replay.normal() }
        let norm = firstColumn.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for r in 0..<6 { XCTAssertEqual(Double(w[r * 3]), 2 * firstColumn[r] / norm, accuracy: 1e-6) }
        // Wide matrices are the transpose: the first row is that normalised column.
        var random2 = SeededRandom(seed: 22)
        let wide = orthogonalMatrix(rows: 3, columns: 6, gain: 2, random: &random2)
        for c in 0..<6 { XCTAssertEqual(Double(wide[c]), 2 * firstColumn[c] / norm, accuracy: 1e-6) }
    }

    func testOrthogonalIsDeterministicPerSeed() {
        var a = SeededRandom(seed: 23), b = SeededRandom(seed: 23), c = SeededRandom(seed: 24)
        XCTAssertEqual(orthogonalMatrix(rows: 5, columns: 4, gain: 1, random: &a),
                       orthogonalMatrix(rows: 5, columns: 4, gain: 1, random: &b))
        var d = SeededRandom(seed: 23)
        XCTAssertNotEqual(orthogonalMatrix(rows: 5, columns: 4, gain: 1, random: &c),
                          orthogonalMatrix(rows: 5, columns: 4, gain: 1, random: &d))
    }

    func testUniformFanInBounds() {
        var random = SeededRandom(seed: 25)
        let network = MLP(inputSize: 16, hiddenSizes: [32], outputSize: 4, hiddenActivation: .relu,
                          outputActivation: .identity, initialization: .uniformFanIn, random: &random)
        for layer in network.layers {
            let bound = 1 / Float(layer.inputSize).squareRoot()
            let weights = network.parameters[layer.weightOffset..<layer.biasOffset]
            let biases = network.parameters[layer.biasOffset..<(layer.biasOffset + layer.outputSize)]
            XCTAssertTrue(weights.allSatisfy { abs($0) < bound })
            XCTAssertTrue(biases.allSatisfy { abs($0) < bound })
            XCTAssertTrue(biases.contains { $0 != 0 })
            // Spread over the whole interval, centred on zero.
            XCTAssertGreaterThan(weights.max()!, 0.9 * bound)
            XCTAssertLessThan(weights.min()!, -0.9 * bound)
            XCTAssertEqual(weights.reduce(0, +) / Float(weights.count), 0, accuracy: 0.1 * bound)
        }
    }
}
