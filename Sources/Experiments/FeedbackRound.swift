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
        rater = try SyntheticRater(classCount: config.classes, maxReturn: config.maxReturn, noise: config.noise)
    }

    /// Runs round `index`, asking for `ratings` ratings. Features use the
    /// agent's current observation normaliser.
    public func run(index: Int, ratings: Int, store: EpisodeStore, labels: inout LabelBuffer, heldOut: inout [Segment],
                    ensemble: RewardEnsemble, normalizer: RunningNormalizer,
                    random: inout SeededRandom) throws -> (report: TrainingReport, rated: [RatedSegment]) {
        let features: (Segment) throws -> [Float] = { segment in
            RewardFeatures.concatenated(segment) { observation in
                var row = [Float]()
                normalizer.normalize(observation, into: &row)
                return row
            }
        }
        let queries = try config.querySelection.select(count: ratings, from: store, random: &random) { candidates in
            try ensemble.returnStandardDeviations(of: candidates, features: features)
        }
        var rated: [RatedSegment] = []
        for segment in queries {
            if let rating = rater.rate(segment, random: &random) {
                try labels.append(segment, rating: rating)
                rated.append(RatedSegment(segment: segment, rating: rating))
            }
        }
        if config.heldOutPerRound > 0 {
            heldOut += try store.sampleSegments(count: config.heldOutPerRound, random: &random)
        }
        let report = try ensemble.train(on: labels, features: features, heldOut: heldOut, round: index,
                                        settings: config.training, random: &random)
        return (report, rated)
    }
}
