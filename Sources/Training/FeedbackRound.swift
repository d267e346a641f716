import Foundation
import NeuralNet
import PPO
import Randomness
import Ratings
import RewardLearning
import RunConfiguration

/// One feedback round: choose segments of stored episodes, have the rater
/// rate them (or take its own rated segments), add them to the label buffer,
/// and retrain the reward model. Each round also adds uniformly drawn
/// segments to a held-out set that is never trained on; learned-vs-true
/// correlations are measured over all of it, so they reflect every stage of
/// training, not only the latest episodes.
public struct FeedbackRound {
    public let config: FeedbackConfig

    public init(config: FeedbackConfig) {
        self.config = config
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

    /// The first half of round `index`: asks `rater` for the round's rated
    /// segments, adds them to `labels`, and draws this round's held-out
    /// segments. A rater that rates what it is shown gets `ratings` segments
    /// chosen by the config's query selection (uniform in the first round);
    /// one with its own rated segments (stored ratings) gets none chosen.
    /// Returns the rated segments (skipped ones are absent).
    /// - Parameter shouldStop: passed to a rater that waits (people), which
    ///   then throws `RatingStopped`.
    public func rate(index: Int, ratings: Int, store: EpisodeStore, labels: inout LabelBuffer, heldOut: inout [Segment],
                     ensemble: RewardEnsemble, normalizer: RunningNormalizer, rater: any Rater,
                     random: inout SeededRandom, shouldStop: () -> Bool) throws -> [RatedSegment] {
        let features = Self.features(normalizer: normalizer)
        // The first round draws uniformly, as RbRL does: an untrained ensemble's disagreement is noise.
        let selection = index == 0 ? QuerySelection.uniform : config.querySelection
        let rated = try rater.ratings(round: index, choosing: { random in
            try selection.select(count: ratings, from: store, random: &random) { candidates in
                try ensemble.returnStandardDeviations(of: candidates, features: features)
            }
        }, random: &random, shouldStop: shouldStop)
        try labels.append(contentsOf: rated)
        try drawHeldOut(from: store, into: &heldOut, random: &random)
        return rated
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
