import Randomness

/// Who gives a feedback round its ratings: the synthetic rater, ratings
/// stored before the run (a ratings database's), or people rating each
/// round's segments as the run goes. The feedback loop asks its rater for
/// every round's rated segments and learns from whatever comes back; it does
/// not know which kind of rater it has.
public protocol Rater {
    /// The rated segments of feedback round `round` (from 0), in the order
    /// they were chosen; a segment left unrated is absent.
    ///
    /// - Parameters:
    ///   - choose: chooses the round's segments to rate from the run's
    ///     episodes, drawing from the stream it is given. A rater that rates
    ///     what it is shown calls it once with `random`; one that brings its own
    ///     rated segments does not call it (and draws nothing).
    ///   - random: the round's random stream, for `choose` and a noisy rater's draws.
    ///   - shouldStop: asked now and then by a rater that waits (people); when
    ///     it returns true the rater gives up the round by throwing `RatingStopped`.
    func ratings(round: Int, choosing choose: (inout SeededRandom) throws -> [Segment], random: inout SeededRandom,
                 shouldStop: () -> Bool) throws -> [RatedSegment]
}

/// Thrown by a rater that stopped waiting for ratings because it was asked to
/// (`shouldStop`); the round is abandoned, not failed.
public struct RatingStopped: Error, Sendable {
    public init() {}
}

/// The synthetic rater rates the chosen segments one by one (`rate(_:random:)`),
/// drawing from the round's stream after the choice; skipped ones are absent.
extension SyntheticRater: Rater {
    public func ratings(round: Int, choosing choose: (inout SeededRandom) throws -> [Segment], random: inout SeededRandom,
                        shouldStop: () -> Bool) throws -> [RatedSegment] {
        try choose(&random).compactMap { segment in
            rate(segment, random: &random).map { RatedSegment(segment: segment, rating: $0) }
        }
    }
}
