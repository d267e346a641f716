/// Per-minibatch min–max normalisation of predicted segment returns,
/// R̃ = (R̂ − min R̂) / (max R̂ − min R̂ + ε), with its backward pass.
///
/// Gradients flow through the minimum and the maximum. When several entries
/// tie for the minimum (or maximum), its gradient is split equally among them
/// (a valid subgradient, as PyTorch's full `min()`/`max()` reductions do).
public struct MinMaxNormalization: Sendable, Equatable {
    /// The normalised values R̃, in [0, 1).
    public let values: [Double]
    /// min R̂ over the batch.
    public let minimum: Double
    /// max R̂ over the batch.
    public let maximum: Double
    /// The ε added to the range.
    public let epsilon: Double
    /// Indices attaining the minimum / maximum.
    let minimumIndices: [Int]
    let maximumIndices: [Int]

    /// Normalises `returns`. - Precondition: `returns` is not empty and `epsilon > 0`.
    public init(_ returns: [Double], epsilon: Double) {
        precondition(!returns.isEmpty, "MinMaxNormalization: empty batch")
        precondition(epsilon > 0, "MinMaxNormalization: ε must be positive")
        var low = returns[0], high = returns[0]
        for r in returns {
            if r < low { low = r }
            if r > high { high = r }
        }
        minimum = low
        maximum = high
        self.epsilon = epsilon
        let scale = high - low + epsilon
        values = returns.map { ($0 - low) / scale }
        minimumIndices = returns.indices.filter { returns[$0] == low }
        maximumIndices = returns.indices.filter { returns[$0] == high }
    }

    /// The denominator max − min + ε.
    public var scale: Double { maximum - minimum + epsilon }

    /// Turns dL/dR̃ into dL/dR̂ (same length as the batch).
    public func backward(_ gradient: [Double]) -> [Double] {
        precondition(gradient.count == values.count, "MinMaxNormalization.backward: size mismatch")
        let d = scale
        var result = gradient.map { $0 / d }
        // ∂R̃_j/∂min = (R̃_j − 1)/D and ∂R̃_j/∂max = −R̃_j/D.
        var throughMinimum = 0.0, throughMaximum = 0.0
        for j in gradient.indices {
            throughMinimum += gradient[j] * (values[j] - 1) / d
            throughMaximum -= gradient[j] * values[j] / d
        }
        let minimumShare = throughMinimum / Double(minimumIndices.count)
        for i in minimumIndices { result[i] += minimumShare }
        let maximumShare = throughMaximum / Double(maximumIndices.count)
        for i in maximumIndices { result[i] += maximumShare }
        return result
    }
}
