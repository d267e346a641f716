import XCTest
@testable import NeuralNet
import Randomness

final class MLPTests: XCTestCase {
    func makeNetwork(seed: UInt64 = 1, hidden: [Int] = [6, 5]) -> MLP {
        var random = SeededRandom(seed: seed)
        return MLP(inputSize: 4, hiddenSizes: hidden, outputSize: 3, hiddenActivation: .tanh,
                   outputActivation: .identity, initialization: .orthogonal(outputGain: 1), random: &random)
    }

    func testLayoutIsContiguous() {
        let network = makeNetwork()
        XCTAssertEqual(network.parameterCount, (4 * 6 + 6) + (6 * 5 + 5) + (5 * 3 + 3))
        XCTAssertEqual(network.gradients.count, network.parameterCount)
        var offset = 0
        for layer in network.layers {
            XCTAssertEqual(layer.weightOffset, offset)
            XCTAssertEqual(layer.biasOffset, offset + layer.inputSize * layer.outputSize)
            offset += layer.parameterCount
        }
        XCTAssertEqual(offset, network.parameterCount)
        XCTAssertEqual(network.layers.map(\.activation), [.tanh, .tanh, .identity])
        XCTAssertEqual(network.gradients, [Float](repeating: 0, count: network.parameterCount))
    }

    func testForwardIsYEqualsXWPlusB() {
        var random = SeededRandom(seed: 3)
        let network = MLP(inputSize: 2, hiddenSizes: [], outputSize: 3, hiddenActivation: .identity,
                          outputActivation: .identity, initialization: .uniformFanIn, random: &random)
        network.parameters = [1, 2, 3,
                              4, 5, 6,
                              0.5, -1, 0]
        let output = network.forward(Matrix(rows: 2, columns: 2, values: [1, 0, 2, -1]))
        XCTAssertEqual(output, Matrix(rows: 2, columns: 3, values: [1.5, 1, 3, -1.5, -2, 0]))
    }

    func testInferenceAndTrainingForwardAgree() {
        let network = makeNetwork()
        var random = SeededRandom(seed: 10)
        let input = randomMatrix(rows: 7, columns: 4, random: &random)
        var cache = MLP.Cache()
        XCTAssertEqual(network.forward(input), network.forward(input, cache: &cache))
        XCTAssertEqual(cache.batchSize, 7)
    }

    func testCacheIsReusedForTheSameBatchSize() {
        let network = makeNetwork()
        var random = SeededRandom(seed: 11)
        var cache = MLP.Cache()
        _ = network.forward(randomMatrix(rows: 5, columns: 4, random: &random), cache: &cache)
        let before = cache.activations.withUnsafeBufferPointer { $0.baseAddress }
        let input = randomMatrix(rows: 5, columns: 4, random: &random)
        _ = network.forward(input, cache: &cache)
        XCTAssertEqual(cache.activations.withUnsafeBufferPointer { $0.baseAddress }, before)

        // Changing the batch size reallocates and still gives the same gradients as a fresh cache.
        let small = randomMatrix(rows: 2, columns: 4, random: &random)
        let upstream = randomMatrix(rows: 2, columns: 3, random: &random)
        network.zeroGradients()
        _ = network.forward(small, cache: &cache)
        let reusedInput = network.backward(upstream, cache: cache)
        let reused = network.gradients
        network.zeroGradients()
        var fresh = MLP.Cache()
        _ = network.forward(small, cache: &fresh)
        XCTAssertEqual(network.backward(upstream, cache: fresh), reusedInput)
        XCTAssertEqual(network.gradients, reused)
    }

    func testBackwardAccumulatesAndZeroGradientsClears() {
        let network = makeNetwork()
        var random = SeededRandom(seed: 12)
        let input = randomMatrix(rows: 4, columns: 4, random: &random)
        let upstream = randomMatrix(rows: 4, columns: 3, random: &random)
        var cache = MLP.Cache()
        _ = network.forward(input, cache: &cache)
        network.backward(upstream, cache: cache)
        let once = network.gradients
        XCTAssertTrue(once.contains { $0 != 0 })
        network.backward(upstream, cache: cache)
        for (twice, single) in zip(network.gradients, once) {
            XCTAssertEqual(twice, 2 * single, accuracy: 1e-6 * max(1, abs(single)))
        }
        network.zeroGradients()
        XCTAssertTrue(network.gradients.allSatisfy { $0 == 0 })
    }

    func testGradientOfABatchIsTheSumOverItsRows() {
        let network = makeNetwork()
        var random = SeededRandom(seed: 13)
        let input = randomMatrix(rows: 3, columns: 4, random: &random)
        let upstream = randomMatrix(rows: 3, columns: 3, random: &random)
        var cache = MLP.Cache()
        _ = network.forward(input, cache: &cache)
        network.backward(upstream, cache: cache)
        let batched = network.gradients
        network.zeroGradients()
        for r in 0..<3 {
            var rowCache = MLP.Cache()
            _ = network.forward(Matrix(rows: 1, columns: 4, values: input.row(r)), cache: &rowCache)
            network.backward(Matrix(rows: 1, columns: 3, values: upstream.row(r)), cache: rowCache)
        }
        for (a, b) in zip(network.gradients, batched) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testCopyIsDeep() {
        let network = makeNetwork()
        let copy = network.copy()
        XCTAssertEqual(copy.parameters, network.parameters)
        XCTAssertEqual(copy.layers, network.layers)
        copy.parameters[0] += 1
        copy.gradients[0] = 5
        XCTAssertNotEqual(copy.parameters[0], network.parameters[0])
        XCTAssertEqual(network.gradients[0], 0)
        var random = SeededRandom(seed: 14)
        let input = randomMatrix(rows: 2, columns: 4, random: &random)
        XCTAssertNotEqual(copy.forward(input), network.forward(input))
    }

    func testSameSeedSameNetwork() {
        XCTAssertEqual(makeNetwork(seed: 5).parameters, makeNetwork(seed: 5).parameters)
        XCTAssertNotEqual(makeNetwork(seed: 5).parameters, makeNetwork(seed: 6).parameters)
    }

    func testMatrixBasics() {
        var m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m[1, 0], 4)
        m[0, 2] = 9
        XCTAssertEqual(m.values, [1, 2, 9, 4, 5, 6])
        XCTAssertEqual(m.row(1), [4, 5, 6])
        XCTAssertEqual(Matrix(rows: 2, columns: 2, repeating: 1).values, [1, 1, 1, 1])
        m.withUnsafeMutableValues { $0[5] = -1 }
        XCTAssertEqual(m[1, 2], -1)
    }

    func testOpenBLASRunsSingleThreaded() {
        _ = makeNetwork()
        XCTAssertEqual(openBLASThreadCount(), 1)
    }
}
