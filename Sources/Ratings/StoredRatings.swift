import Randomness

/// Ratings given before the run (e.g. a ratings database's), as a rater: all
/// of them are the first round's labels, and later rounds add none but
/// retrain on them with the current observation normaliser. Nothing is
/// chosen for them, so they draw nothing from the round's random stream.
public struct StoredRatings: Rater, Sendable {
    /// The rated segments, in the order they were given.
    public let rated: [RatedSegment]

    public init(_ rated: [RatedSegment]) {
        self.rated = rated
    }

    public func ratings(round: Int, choosing choose: (inout SeededRandom) throws -> [Segment], random: inout SeededRandom,
                        shouldStop: () -> Bool) throws -> [RatedSegment] {
        round == 0 ? rated : []
    }
}
