import Randomness

/// A fully connected feed-forward network over batches (one sample per row).
///
/// Layer `l` computes `Y = act(X·W + b)` with `W` stored `inputSize × outputSize`.
/// All weights and biases live in the single flat `parameters` buffer (see
/// `layers` for each one's offset) and their gradients in `gradients`, laid out
/// the same way, so optimisers and gradient clipping work on flat arrays.
///
/// An `MLP` owns scratch buffers that its methods reuse, so one instance must not
/// be used from several threads at once; give each thread its own `copy()`.
/// It calls OpenBLAS, which should run single-threaded (`OPENBLAS_NUM_THREADS=1`;
/// the first `MLP` created also sets it).
public final class MLP {
    /// Where one layer's parameters sit in `parameters` / `gradients`, and its shape.
    public struct Layer: Hashable, Sendable {
        /// Width of the layer's input.
        public let inputSize: Int
        /// Width of the layer's output.
        public let outputSize: Int
        /// Activation applied to the layer's affine output.
        public let activation: Activation
        /// Offset of the `inputSize × outputSize` row-major weight matrix.
        public let weightOffset: Int
        /// Offset of the `outputSize` biases (right after the weights).
        public let biasOffset: Int
        /// Number of weights plus biases.
        public var parameterCount: Int { inputSize * outputSize + outputSize }
    }

    /// Width of the network's input.
    public let inputSize: Int
    /// Width of the network's output.
    public let outputSize: Int
    /// The layers, input first.
    public let layers: [Layer]
    /// All weights and biases, layer by layer (weights then biases for each).
    public var parameters: [Float]
    /// Gradients of the loss with respect to `parameters`, same layout.
    /// `backward` adds to them; call `zeroGradients()` between batches.
    public var gradients: [Float]

    /// Widest layer input or output, which sizes the scratch buffers.
    private let maxWidth: Int
    /// Ping-pong buffers for inference activations and backward deltas.
    private var scratch: [Float] = []

    /// Number of weights and biases.
    public var parameterCount: Int { parameters.count }

