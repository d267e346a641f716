import Control
import Foundation
import Ratings
import SegmentReplay

extension RatingDatabase {
    /// Every stored rating as a labelled segment for the reward model: each
    /// segment replayed from its start state in `environment` (observations,
    /// true rewards), in rating order; a segment rated by several raters
    /// appears once per rating.
    /// - Throws: `RatingStoreError` for a database of another task or without ratings.
    public func ratedSegments(in environment: ControlEnvironment) throws -> [RatedSegment] {
        guard environment.name == task else {
            throw RatingStoreError("\(path) holds ratings of \(task), the run trains \(environment.name)")
        }
        let ratings = try ratings()
        guard !ratings.isEmpty else { throw RatingStoreError("\(path) holds no ratings yet; rate with `ratingrl rate --db \(path)`") }
        var replayed: [Int64: Segment] = [:]
        return try ratings.map { rating in
            if replayed[rating.segment] == nil {
                guard let stored = try segment(rating.segment) else { throw RatingStoreError("rating \(rating.id) names no segment") }
                replayed[rating.segment] = try environment.replayedSegment(episode: stored.episode, startStep: stored.startStep,
                                                                           state: stored.startState, actions: stored.actions)
            }
            return RatedSegment(segment: replayed[rating.segment]!, rating: rating.rating)
        }
    }
}
