import Ratings

/// The n+1 class boundaries R̄_0 ≤ R̄_1 ≤ … ≤ R̄_n on the normalised-return
/// axis, matched to the proportion of each class in a minibatch (RbRL).
///
/// With N_i segments rated i and C_i = N_0 + … + N_i, and the normalised
/// returns sorted as s_(1) ≤ … ≤ s_(B): R̄_0 = 0 and R̄_{i+1} = s_(C_i), so
/// R̄_n = s_(B) = max R̃ (which is 1 up to the normalisation's ε).
/// Class i's interval is [R̄_i, R̄_{i+1}].
///
/// - Absent classes get zero-width intervals: when C_i = 0 (class i and all
///   below it are absent) R̄_{i+1} = R̄_i = 0, and an absent middle class has
///   C_i = C_{i−1}, so R̄_{i+1} = R̄_i by construction. (RbRL's code reads index
///   −1 there, i.e. the maximum, which breaks monotonicity.)
/// - Ties among returns do not matter: the boundaries are order statistics,
///   the same whichever way equal values are ordered. A segment lying exactly
///   on a boundary scores equally for the classes meeting there; see
///   `ClassificationTerm` for how its predicted class is then chosen.
/// - The boundaries are constants for the loss: no gradient flows through them.
public struct RatingBoundaries: Sendable, Equatable {
    /// R̄_0 … R̄_n.
    public let values: [Double]
    /// N_i, the number of segments rated i in the minibatch.
    public let classCounts: [Int]

    /// The proportion-matched boundaries for a minibatch's normalised returns
    /// and ratings. Throws `RatingError` if the class count is outside 2…6, a
    /// label is outside 0…n−1, or the two lists differ in length or are empty.
    public init(normalizedReturns: [Double], labels: [Int], classCount: Int) throws {
        try RatingScale.validate(classCount: classCount)
        guard !labels.isEmpty, normalizedReturns.count == labels.count else {
            throw RewardLearningError.invalidSetting(
                name: "minibatch", value: "\(normalizedReturns.count) returns and \(labels.count) labels",
                allowed: "a non-empty batch with one label per return")
        }
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels {
            guard label >= 0, label < classCount else {
                throw RatingError.ratingOutOfRange(rating: label, classCount: classCount)
            }
            counts[label] += 1
        }
        self.init(sortedReturns: normalizedReturns.sorted(), classCounts: counts)
    }

    /// Boundaries from already-sorted normalised returns and per-class counts
    /// (the counts sum to the number of returns).
    init(sortedReturns: [Double], classCounts: [Int]) {
        var values = [0.0]
        var cumulative = 0
        for count in classCounts {
            cumulative += count
            values.append(cumulative == 0 ? values[values.count - 1] : sortedReturns[cumulative - 1])
        }
        self.values = values
        self.classCounts = classCounts
    }

    /// Explicit boundaries (e.g. held fixed for a finite-difference check).
    /// - Precondition: at least 3 values, non-decreasing; `classCounts` has one entry per class.
    public init(values: [Double], classCounts: [Int]) {
        precondition(values.count >= 3 && classCounts.count == values.count - 1,
                     "RatingBoundaries: need n+1 values and n counts")
        precondition(zip(values, values.dropFirst()).allSatisfy { $0 <= $1 }, "RatingBoundaries must be non-decreasing")
        self.values = values
        self.classCounts = classCounts
    }

    /// Number of classes n.
    public var classCount: Int { values.count - 1 }

    /// [R̄_i, R̄_{i+1}], class i's interval.
    public func interval(ofClass i: Int) -> ClosedRange<Double> { values[i]...values[i + 1] }
}
