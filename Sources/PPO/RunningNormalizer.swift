import NeuralNet

/// Running mean and variance of observations, used to normalise them as
/// Stable-Baselines3's `VecNormalize` does: statistics start at mean 0,
/// variance 1 with a pseudo-count of 1e-4, are updated with every batch of
/// new observations while training, and normalised values are clipped.
public struct RunningNormalizer: Sendable, Equatable {
    public private(set) var mean: [Double]
    public private(set) var variance: [Double]
    public private(set) var count: Double
    /// Normalised values are clipped to ±`clip`.
    public let clip: Double
    /// Added to the variance before the square root.
    public let epsilon: Double

    public init(size: Int, clip: Double = 10, epsilon: Double = 1e-8) {
        mean = [Double](repeating: 0, count: size)
        variance = [Double](repeating: 1, count: size)
        count = 1e-4
        self.clip = clip
        self.epsilon = epsilon
    }

    public var size: Int { mean.count }

    /// Folds a batch of observations (one per row) into the statistics
    /// (parallel mean/variance update, as `RunningMeanStd.update`).
    public mutating func update(_ batch: [[Double]]) {
        guard !batch.isEmpty else { return }
        let n = Double(batch.count)
        for j in 0..<size {
            var batchMean = 0.0
            for row in batch { batchMean += row[j] }
            batchMean /= n
            var batchVariance = 0.0
            for row in batch { batchVariance += (row[j] - batchMean) * (row[j] - batchMean) }
            batchVariance /= n
            let delta = batchMean - mean[j]
            let total = count + n
            let newMean = mean[j] + delta * n / total
            let m2 = variance[j] * count + batchVariance * n + delta * delta * count * n / total
            mean[j] = newMean
            variance[j] = m2 / total
        }
        count += n
    }

    /// One observation normalised and clipped, as `Float`, appended to `output`.
    public func normalize(_ observation: [Double], into output: inout [Float]) {
        for j in 0..<size {
            let z = (observation[j] - mean[j]) / (variance[j] + epsilon).squareRoot()
            output.append(Float(min(max(z, -clip), clip)))
        }
    }

    /// A batch normalised into a matrix, one row per observation.
    public func normalize(_ batch: [[Double]]) -> Matrix {
        var values = [Float]()
        values.reserveCapacity(batch.count * size)
        for row in batch { normalize(row, into: &values) }
        return Matrix(rows: batch.count, columns: size, values: values)
    }

    /// The statistics as named tensors for a checkpoint (in Float32: a reloaded
    /// normaliser agrees with the saved one to about 1e-7 relative).
    public func tensors(prefix: String) -> [WeightFile.Tensor] {
        [(name: prefix + ".mean", shape: [size], values: mean.map(Float.init)),
         (name: prefix + ".variance", shape: [size], values: variance.map(Float.init)),
         (name: prefix + ".count", shape: [1], values: [Float(count)])]
    }

    /// Restores statistics saved by `tensors(prefix:)`.
    public mutating func load(tensors: [WeightFile.Tensor], prefix: String) throws {
        let m = try WeightFile.tensor(named: prefix + ".mean", in: tensors, expectedShape: [size])
        let v = try WeightFile.tensor(named: prefix + ".variance", in: tensors, expectedShape: [size])
        let c = try WeightFile.tensor(named: prefix + ".count", in: tensors, expectedShape: [1])
        mean = m.values.map(Double.init)
        variance = v.values.map(Double.init)
        count = Double(c.values[0])
    }

    /// Restores statistics exactly (as `mean`, `variance` and `count` read them),
    /// for resuming a run. Throws unless the sizes match and the values are finite.
    public mutating func restore(mean: [Double], variance: [Double], count: Double) throws {
        guard mean.count == size, variance.count == size else {
            throw WeightFileError.shapeMismatch(name: "normalizer", found: [mean.count, variance.count], expected: [size, size])
        }
        guard count.isFinite, count > 0, (mean + variance).allSatisfy(\.isFinite) else {
            throw WeightFileError.invalidTensor(name: "normalizer", detail: "statistics are not finite")
        }
        self.mean = mean
        self.variance = variance
        self.count = count
    }
}
