import PPO
import Ratings
import RewardLearning

/// How ratings are gathered and the reward model trained (docs/method.md §1–8).
/// Defaults are RbRL's except where docs/method.md §11 lists a reconstruction or change.
public struct FeedbackConfig: Codable, Sendable, Equatable {
    /// Rating classes n (2…6).
    public var classes: Int
    /// G_max: the top of the rater's uniform scale (segment returns above it rate n−1).
    public var maxReturn: Double
    /// Which scale the synthetic rater bins returns with: nil or `.uniform`,
    /// n equal bins of [0, maxReturn]; `.task`, fixed boundaries (`ratingEdges`).
    public var scale: RatingScaleRule?
    /// The n−1 class boundaries of the `.task` scale, as resolved for the run
    /// (the task's `TaskRatingScale` unless a configuration gives its own), so
    /// that config.json says exactly how the rater rated.
    public var ratingEdges: [Double]?
    public var segmentLength: Int
    public var noise: RaterNoise
    public var querySelection: QuerySelection
    public var schedule: FeedbackSchedule
    /// Segments drawn each round into a held-out set (never trained on) over
    /// which learned and true segment returns are correlated.
    public var heldOutPerRound: Int
    /// Complete episodes kept for drawing segments (most recent first to go).
    public var episodeCapacity: Int
    public var rewardModel: RewardModelConfiguration
    public var training: RewardTrainingSettings
    /// Optional unsupervised pre-training: for this many environment steps the
    /// policy is rewarded by a k-NN state-entropy bonus (not the reward model),
    /// then its value network is reset. 0 (the default) turns it off; RbRL uses 32,000.
    public var unsupervisedSteps: Int
    /// k of the state-entropy bonus (5).
    public var stateEntropyK: Int
    /// A ratings database (`ratingrl rate`) to learn from instead of the
    /// synthetic rater: its ratings are the labels of the first round, later
    /// rounds retrain on them with the current observation normaliser. nil: the synthetic rater.
    public var ratingsDatabase: String?
    /// With a ratings database: learn online, each round's chosen segments
    /// going to the database and the run waiting until people have rated them.
    public var waitForRatings: Bool?
    /// The `FeedbackPreset` these settings started from, if any; informational once resolved.
    public var preset: String?

    public init(task: String, loss: RewardLoss, classes: Int = 4) {
        self.classes = classes
        maxReturn = SyntheticRater.defaultMaxReturn(task: task)
        segmentLength = 50
        noise = .none
        querySelection = .uniform
        schedule = FeedbackSchedule()
        heldOutPerRound = 100
        episodeCapacity = 100
        rewardModel = RewardModelConfiguration(objective: RewardObjective(loss: loss))
        training = RewardTrainingSettings(stopRule: loss.defaultStopRule)
        unsupervisedSteps = 0
        stateEntropyK = 5
    }

    enum CodingKeys: String, CodingKey {
        case classes, maxReturn, scale, ratingEdges, segmentLength, noise, querySelection, schedule, heldOutPerRound, episodeCapacity
        case rewardModel, training, unsupervisedSteps, stateEntropyK, ratingsDatabase, waitForRatings, preset
    }

