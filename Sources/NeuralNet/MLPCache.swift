extension MLP {
    /// What a training forward pass keeps for the backward pass: the input and
    /// every layer's output. Create one with `MLP.Cache()` and pass it to
    /// `forward(_:cache:)`; its storage is reused while the batch size is unchanged.
    public struct Cache {
        /// Number of rows of the last recorded forward pass.
        public private(set) var batchSize = 0
        /// The input of the last recorded forward pass.
        var input = Matrix(rows: 0, columns: 0)
        /// All layers' outputs, one after another (`rows × width` each).
        var activations: [Float] = []
        /// Start of each layer's output in `activations`.
        var offsets: [Int] = []
        /// Shape of the network that filled the cache.
        var layerCount = 0
        var inputSize = 0
        var widths: [Int] = []

        /// An empty cache.
        public init() {}

        /// Sizes the storage for `network` and `input`, reallocating only on change.
        mutating func prepare(for network: MLP, input: Matrix) {
            self.input = input
            let widths = network.layers.map(\.outputSize)
            if batchSize != input.rows || self.widths != widths {
                batchSize = input.rows
                self.widths = widths
                offsets = []
                var total = 0
                for width in widths {
                    offsets.append(total)
                    total += input.rows * width
                }
                activations = [Float](repeating: 0, count: total)
            }
            layerCount = network.layers.count
            inputSize = network.inputSize
        }
    }
}

extension MLP.Cache {
    /// The output of layer `layer` (after its activation) in the last recorded
    /// forward pass, one row per sample; `layerCount - 2` is the last hidden layer.
    public func output(ofLayer layer: Int) -> Matrix {
        precondition(layer >= 0 && layer < layerCount, "MLP.Cache.output: no layer \(layer)")
        let start = offsets[layer]
        let width = widths[layer]
        return Matrix(rows: batchSize, columns: width, values: Array(activations[start..<(start + batchSize * width)]))
    }
}
