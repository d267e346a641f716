import Foundation
import Ratings

/// RbRL's classification loss on a minibatch of predicted segment returns.
///
/// R̂ is min–max normalised to R̃ (`MinMaxNormalization`, with `epsilon`);
/// the boundaries R̄ come from the minibatch's labels (`RatingBoundaries`);
/// class i gets the logit −k·(R̃ − R̄_i)·(R̃ − R̄_{i+1}) (positive inside its
/// interval, zero on its ends, negative outside); Q = softmax of the logits;
/// L_cls = mean over the batch of −log Q(y).
///
/// The predicted class is the argmax of Q. On an exact tie (a segment on a
/// boundary, including the minibatch's lowest and highest segments, which sit
/// on R̄_0 or on absent classes' zero-width intervals) it is the lowest tied
/// class that occurs in the minibatch, or the lowest tied class if none does.
/// So the segment at sorted position C_i, which defines R̄_{i+1}, counts as class i.
public struct ClassificationTerm: Sendable, Equatable, Codable {
    /// k, the steepness of the class logits (RbRL: 30).
    public var steepness: Double
    /// ε added to the normalisation's range, so a constant batch gives R̃ = 0
    /// instead of NaN. The default 1e-6 is below the resolution of a return
    /// summed from 50 Float per-step rewards (~3e-6), and changes R̃ by a
    /// relative ε/(max − min) otherwise.
    public var epsilon: Double

    /// The term with the given constants (defaults k = 30, ε = 1e-6).
    public init(steepness: Double = 30, epsilon: Double = 1e-6) {
        self.steepness = steepness
        self.epsilon = epsilon
    }

    /// The class logits of one normalised return.
    public func logits(normalizedReturn x: Double, boundaries: RatingBoundaries) -> [Double] {
        let b = boundaries.values
        return (0..<boundaries.classCount).map { -steepness * (x - b[$0]) * (x - b[$0 + 1]) }
    }

    /// Softmax of `logits` (shifted by their maximum for stability).
    public static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let exps = logits.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// Loss, accuracy and dL_cls/dR̂ for a minibatch.
    ///
    /// - Parameter boundaries: use these instead of the batch's own
    ///   proportion-matched boundaries (for checking gradients with the
    ///   boundaries held fixed, as they are constants of the loss).
    /// - Precondition: labels are in 0…n−1 (validated by the caller) and there
    ///   is one per return.
    public func evaluate(returns: [Double], labels: [Int], classCount: Int,
                         boundaries fixed: RatingBoundaries? = nil) -> ClassificationResult {
        precondition(returns.count == labels.count && !returns.isEmpty, "ClassificationTerm: bad batch")
        let normalization = MinMaxNormalization(returns, epsilon: epsilon)
        let r = normalization.values
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        let boundaries: RatingBoundaries
        if let fixed {
            precondition(fixed.classCount == classCount, "ClassificationTerm: boundaries for another class count")
            boundaries = fixed
        } else {
            boundaries = RatingBoundaries(sortedReturns: r.sorted(), classCounts: counts)
        }
        let b = boundaries.values
        let batch = Double(returns.count)
        var probabilities = [Double](repeating: 0, count: returns.count * classCount)
        var predictions = [Int](repeating: 0, count: returns.count)
        var normalizedGradient = [Double](repeating: 0, count: returns.count)
        var loss = 0.0
        var correct = 0
        for j in returns.indices {
            let z = logits(normalizedReturn: r[j], boundaries: boundaries)
            let top = z.max()!
            var total = 0.0
            for i in 0..<classCount { total += exp(z[i] - top) }
            let logTotal = log(total) + top
            loss += logTotal - z[labels[j]]
            var predicted = -1
            for i in 0..<classCount where z[i] == top {
                if predicted < 0 { predicted = i }
                if counts[i] > 0 { predicted = i; break }
            }
            predictions[j] = predicted
            if predicted == labels[j] { correct += 1 }
            var g = 0.0
            for i in 0..<classCount {
                let q = exp(z[i] - logTotal)
                probabilities[j * classCount + i] = q
                let dLogit = (q - (i == labels[j] ? 1 : 0)) / batch
                g += dLogit * -steepness * (2 * r[j] - b[i] - b[i + 1])
            }
            normalizedGradient[j] = g
        }
        return ClassificationResult(
            loss: loss / batch, gradient: normalization.backward(normalizedGradient),
            normalizedReturns: r, boundaries: boundaries, classCount: classCount,
            probabilities: probabilities, predictions: predictions, correctCount: correct)
    }
}

/// The classification term evaluated on one minibatch.
public struct ClassificationResult: Sendable {
    /// L_cls, the mean negative log-probability of the ratings.
    public let loss: Double
    /// dL_cls/dR̂ per segment (through the normalisation; boundaries held constant).
    public let gradient: [Double]
    /// R̃ per segment.
    public let normalizedReturns: [Double]
    /// The boundaries used.
    public let boundaries: RatingBoundaries
    /// Number of classes n.
    public let classCount: Int
    /// Q, row-major: `probabilities[j * classCount + i]` = Q_j(i).
    public let probabilities: [Double]
    /// argmax_i Q_j(i) per segment (ties as described on `ClassificationTerm`).
    public let predictions: [Int]
    /// Number of segments whose prediction equals the rating.
    public let correctCount: Int

    /// Q_j as an array of n probabilities.
    public func probabilities(ofSegment j: Int) -> [Double] {
        Array(probabilities[(j * classCount)..<((j + 1) * classCount)])
    }

    /// Fraction of the batch predicted correctly.
    public var accuracy: Double { Double(correctCount) / Double(predictions.count) }
}