    /// Reads a configuration; pre-training fields missing from older run
    /// folders take their defaults (off).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        classes = try c.decode(Int.self, forKey: .classes)
        maxReturn = try c.decode(Double.self, forKey: .maxReturn)
        scale = try c.decodeIfPresent(RatingScaleRule.self, forKey: .scale)
        ratingEdges = try c.decodeIfPresent([Double].self, forKey: .ratingEdges)
        segmentLength = try c.decode(Int.self, forKey: .segmentLength)
        noise = try c.decode(RaterNoise.self, forKey: .noise)
        querySelection = try c.decode(QuerySelection.self, forKey: .querySelection)
        schedule = try c.decode(FeedbackSchedule.self, forKey: .schedule)
        heldOutPerRound = try c.decode(Int.self, forKey: .heldOutPerRound)
        episodeCapacity = try c.decode(Int.self, forKey: .episodeCapacity)
        rewardModel = try c.decode(RewardModelConfiguration.self, forKey: .rewardModel)
        training = try c.decode(RewardTrainingSettings.self, forKey: .training)
        unsupervisedSteps = try c.decodeIfPresent(Int.self, forKey: .unsupervisedSteps) ?? 0
        stateEntropyK = try c.decodeIfPresent(Int.self, forKey: .stateEntropyK) ?? 5
        ratingsDatabase = try c.decodeIfPresent(String.self, forKey: .ratingsDatabase)
        waitForRatings = try c.decodeIfPresent(Bool.self, forKey: .waitForRatings)
        preset = try c.decodeIfPresent(String.self, forKey: .preset)
    }

    /// Problems with the configuration, each a sentence; empty when valid.
    /// Covers every part a run uses, so a bad value stops the run before its
    /// first step rather than at its first feedback round.
    public var problems: [String] {
        var problems = schedule.problems
        let ranges: [(name: String, value: Int, range: ClosedRange<Int>)] = [
            ("held-out segments per round", heldOutPerRound, 0...100_000),
            ("unsupervised steps", unsupervisedSteps, 0...TrainingConfig.maximumSteps),
            ("the state-entropy k", stateEntropyK, 1...1_000),
        ]
        problems += rangeProblems(ranges)
        if (scale == .task) != (ratingEdges != nil) {
            problems.append(scale == .task ? "the task rating scale needs its boundaries (feedback.ratingEdges)"
                                           : "feedback.ratingEdges apply to the task rating scale (feedback.scale: task); the uniform scale uses maxReturn")
        }
        if waitForRatings == true && ratingsDatabase == nil {
            problems.append("waiting for ratings needs a ratings database (--ratings-db F with --wait)")
        }
        // The rater and the episode store are built as the run will build them,
        // so their own checks (classes, G_max, noise; capacity, segment length) apply.
        let checks: [() throws -> Void] = [
            { _ = try self.rater() },
            { _ = try EpisodeStore(capacity: episodeCapacity, segmentLength: segmentLength) },
            querySelection.validate, rewardModel.validate, training.validate,
        ]
        for check in checks {
            do { try check() } catch { problems.append("\(error)") }
        }
        return problems
    }
}

extension FeedbackConfig {
    /// The synthetic rater these settings describe.
    public func rater() throws -> SyntheticRater {
        try SyntheticRater(classCount: classes, maxReturn: maxReturn, innerEdges: scale == .task ? ratingEdges : nil, noise: noise)
    }
}

/// When ratings are asked for: `perRound` ratings every `interval` environment
/// steps from `firstRound` on, until `total` have been given.
public struct FeedbackSchedule: Codable, Sendable, Equatable {
    public var total: Int
    public var perRound: Int
    public var interval: Int
    public var firstRound: Int

    public init(total: Int = 2000, perRound: Int = 100, interval: Int = 32_000, firstRound: Int = 32_000) {
        self.total = total; self.perRound = perRound; self.interval = interval; self.firstRound = firstRound
    }

    /// Environment-step count at which round `index` (0-based) is due.
    public func stepsForRound(_ index: Int) -> Int { firstRound + index * interval }

    /// Number of rounds in the whole schedule.
    public var rounds: Int { perRound > 0 ? (total + perRound - 1) / perRound : 0 }

    /// Ratings asked for in round `index` (the last round may ask fewer).
    public func ratings(inRound index: Int) -> Int { max(0, min(perRound, total - index * perRound)) }

    public var problems: [String] {
        var problems: [String] = []
        let ranges: [(name: String, value: Int, range: ClosedRange<Int>)] = [
            ("total ratings", total, 1...10_000_000), ("ratings per round", perRound, 1...10_000_000),
            ("the round interval", interval, 1...TrainingConfig.maximumSteps),
            ("the first round", firstRound, 0...TrainingConfig.maximumSteps),
        ]
        problems += rangeProblems(ranges)
        return problems
    }
}
