import PPO
import Randomness
import Ratings
import RewardLearning

/// What a rating-based run adds to PPO: the reward model, the recorded
/// episodes segments are drawn from, the label buffer and held-out set, and
/// the feedback schedule, with each round logged to the run folder
/// (`feedback.jsonl`, `ratings.jsonl`, `reward_model.weights`).
final class FeedbackLoop {
    let config: FeedbackConfig
    let ensemble: RewardEnsemble
    /// Watches the collector; holds the episodes rated segments come from.
    let recorder: EpisodeRecorder
    private let round: FeedbackRound
    private var labels: LabelBuffer
    private var heldOut: [Segment] = []
    private var random: SeededRandom
    private let directory: RunDirectory
    private let feedbackLog: JSONLinesLog
    private let ratingLog: JSONLinesLog
    /// Index of the next round to run.
    private var nextRound = 0
    /// The report of the latest round, if any has run.
    private(set) var lastReport: TrainingReport?

    /// Wall seconds of reward-model training over the rounds so far.
    private(set) var trainingSeconds = 0.0
    /// Ratings given so far.
    var ratingCount: Int { labels.count }

    /// - Parameters:
    ///   - initialization: initialises the reward model's networks.
    ///   - random: drives query selection, the rater and reward training.
    init(config: FeedbackConfig, inputSize: Int, environments: Int, directory: RunDirectory,
         initialization: inout SeededRandom, random: SeededRandom) throws {
        self.config = config
        ensemble = try RewardEnsemble(inputSize: inputSize, configuration: config.rewardModel, random: &initialization)
        recorder = EpisodeRecorder(environments: environments,
                                   store: try EpisodeStore(capacity: config.episodeCapacity,
                                                           segmentLength: config.segmentLength))
        round = try FeedbackRound(config: config)
        labels = try LabelBuffer(classCount: config.classes)
        self.random = random
        self.directory = directory
        feedbackLog = try JSONLinesLog(path: directory.file("feedback.jsonl"))
        ratingLog = try JSONLinesLog(path: directory.file("ratings.jsonl"))
    }

    /// Runs every round due by `envSteps` (none before the first episode has
    /// finished) and returns the last one's report.
    /// - Parameter normalizer: the policy's observation normaliser, for the reward model's inputs.
    func runDueRounds(envSteps: Int, normalizer: RunningNormalizer) throws -> TrainingReport? {
        let schedule = config.schedule
        var report: TrainingReport?
        while nextRound < schedule.rounds && envSteps >= schedule.stepsForRound(nextRound)
                && recorder.store.windowCount > 0 {
            let rated: [RatedSegment]
            do {
                (report, rated) = try round.run(index: nextRound, ratings: schedule.ratings(inRound: nextRound),
                                                store: recorder.store, labels: &labels, heldOut: &heldOut,
                                                ensemble: ensemble, normalizer: normalizer, random: &random)
            } catch {
                throw RunError("feedback round \(nextRound) at \(envSteps) steps: \(error)")
            }
            try ratingLog.append(rated.map { RatingLine($0, round: nextRound) })
            try feedbackLog.append([FeedbackLine(envSteps: envSteps, report: report!)])
            try ensemble.save(to: directory.file("reward_model.weights"))
            lastReport = report
            trainingSeconds += report!.seconds
            nextRound += 1
        }
        return report
    }
}
