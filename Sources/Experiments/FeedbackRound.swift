import Foundation
import NeuralNet
import PPO
import Ratings
import Randomness
import RewardLearning

/// One feedback round: choose segments of stored episodes, have the rater
/// rate them, add them to the label buffer, and retrain the reward model.
/// Each round also adds uniformly drawn segments to a held-out set that is
/// never trained on; learned-vs-true correlations are measured over all of it,
/// so they reflect every stage of training, not only the latest episodes.
public struct FeedbackRound {
    public let config: FeedbackConfig
    public let rater: SyntheticRater

    public init(config: FeedbackConfig) throws {
        self.config = config
        rater = try config.rater()
    }

    /// The segment features for the reward model, with the agent's current
    /// observation normaliser.
    static func features(normalizer: RunningNormalizer) -> (Segment) throws -> [Float] {
        { segment in
            RewardFeatures.concatenated(segment) { observation in
                var row = [Float]()
                normalizer.normalize(observation, into: &row)
                return row
            }
        }
    }

    /// The first half of round `index`: chooses `ratings` segments, has the
    /// rater rate them into `labels`, and draws this round's held-out segments.
    /// Returns the rated segments (skipped ones are absent).
    /// - Parameter people: rate the chosen segments instead of the synthetic rater, when given.
    public func rate(index: Int, ratings: Int, store: EpisodeStore, labels: inout LabelBuffer, heldOut: inout [Segment],
                     ensemble: RewardEnsemble, normalizer: RunningNormalizer,
                     random: inout SeededRandom,
                     people: ((_ segments: [Segment]) throws -> [Int?])? = nil) throws -> [RatedSegment] {
        let features = Self.features(normalizer: normalizer)
        // The first round draws uniformly, as RbRL does: an untrained ensemble's disagreement is noise.
        let selection = index == 0 ? QuerySelection.uniform : config.querySelection
        let queries = try selection.select(count: ratings, from: store, random: &random) { candidates in
            try ensemble.returnStandardDeviations(of: candidates, features: features)
        }
        var rated: [RatedSegment] = []
        let given: [Int?]
        if let people { given = try people(queries) } else { given = queries.map { rater.rate($0, random: &random) } }
        for (segment, rating) in zip(queries, given) {
            if let rating {
                try labels.append(segment, rating: rating)
                rated.append(RatedSegment(segment: segment, rating: rating))
            }
        }
        try drawHeldOut(from: store, into: &heldOut, random: &random)
        return rated
    }

    /// The first half of a round that learns from stored ratings: `stored`
    /// (all of them in the first round, none later) go into `labels`, and the
    /// round's held-out segments are drawn as in `rate`.
    public func useStored(_ stored: [RatedSegment], store: EpisodeStore, labels: inout LabelBuffer, heldOut: inout [Segment],
                          random: inout SeededRandom) throws -> [RatedSegment] {
        try labels.append(contentsOf: stored)
        try drawHeldOut(from: store, into: &heldOut, random: &random)
        return stored
    }

    /// Adds the round's held-out segments (for the reports' correlations) from the episodes so far.
    private func drawHeldOut(from store: EpisodeStore, into heldOut: inout [Segment], random: inout SeededRandom) throws {
        if config.heldOutPerRound > 0 {
            heldOut += try store.sampleSegments(count: config.heldOutPerRound, random: &random)
        }
    }

    /// The second half of round `index`: retrains the reward model on every
    /// rating so far and reports it; `afterEpoch` as in `RewardEnsemble.train`.
    public func train(index: Int, labels: LabelBuffer, heldOut: [Segment], ensemble: RewardEnsemble,
                      normalizer: RunningNormalizer, random: inout SeededRandom,
                      afterEpoch: (_ epochs: Int, _ accuracy: Double) throws -> Void = { _, _ in }) throws -> TrainingReport {
        try ensemble.train(on: labels, features: Self.features(normalizer: normalizer), heldOut: heldOut, round: index,
                           settings: config.training, random: &random, afterEpoch: afterEpoch)
    }
}
