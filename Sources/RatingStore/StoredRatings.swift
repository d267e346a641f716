import Control
import Foundation
import Ratings

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
                try environment.restore(state: stored.startState)
                var observations: [[Double]] = [], states: [[Double]] = [], rewards: [Double] = []
                for action in stored.actions {
                    observations.append(environment.observe().values)
                    states.append(environment.physics.data.state)
                    rewards.append(try environment.step(action).reward)
                }
                replayed[rating.segment] = Segment(episodeID: stored.episode, startStep: stored.startStep, observations: observations,
                                                   actions: stored.actions, rewards: rewards, states: states)
            }
            return RatedSegment(segment: replayed[rating.segment]!, rating: rating.rating)
        }
    }
}
