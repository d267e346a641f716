import Experiments
import Foundation
import Ratings

/// People rating a run's rounds through a ratings database: each round's
/// segments are added to it (once: a resumed run finds them and their
/// ratings), then the run waits until every one has a rating. A segment's
/// first rating counts.
public final class DatabaseRaters: HumanRaters {
    public let database: RatingDatabase
    /// The run folder, which names the segments' source.
    public let run: String
    /// How often the database is read while waiting, in seconds.
    public var pollInterval = 0.5
    private let log: (String) -> Void

    /// - Parameter log: told, now and then, how many of a round's segments are rated.
    public init(database: RatingDatabase, run: String, log: @escaping (String) -> Void) {
        self.database = database
        self.run = URL(fileURLWithPath: run).standardizedFileURL.path
        self.log = log
    }

    public func ratings(for segments: [Segment], round: Int, shouldStop: () -> Bool, stopped: () -> Error) throws -> [Int?] {
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
            let classes = ids.map { first[$0] }
            let rated = classes.compactMap { $0 }.count
            if rated == ids.count { return classes }
            if rated != lastCount || Date().timeIntervalSince(lastReport) >= 60 {
                log("feedback round \(round): \(rated) of \(ids.count) segments rated in \(database.path); rate them with `ratingrl rate --db \(database.path)`")
                (lastReport, lastCount) = (Date(), rated)
            }
            if shouldStop() { throw stopped() }
            Thread.sleep(forTimeInterval: pollInterval)
        }
    }
}
