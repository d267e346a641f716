import NeuralNet

/// One row shard of a member's minibatch: a network copy with its own caches
/// and gradients, the shard's segments, their returns and d loss / d return.
final class RowShard {
    let network: MLP
    /// Positions (in the member's epoch order) of this shard's segments.
    var positions: Range<Int> = 0..<0
    /// R̂ of this shard's segments, after `forward`.
    private(set) var returns: [Double] = []
    /// d loss / d R̂ of this shard's segments, set before `backward`.
    var returnGradient: [Double] = []
    private var segmentLength = 1
    private var usesFullBatchCache = true
    private var fullBatchCache = MLP.Cache()
    private var partialBatchCache = MLP.Cache()

    init(network: MLP) {
        self.network = network
    }

    func forward(segments: ArraySlice<Int>, inputs: SegmentInputs, isFullBatch: Bool) {
        segmentLength = inputs.segmentLength
        guard !segments.isEmpty else { returns = []; return }
        var x = Matrix(rows: segments.count * segmentLength, columns: inputs.inputSize)
        x.withUnsafeMutableValues { inputs.copyRows(of: segments, to: $0.baseAddress!) }
        // Two caches, so the shorter last minibatch of an epoch does not reallocate the full one's.
        usesFullBatchCache = isFullBatch
        let output = usesFullBatchCache
            ? network.forward(x, cache: &fullBatchCache) : network.forward(x, cache: &partialBatchCache)
        returns = segmentSums(output.values, length: segmentLength)
    }

    func backward() {
        network.zeroGradients()
        guard !returns.isEmpty else { return }
        var outputGradient = Matrix(rows: returns.count * segmentLength, columns: 1)
        let length = segmentLength
        outputGradient.withUnsafeMutableValues { g in
            for (j, d) in returnGradient.enumerated() {
                let value = Float(d)
                for t in 0..<length { g[j * length + t] = value }
            }
        }
        network.backward(outputGradient, cache: usesFullBatchCache ? fullBatchCache : partialBatchCache)
    }
}
