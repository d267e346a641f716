import Randomness

/// How an `MLP`'s weights and biases are first drawn.
public enum Initialization: Hashable, Sendable {
    /// Stable-Baselines3 style: each weight matrix is a random (semi-)orthogonal
    /// matrix times a gain — `hiddenGain` for hidden layers (SB3 uses √2) and
    /// `outputGain` for the last layer (SB3: 0.01 for a policy head, 1 for a value
    /// head). Biases are 0. Matches `torch.nn.init.orthogonal_` in distribution.
    case orthogonal(hiddenGain: Float = Float(2).squareRoot(), outputGain: Float)
    /// PyTorch's `nn.Linear` default: weights and biases uniform in
    /// (−1/√fanIn, 1/√fanIn).
    case uniformFanIn
}

/// A `rows × columns` row-major matrix whose shorter dimension's vectors are
/// orthonormal, times `gain`: WᵀW = gain²·I when rows ≥ columns, else WWᵀ = gain²·I.
///
/// It is the Q of the QR decomposition of a standard Gaussian matrix, with the
/// signs fixed so R has a positive diagonal (as `torch.nn.init.orthogonal_` does),
/// which makes it Haar-distributed.
func orthogonalMatrix(rows: Int, columns: Int, gain: Float, random: inout SeededRandom) -> [Float] {
    let tall = max(rows, columns)
    let short = min(rows, columns)
    // `basis[j]` is column j of the tall × short Gaussian matrix, in Double.
    var basis = [[Double]]()
    basis.reserveCapacity(short)
    for _ in 0..<short {
        basis.append((0..<tall).map { _ in random.normal() })
    }
    // Gram–Schmidt yields the Q whose R has a positive diagonal, i.e. the
    // sign-corrected Q. Two passes keep Q orthogonal to Double precision.
    for j in 0..<short {
        var v = basis[j]
        for _ in 0..<2 {
            for i in 0..<j {
                let q = basis[i]
                var dot = 0.0
                for t in 0..<tall { dot += q[t] * v[t] }
                for t in 0..<tall { v[t] -= dot * q[t] }
            }
        }
        var norm = 0.0
        for t in 0..<tall { norm += v[t] * v[t] }
        norm = norm.squareRoot()
        precondition(norm > 0, "orthogonal initialisation: degenerate Gaussian sample")
        for t in 0..<tall { v[t] /= norm }
        basis[j] = v
    }
    var result = [Float](repeating: 0, count: rows * columns)
    let g = Double(gain)
    for r in 0..<rows {
        for c in 0..<columns {
            // Tall: W = Q (columns orthonormal). Wide: W = Qᵀ (rows orthonormal).
            let q = rows >= columns ? basis[c][r] : basis[r][c]
            result[r * columns + c] = Float(g * q)
        }
    }
    return result
}

/// `count` values uniform in (−bound, bound).
func uniformValues(count: Int, bound: Float, random: inout SeededRandom) -> [Float] {
    let b = Double(bound)
    return (0..<count).map { _ in Float(random.uniform(-b, b)) }
}
