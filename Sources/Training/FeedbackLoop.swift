import Foundation
import PPO
import Randomness
import Ratings
import RewardLearning
import RunConfiguration

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
    let feedbackLog: JSONLinesLog
    let ratingLog: JSONLinesLog
    /// Index of the next round to run.
    private var nextRound = 0
    /// The report of the latest round, if any has run.
    private(set) var lastReport: TrainingReport?

    /// Wall seconds of reward-model training over the rounds so far.
    private(set) var trainingSeconds = 0.0
    /// Ratings given so far.
    var ratingCount: Int { labels.count }
    /// Who gives each round its ratings: the synthetic rater, stored ratings or people.
    let rater: any Rater
    /// Rounds of the schedule not yet run.
    var roundsLeft: Int { config.schedule.rounds - nextRound }
    /// Rounds run so far.
    var roundsDone: Int { nextRound }

    /// - Parameters:
    ///   - initialization: initialises the reward model's networks.
    ///   - random: drives query selection, the rater and reward training.
    ///   - rater: gives each round its ratings.
    ///   - logSizes: for a resumed run, the byte sizes of `feedback.jsonl` and
    ///     `ratings.jsonl` at the checkpoint (later lines are dropped); nil starts them empty.
    init(config: FeedbackConfig, inputSize: Int, environments: Int, directory: RunDirectory,
         initialization: inout SeededRandom, random: SeededRandom, rater: any Rater,
         logSizes: (feedback: UInt64, ratings: UInt64)? = nil) throws {
        self.config = config
        self.rater = rater
        ensemble = try RewardEnsemble(inputSize: inputSize, configuration: config.rewardModel, random: &initialization)
        recorder = EpisodeRecorder(environments: environments,
                                   store: try EpisodeStore(capacity: config.episodeCapacity,
                                                           segmentLength: config.segmentLength))
        round = FeedbackRound(config: config)
        labels = try LabelBuffer(classCount: config.classes)
        self.random = random
        self.directory = directory
        feedbackLog = try JSONLinesLog(path: directory.file("feedback.jsonl"), keepingBytes: logSizes?.feedback)
        ratingLog = try JSONLinesLog(path: directory.file("ratings.jsonl"), keepingBytes: logSizes?.ratings)
    }

    /// Whether a round is due at `envSteps` (never before the first episode has finished).
    func hasDueRound(envSteps: Int) -> Bool {
        nextRound < config.schedule.rounds && envSteps >= config.schedule.stepsForRound(nextRound)
            && recorder.store.windowCount > 0
    }

    /// Runs every round due by `envSteps` and returns the last one's report.
    /// Each round's ratings are appended to `ratings.jsonl` as soon as they are
    /// given, before the reward model trains on them.
    /// - Parameters:
    ///   - normalizer: the policy's observation normaliser, for the reward model's inputs.
    ///   - events: told when a round starts and after each of its epochs.
    ///   - shouldStop: asked after every epoch, and by a rater that waits (people)
    ///     while it waits; when true the round is abandoned by throwing
    ///     `RunInterrupted` (the run resumes from the checkpoint before it).
    func runDueRounds(envSteps: Int, normalizer: RunningNormalizer, events: (TrainingEvent) -> Void,
                      shouldStop: () -> Bool) throws -> TrainingReport? {
        let schedule = config.schedule
        var report: TrainingReport?
        while hasDueRound(envSteps: envSteps) {
            let index = nextRound, asked = schedule.ratings(inRound: index)
            events(.roundStarted(round: index, rounds: schedule.rounds, ratings: asked, buffered: labels.count + asked,
                                 envSteps: envSteps))
            do {
                let rated = try round.rate(index: index, ratings: asked, store: recorder.store, labels: &labels,
                                           heldOut: &heldOut, ensemble: ensemble, normalizer: normalizer, rater: rater,
                                           random: &random, shouldStop: shouldStop)
                try ratingLog.append(rated.map { RatingLine($0, round: index) })
                report = try round.train(index: index, labels: labels, heldOut: heldOut, ensemble: ensemble,
                                         normalizer: normalizer, random: &random) { epochs, accuracy in
                    events(.roundEpoch(round: index, epoch: epochs, epochs: config.training.epochs, accuracy: accuracy))
                    if shouldStop() { throw RunInterrupted(envSteps: envSteps, directory: directory.path) }
                }
            } catch let interrupted as RunInterrupted {
                throw interrupted
            } catch is RatingStopped {
                throw RunInterrupted(envSteps: envSteps, directory: directory.path)
            } catch {
                throw RunError("feedback round \(index) at \(envSteps) steps: \(error)")
            }
            try feedbackLog.append([FeedbackLine(envSteps: envSteps, report: report!)])
            try ensemble.save(to: directory.file("reward_model.weights"))
            lastReport = report
            trainingSeconds += report!.seconds
            nextRound += 1
        }
        return report
    }

    // MARK: Checkpoints

    /// Writes the loop's whole state: reward model with optimisers and exact
    /// s₁, s₂, episodes (stored and in progress), labels, held-out segments,
    /// the random stream, the round counter and the last report.
    func write(to archive: inout CheckpointArchive) throws {
        archive.put(tensors: ensemble.tensors(prefix: "reward"), prefix: "feedback.ensemble")
        archive.put("feedback.logVariances", doubles: ensemble.logVariances.flatMap { [$0.s1, $0.s2] })
        archive.put("feedback.random", words: random.stateWords)
        archive.put("feedback.counters", integers: [nextRound, recorder.store.nextEpisodeID])
        archive.put("feedback.trainingSeconds", doubles: [trainingSeconds])
        if let lastReport { archive.put("feedback.lastReport", bytes: try JSONEncoder().encode(lastReport)) }
        archive.put("feedback.store", trajectories: recorder.store.episodes.map(Trajectory.init))
        archive.put("feedback.inProgress", trajectories: recorder.inProgress)
        archive.put("feedback.labels", trajectories: labels.items.map { Trajectory($0.segment) })
        archive.put("feedback.labels.ratings", integers: labels.items.map(\.rating))
        archive.put("feedback.heldOut", trajectories: heldOut.map(Trajectory.init))
    }

    /// Restores a state written by `write(to:)` into this freshly built loop.
    func restore(from archive: CheckpointArchive) throws {
        func mismatch(_ detail: String) -> CheckpointError { .mismatch(path: archive.source, detail: detail) }
        try ensemble.load(tensors: archive.tensors(prefix: "feedback.ensemble"), prefix: "reward")
        let s = try archive.doubles("feedback.logVariances")
        guard s.count == 2 * ensemble.memberCount else { throw mismatch("\(s.count / 2) reward-model members") }
        try ensemble.restoreLogVariances((0..<ensemble.memberCount).map { LogVariances(s1: s[2 * $0], s2: s[2 * $0 + 1]) })
        guard let random = SeededRandom(stateWords: try archive.words("feedback.random")) else {
            throw mismatch("bad random state")
        }
        self.random = random
        let counters = try archive.integers("feedback.counters")
        guard counters.count == 2 else { throw mismatch("feedback counters") }
        nextRound = counters[0]
        trainingSeconds = try archive.doubles("feedback.trainingSeconds").first ?? 0
        lastReport = archive.has("feedback.lastReport")
            ? try JSONDecoder().decode(TrainingReport.self, from: archive.bytes("feedback.lastReport")) : nil
        let episodes = try archive.trajectories("feedback.store").map {
            try Episode(id: $0.id, observations: $0.observations, actions: $0.actions, rewards: $0.rewards, states: $0.states)
        }
        let store = try EpisodeStore(capacity: config.episodeCapacity, segmentLength: config.segmentLength,
                                     episodes: episodes, nextEpisodeID: counters[1])
        try recorder.restore(store: store, inProgress: archive.trajectories("feedback.inProgress"))
        let ratings = try archive.integers("feedback.labels.ratings")
        let labelled = try archive.trajectories("feedback.labels")
        guard ratings.count == labelled.count else { throw mismatch("\(ratings.count) ratings for \(labelled.count) segments") }
        var labels = try LabelBuffer(classCount: config.classes)
        try labels.append(contentsOf: zip(labelled, ratings).map { RatedSegment(segment: $0.segment, rating: $1) })
        self.labels = labels
        heldOut = try archive.trajectories("feedback.heldOut").map(\.segment)
    }
}
