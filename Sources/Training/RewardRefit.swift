import Control
import Foundation
import PPO
import Randomness
import Ratings
import RewardLearning
import SegmentReplay

/// A reward model trained afresh on a finished run's ratings, round by round
/// in the order the run received them, with a loss and training settings that
/// may differ from the run's, and scored after each round by how well it
/// ranks test segments by their true returns.
///
/// In a run, each method's own policy decides which segments get rated; a
/// refit holds the ratings fixed, so two losses can be compared on the same
/// data.
public struct RewardRefit: Sendable {
    /// The training ratings, one entry per feedback round of the run (in order).
    public let rounds: [[RatedSegment]]
    /// Segments the model is scored on (never trained on).
    public let test: [Segment]
    /// Rating classes n.
    public let classes: Int
    /// Fitted once to every training segment's observations (a run's own
    /// normaliser follows its policy, and its folder keeps only the last one).
    public let normalizer: RunningNormalizer

    /// - Parameters:
    ///   - rounds: the training ratings by round; rounds without ratings are dropped.
    ///   - clip: normalised observations are clipped to ±clip (the run's `ppo.observationClip`).
    /// - Throws: `RunError` when there is nothing to train on or to score.
    public init(rounds: [[RatedSegment]], test: [Segment], classes: Int, clip: Double) throws {
        let rounds = rounds.filter { !$0.isEmpty }
        guard let first = rounds.first?.first else { throw RunError("no ratings to train on") }
        guard !test.isEmpty else { throw RunError("no test segments to score the reward model on") }
        var normalizer = RunningNormalizer(size: first.segment.observations[0].count, clip: clip)
        for rated in rounds.joined() { normalizer.update(rated.segment.observations) }
        self.rounds = rounds
        self.test = test
        self.classes = classes
        self.normalizer = normalizer
    }

    /// Trains a new ensemble round by round: each round adds its ratings to the
    /// label buffer and trains on all of them with `settings`; `afterRound`
    /// gets each round's report, whose held-out correlations are over `test`.
    /// - Parameter seed: initialises the networks and drives minibatch order.
    /// - Throws: a reward-learning error (bad settings, a non-finite loss) or what `afterRound` throws.
    @discardableResult
    public func train(model: RewardModelConfiguration, settings: RewardTrainingSettings, seed: UInt64,
                      afterRound: (TrainingReport) throws -> Void = { _ in }) throws -> [TrainingReport] {
        let first = rounds[0][0].segment
        var random = SeededRandom(seed: seed)
        var initialization = random.split()
        let ensemble = try RewardEnsemble(inputSize: first.observations[0].count + first.actions[0].count,
                                          configuration: model, random: &initialization)
        let features = FeedbackRound.features(normalizer: normalizer)
        var labels = try LabelBuffer(classCount: classes)
        var reports: [TrainingReport] = []
        for (index, ratings) in rounds.enumerated() {
            try labels.append(contentsOf: ratings)
            let report = try ensemble.train(on: labels, features: features, heldOut: test, round: index,
                                            settings: settings, random: &random)
            try afterRound(report)
            reports.append(report)
        }
        return reports
    }

    /// A run's rated segments replayed in `environment`, grouped by feedback round.
    /// - Throws: `RunError` for an unreadable ratings.jsonl or a rating without a
    ///   start state; `ControlError` when a segment does not replay.
    public static func ratedSegments(ofRun folder: String, in environment: ControlEnvironment) throws -> [[RatedSegment]] {
        let records = try RunRatings(folder: folder).records
        var rounds: [[RatedSegment]] = []
        for (line, record) in records.enumerated() {
            guard let state = record.startState else {
                throw RunError("\(folder)/ratings.jsonl line \(line + 1) has no start state, so its segment cannot be replayed")
            }
            let segment = try environment.replayedSegment(episode: record.episode, startStep: record.startStep,
                                                          state: state, actions: record.actions)
            while rounds.count <= record.round { rounds.append([]) }
            rounds[record.round].append(RatedSegment(segment: segment, rating: record.rating))
        }
        return rounds
    }

    /// Splits rounds into training ratings and test segments: every `k`th
    /// rating (counting across rounds, the kth, 2kth, …) is tested on, the rest trained on.
    public static func holdingOut(every k: Int, of rounds: [[RatedSegment]]) -> (rounds: [[RatedSegment]], test: [Segment]) {
        var count = 0, test: [Segment] = []
        let kept = rounds.map { round in
            round.filter { rated in
                count += 1
                if count % k == 0 { test.append(rated.segment); return false }
                return true
            }
        }
        return (kept, test)
    }
}
