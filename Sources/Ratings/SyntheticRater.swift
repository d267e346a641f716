import Foundation
import Randomness

/// A stand-in for a human rater: rates a segment by binning its return.
///
/// [0, maxReturn] is cut into `classCount` equal-width bins, or, with
/// `innerEdges`, the return axis is cut at those n−1 ascending boundaries
/// (bins of unequal width, e.g. a task's `TaskRatingScale`); the rating is the
/// bin index of the segment's score, clamped to 0…classCount−1. Bins are
/// half-open, [edge_i, edge_{i+1}): a score exactly on an inner edge gets the
/// upper class. Scores below the first inner edge get class 0, scores at or
/// above the last one (`maxReturn` for equal bins) the top class. Noise models
/// (`RaterNoise`) are off unless set.
public struct SyntheticRater: Sendable, Equatable, Codable {
    /// Number of rating classes n, 2…6.
    public let classCount: Int
    /// G_max: the return at the top of the highest bin.
    public let maxReturn: Double
    /// The noise models applied on top of the bin rule.
    public let noise: RaterNoise
    /// The n−1 class boundaries on the return axis, ascending, when the bins
    /// are not the equal bins of [0, maxReturn]; nil for equal bins.
    public let innerEdges: [Double]?

    /// A rater; throws `RatingError` if `classCount` is outside 2…6, `maxReturn`
    /// is not positive and finite, `innerEdges` are not n−1 finite, positive,
    /// strictly ascending numbers, or a noise setting is out of range.
    public init(classCount: Int, maxReturn: Double, innerEdges: [Double]? = nil, noise: RaterNoise = .none) throws {
        try RatingScale.validate(classCount: classCount)
        guard maxReturn > 0, maxReturn.isFinite else {
            throw RatingError.invalidSetting(name: "maximum return", value: "\(maxReturn)", allowed: "positive and finite")
        }
        if let edges = innerEdges {
            guard edges.count == classCount - 1, edges.allSatisfy({ $0 > 0 && $0.isFinite }),
                  zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw RatingError.invalidSetting(name: "rating edges", value: "\(edges)",
                                                 allowed: "\(classCount - 1) positive, finite, strictly ascending returns for \(classCount) classes")
            }
        }
        try noise.validate()
        self.classCount = classCount
        self.maxReturn = maxReturn
        self.innerEdges = innerEdges
        self.noise = noise
    }

    private enum CodingKeys: String, CodingKey { case classCount, maxReturn, innerEdges, noise }

    /// Decodes and validates a rater.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(classCount: container.decode(Int.self, forKey: .classCount),
                      maxReturn: container.decode(Double.self, forKey: .maxReturn),
                      innerEdges: container.decodeIfPresent([Double].self, forKey: .innerEdges),
                      noise: container.decodeIfPresent(RaterNoise.self, forKey: .noise) ?? .none)
    }

    /// The n+1 bin edges: 0, G_max/n, 2·G_max/n, …, G_max for equal bins;
    /// 0, the inner edges, then the larger of G_max and the last inner edge otherwise.
    public var binEdges: [Double] {
        guard let innerEdges else { return (0...classCount).map { maxReturn * Double($0) / Double(classCount) } }
        return [0] + innerEdges + [max(maxReturn, innerEdges.last!)]
    }

    /// The score that is binned: the true return, or the myopic discounted return when set.
    public func score(_ segment: Segment) -> Double {
        noise.myopicGamma == 1 ? segment.trueReturn : segment.discountedReturn(gamma: noise.myopicGamma)
    }

    /// The noiseless class of `score`: its bin, clamped to 0…n−1.
    /// - Precondition: `score` is not NaN.
    public func binClass(of score: Double) -> Int {
        precondition(!score.isNaN, "SyntheticRater: cannot rate a NaN return")
        if let innerEdges { return innerEdges.filter { $0 <= score }.count }
        let position = (score * Double(classCount) / maxReturn).rounded(.down)
        if position < 0 { return 0 }
        if position >= Double(classCount - 1) { return classCount - 1 }
        return Int(position)
    }

    /// P(rating = c) for c in 0…n−1 under the Boltzmann model around `centre`:
    /// softmax over c of −β·|c − centre|. One-hot at `centre` when β is nil or infinite.
    public func boltzmannProbabilities(around centre: Int) -> [Double] {
        guard let beta = noise.boltzmannBeta, beta.isFinite else {
            return (0..<classCount).map { $0 == centre ? 1 : 0 }
        }
        let weights = (0..<classCount).map { exp(-beta * Double(abs($0 - centre))) }
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }

    /// The rating of `segment`, or nil when the rater skips it. Draws from
    /// `random` only for the noise models that are on.
    public func rate(_ segment: Segment, random: inout SeededRandom) -> Int? {
        if noise.skipProbability > 0, random.unitInterval() < noise.skipProbability {
            return nil
        }
        var rating = binClass(of: score(segment))
        if let beta = noise.boltzmannBeta, beta.isFinite {
            rating = sample(boltzmannProbabilities(around: rating), random: &random)
        }
        if noise.mistakeRate > 0, random.unitInterval() < noise.mistakeRate {
            let other = RandomDraws.index(below: classCount - 1, random: &random)
            rating = other < rating ? other : other + 1
        }
        return rating
    }

    /// An index drawn with the given probabilities (which sum to 1).
    private func sample(_ probabilities: [Double], random: inout SeededRandom) -> Int {
        let u = random.unitInterval()
        var cumulative = 0.0
        for (index, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { return index }
        }
        return probabilities.lastIndex(where: { $0 > 0 }) ?? probabilities.count - 1
    }
}
