import Foundation
import Randomness
import Ratings

/// People rating a run's rounds through a ratings database: each round's
/// segments are added to it (once: a resumed run finds them and their
/// ratings), then the run waits until every one has a rating. A segment's
/// first rating counts.
public final class DatabaseRaters: Rater {
    public let database: RatingDatabase
    /// The run folder, which names the segments' source.
    public let run: String
    /// How often the database is read while waiting, in seconds.
    public var pollInterval = 0.5
    private let log: (String) -> Void

    /// - Parameter log: told, now and then, how many of a round's segments are rated.
    public init(database: RatingDatabase, run: String, log: @escaping (String) -> Void) {
        self.database = database
        self.run = SegmentImport.sourceName(run)
        self.log = log
    }

    /// Offers round `round`'s chosen segments and returns them with their first
    /// ratings once every one is rated, in the order they were chosen. Asks
    /// `shouldStop` between reads of the database and throws `RatingStopped`
    /// when it says so (the segments stay in the database for a resumed run).
    public func ratings(round: Int, choosing choose: (inout SeededRandom) throws -> [Segment], random: inout SeededRandom,
                        shouldStop: () -> Bool) throws -> [RatedSegment] {
        let segments = try choose(&random)
        let classes = try waitForRatings(of: segments, round: round, shouldStop: shouldStop)
        return zip(segments, classes).map { RatedSegment(segment: $0, rating: $1) }
    }

    /// The first rating of each of `segments`, once all have one.
    private func waitForRatings(of segments: [Segment], round: Int, shouldStop: () -> Bool) throws -> [Int] {
        let source = run + "#round-\(round)"
        let stored = try segments.enumerated().map { index, segment in
            guard let state = segment.states?.first else {
                throw RatingStoreError("segment \(index) of round \(round) has no start state, so people cannot be shown it")
            }
            return StoredSegment(id: 0, task: database.task, source: source, sourceIndex: index, episode: segment.episodeID,
                                 startStep: segment.startStep, startState: state, actions: segment.actions,
                                 trueReturn: segment.trueReturn)
        }
        try database.addSegments(stored)
        let ids = try database.segments().filter { $0.source == source }.sorted { $0.sourceIndex < $1.sourceIndex }.map(\.id)
        var lastReport = Date.distantPast, lastCount = -1
        while true {
            var first: [Int64: Int] = [:]
            for rating in try database.ratings() where first[rating.segment] == nil { first[rating.segment] = rating.rating }
            let classes = ids.compactMap { first[$0] }
            if classes.count == ids.count { return classes }
            let rated = classes.count
            if rated != lastCount || Date().timeIntervalSince(lastReport) >= 60 {
                log("feedback round \(round): \(rated) of \(ids.count) segments rated in \(database.path); rate them with `ratingrl rate --db \(database.path)`")
                (lastReport, lastCount) = (Date(), rated)
            }
            if shouldStop() { throw RatingStopped() }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }
}
