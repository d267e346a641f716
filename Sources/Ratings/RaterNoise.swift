/// How a synthetic rater departs from the noiseless bin rule. Every model is
/// off by default; they compose in the order skip → myopic score → Boltzmann
/// class choice → flat mistake.
public struct RaterNoise: Sendable, Equatable, Codable {
    /// Boltzmann rationality β ≥ 0: the rating is drawn with
    /// P(c) ∝ exp(−β·|c − c*|) over the classes c, where c* is the class of the
    /// (possibly myopic) score. `nil` (default) is noiseless (the limit of
    /// β → ∞; a configuration holds finite numbers only); β = 0 rates uniformly at random.
    public var boltzmannBeta: Double?
    /// Probability in [0, 1] of replacing the rating by a uniformly random *other* class.
    public var mistakeRate: Double
    /// Discount γ in (0, 1] of the myopic score Σ γ^(L−1−t)·r_t (later steps
    /// weigh more, as B-Pref's myopic teacher). 1 (default) scores the true return.
    /// The score is binned with the same edges as the true return.
    public var myopicGamma: Double
    /// Probability in [0, 1) that the rater declines to rate a segment.
    public var skipProbability: Double

    /// The given noise models; all defaults mean a noiseless rater.
    public init(boltzmannBeta: Double? = nil, mistakeRate: Double = 0, myopicGamma: Double = 1,
                skipProbability: Double = 0) {
        self.boltzmannBeta = boltzmannBeta
        self.mistakeRate = mistakeRate
        self.myopicGamma = myopicGamma
        self.skipProbability = skipProbability
    }

    /// No noise at all.
    public static let none = RaterNoise()

    /// Whether every model is off.
    public var isNoiseless: Bool {
        (boltzmannBeta == nil || boltzmannBeta == .infinity) && mistakeRate == 0
            && myopicGamma == 1 && skipProbability == 0
    }

    /// Throws `RatingError.invalidSetting` for a value out of its range.
    public func validate() throws {
        if let beta = boltzmannBeta, !(beta >= 0) || !beta.isFinite {
            throw RatingError.invalidSetting(name: "Boltzmann β", value: "\(beta)",
                                             allowed: "finite and ≥ 0; leave it out for a noiseless rater")
        }
        guard mistakeRate >= 0, mistakeRate <= 1 else {
            throw RatingError.invalidSetting(name: "mistake rate", value: "\(mistakeRate)", allowed: "in [0, 1]")
        }
        guard myopicGamma > 0, myopicGamma <= 1 else {
            throw RatingError.invalidSetting(name: "myopic γ", value: "\(myopicGamma)", allowed: "in (0, 1]")
        }
        guard skipProbability >= 0, skipProbability < 1 else {
            throw RatingError.invalidSetting(name: "skip probability", value: "\(skipProbability)", allowed: "in [0, 1)")
        }
    }
}
