import Randomness

/// How the segments shown to the rater are chosen.
public enum QuerySelection: Sendable, Equatable, Codable {
    /// Uniformly random windows of stored episodes.
    case uniform
    /// Draw `candidateFactor` × as many uniform windows, keep those on which the
    /// reward-model ensemble disagrees most (highest std of predicted return).
    case disagreement(candidateFactor: Int = 10)

    /// A selection by name, as config files and `--query` give it.
    public enum Kind: String, Sendable, CaseIterable {
        case uniform, disagreement

        /// The selection with its default settings.
        public var selection: QuerySelection {
            switch self {
            case .uniform: .uniform
            case .disagreement: .disagreement()
            }
        }
    }

    /// How many uniform candidates are drawn to choose `count` queries.
    public func candidateCount(for count: Int) -> Int {
        switch self {
        case .uniform: return count
        case .disagreement(let factor): return count * max(1, factor)
        }
    }

    /// Throws `RatingError.invalidSetting` for a candidate factor below 1.
    public func validate() throws {
        if case .disagreement(let factor) = self, factor < 1 {
            throw RatingError.invalidSetting(name: "disagreement candidate factor", value: "\(factor)", allowed: "at least 1")
        }
    }

    /// The `count` segments to rate next, drawn from `store`.
    ///
    /// - Parameter disagreement: for `.disagreement`, maps candidate segments to one
    ///   score each (the std of predicted return across ensemble members); not
    ///   called for `.uniform`.
    public func select(
        count: Int,
        from store: EpisodeStore,
        random: inout SeededRandom,
        disagreement: ([Segment]) throws -> [Double]
    ) throws -> [Segment] {
        try validate()
        let candidates = try store.sampleSegments(count: candidateCount(for: count), random: &random)
        switch self {
        case .uniform:
            return candidates
        case .disagreement:
            return try Self.mostUncertain(candidates, count: count, scores: disagreement(candidates))
        }
    }

    /// The `count` candidates with the highest scores, highest first; equal
    /// scores keep candidate order. Throws if there is not one score per candidate.
    public static func mostUncertain(_ candidates: [Segment], count: Int, scores: [Double]) throws -> [Segment] {
        guard scores.count == candidates.count else {
            throw RatingError.scoreCountMismatch(scores: scores.count, candidates: candidates.count)
        }
        // NaN scores sort last.
        let order = candidates.indices.sorted { a, b in
            let x = scores[a].isNaN ? -Double.infinity : scores[a]
            let y = scores[b].isNaN ? -Double.infinity : scores[b]
            return x != y ? x > y : a < b
        }
        return order.prefix(max(0, count)).map { candidates[$0] }
    }
}