    /// Creates a network with freshly initialised parameters and zero gradients.
    ///
    /// - Parameters:
    ///   - hiddenSizes: widths of the hidden layers, input side first (may be empty).
    ///   - hiddenActivation: activation after every hidden layer.
    ///   - outputActivation: activation after the last layer.
    ///   - random: source of the initial weights; the same seed gives the same network.
    public init(
        inputSize: Int,
        hiddenSizes: [Int],
        outputSize: Int,
        hiddenActivation: Activation,
        outputActivation: Activation,
        initialization: Initialization,
        random: inout SeededRandom
    ) {
        precondition(inputSize > 0 && outputSize > 0 && hiddenSizes.allSatisfy { $0 > 0 },
                     "MLP layer sizes must be positive")
        precondition(hiddenActivation.isValid && outputActivation.isValid,
                     "leaky ReLU slope must be finite and ≥ 0")
        _ = singleThreadedBLAS

        let sizes = [inputSize] + hiddenSizes + [outputSize]
        var layers = [Layer]()
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            let isLast = l == sizes.count - 2
            let layer = Layer(inputSize: sizes[l], outputSize: sizes[l + 1],
                              activation: isLast ? outputActivation : hiddenActivation,
                              weightOffset: offset, biasOffset: offset + sizes[l] * sizes[l + 1])
            layers.append(layer)
            offset += layer.parameterCount
        }
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.layers = layers
        self.maxWidth = sizes.max()!
        var parameters = [Float](repeating: 0, count: offset)
        for (l, layer) in layers.enumerated() {
            let weights: [Float]
            let biases: [Float]
            switch initialization {
            case .orthogonal(let hiddenGain, let outputGain):
                weights = orthogonalMatrix(rows: layer.inputSize, columns: layer.outputSize,
                                           gain: l == layers.count - 1 ? outputGain : hiddenGain,
                                           random: &random)
                biases = [Float](repeating: 0, count: layer.outputSize)
            case .uniformFanIn:
                let bound = 1 / Float(layer.inputSize).squareRoot()
                weights = uniformValues(count: layer.inputSize * layer.outputSize, bound: bound, random: &random)
                biases = uniformValues(count: layer.outputSize, bound: bound, random: &random)
            }
            parameters.replaceSubrange(layer.weightOffset..<(layer.weightOffset + weights.count), with: weights)
            parameters.replaceSubrange(layer.biasOffset..<(layer.biasOffset + biases.count), with: biases)
        }
        self.parameters = parameters
        self.gradients = [Float](repeating: 0, count: offset)
    }

    private init(copying other: MLP) {
        inputSize = other.inputSize
        outputSize = other.outputSize
        layers = other.layers
        maxWidth = other.maxWidth
        parameters = other.parameters
        gradients = other.gradients
    }

    /// An independent network with the same layers, parameters and gradients.
    public func copy() -> MLP {
        MLP(copying: self)
    }

    /// Sets every gradient to zero.
    public func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// The network's output for each row of `input` (inference: keeps nothing
    /// for a backward pass).
    public func forward(_ input: Matrix) -> Matrix {
        checkInput(input)
        let rows = input.rows
        var output = Matrix(rows: rows, columns: outputSize)
        guard rows > 0 else { return output }
        ensureScratch(rows: rows)
        let half = rows * maxWidth
        parameters.withUnsafeBufferPointer { p in
            scratch.withUnsafeMutableBufferPointer { s in
                output.values.withUnsafeMutableBufferPointer { out in
                    input.values.withUnsafeBufferPointer { x in
                        var source = x.baseAddress!
                        for (l, layer) in layers.enumerated() {
                            let destination = l == layers.count - 1
                                ? out.baseAddress!
                                : s.baseAddress! + (l % 2) * half
                            runLayer(layer, rows: rows, input: source, output: destination, parameters: p.baseAddress!)
                            source = UnsafePointer(destination)
                        }
                    }
                }
            }
        }
        return output
    }

    /// The network's output for each row of `input`, keeping in `cache` what
    /// `backward` needs. A cache is reused without reallocating while the batch
    /// size stays the same.
    public func forward(_ input: Matrix, cache: inout Cache) -> Matrix {
        checkInput(input)
        let rows = input.rows
        cache.prepare(for: self, input: input)
        guard rows > 0 else { return Matrix(rows: 0, columns: outputSize) }
        parameters.withUnsafeBufferPointer { p in
            cache.activations.withUnsafeMutableBufferPointer { a in
                input.values.withUnsafeBufferPointer { x in
                    var source = x.baseAddress!
                    for (l, layer) in layers.enumerated() {
                        let destination = a.baseAddress! + cache.offsets[l]
                        runLayer(layer, rows: rows, input: source, output: destination, parameters: p.baseAddress!)
                        source = UnsafePointer(destination)
                    }
                }
            }
        }
        let start = cache.offsets[layers.count - 1]
        return Matrix(rows: rows, columns: outputSize,
                      values: Array(cache.activations[start..<(start + rows * outputSize)]))
    }

    /// Back-propagates `outputGradient` (d loss / d output, one row per sample)
    /// through the forward pass recorded in `cache`. ADDS d loss / d parameters to
    /// `gradients` and returns d loss / d input.
    ///
    /// `cache` must come from `forward(_:cache:)` on this network (same batch), and
    /// `parameters` must not have changed since.
    @discardableResult
    public func backward(_ outputGradient: Matrix, cache: Cache) -> Matrix {
        let rows = cache.batchSize
        precondition(cache.layerCount == layers.count && cache.inputSize == inputSize,
                     "MLP.backward: the cache was not filled by this network's forward pass")
        precondition(outputGradient.rows == rows && outputGradient.columns == outputSize,
                     "MLP.backward: output gradient is \(outputGradient.rows)×\(outputGradient.columns), expected \(rows)×\(outputSize)")
        var inputGradient = Matrix(rows: rows, columns: inputSize)
        guard rows > 0 else { return inputGradient }
        ensureScratch(rows: rows)
        let half = rows * maxWidth
        parameters.withUnsafeBufferPointer { pBuffer in
        gradients.withUnsafeMutableBufferPointer { gBuffer in
        scratch.withUnsafeMutableBufferPointer { sBuffer in
        cache.activations.withUnsafeBufferPointer { aBuffer in
        cache.input.values.withUnsafeBufferPointer { xBuffer in
        outputGradient.values.withUnsafeBufferPointer { ogBuffer in
        inputGradient.values.withUnsafeMutableBufferPointer { dxBuffer in
            let p = pBuffer.baseAddress!, g = gBuffer.baseAddress!
            let acts = aBuffer.baseAddress!
            var delta = sBuffer.baseAddress!          // d loss / d pre-activation of layer l
            var next = sBuffer.baseAddress! + half     // d loss / d output of layer l - 1
            let last = layers.count - 1
            let lastCount = rows * outputSize
            delta.update(from: ogBuffer.baseAddress!, count: lastCount)
            layers[last].activation.backward(
                output: UnsafeBufferPointer(start: acts + cache.offsets[last], count: lastCount),
                gradient: UnsafeMutableBufferPointer(start: delta, count: lastCount))
            for l in stride(from: last, through: 0, by: -1) {
                let layer = layers[l]
                let n = layer.outputSize, k = layer.inputSize
                let layerInput = l == 0 ? xBuffer.baseAddress! : acts + cache.offsets[l - 1]
                // dW += Xᵀ·Δ
                gemm(transposeA: true, transposeB: false, m: k, n: n, k: rows,
                     a: layerInput, lda: k, b: delta, ldb: n,
                     beta: 1, c: g + layer.weightOffset, ldc: n)
                // db += column sums of Δ
                let gb = g + layer.biasOffset
                for r in 0..<rows {
                    let row = delta + r &* n
                    for j in 0..<n { gb[j] += row[j] }
                }
                // dX = Δ·Wᵀ
                let destination = l == 0 ? dxBuffer.baseAddress! : next
                gemm(transposeA: false, transposeB: true, m: rows, n: k, k: n,
                     a: delta, lda: n, b: p + layer.weightOffset, ldb: n,
                     beta: 0, c: destination, ldc: k)
                if l > 0 {
                    let count = rows * k
                    layers[l - 1].activation.backward(
                        output: UnsafeBufferPointer(start: acts + cache.offsets[l - 1], count: count),
                        gradient: UnsafeMutableBufferPointer(start: next, count: count))
                    swap(&delta, &next)
                }
            }
        }}}}}}}
        return inputGradient
    }

    // MARK: - Internals

    private func checkInput(_ input: Matrix) {
        precondition(input.columns == inputSize,
                     "MLP.forward: input has \(input.columns) columns, network expects \(inputSize)")
        precondition(parameters.count == gradients.count && parameters.count == layers.last!.biasOffset + outputSize,
                     "MLP: parameters/gradients were resized")
    }

    private func ensureScratch(rows: Int) {
        let needed = 2 * rows * maxWidth
        if scratch.count < needed {
            scratch = [Float](repeating: 0, count: needed)
        }
    }

    /// output = act(input·W + b) for one layer.
    private func runLayer(_ layer: Layer, rows: Int, input: UnsafePointer<Float>,
                          output: UnsafeMutablePointer<Float>, parameters p: UnsafePointer<Float>) {
        let n = layer.outputSize
        let bias = p + layer.biasOffset
        for r in 0..<rows {
            (output + r &* n).update(from: bias, count: n)
        }
        gemm(transposeA: false, transposeB: false, m: rows, n: n, k: layer.inputSize,
             a: input, lda: layer.inputSize, b: p + layer.weightOffset, ldb: n,
             beta: 1, c: output, ldc: n)
        layer.activation.apply(UnsafeMutableBufferPointer(start: output, count: rows * n))
    }
}
