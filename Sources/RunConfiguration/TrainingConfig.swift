import PPO
import RewardLearning

/// Everything that determines a training run. A run is a pure function of
/// this configuration (and the machine's floating-point behaviour).
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var task: String
    /// What the policy learns from. A rating method's `feedback` always trains
    /// with the method's loss: setting either one keeps them in agreement.
    public var method: TrainingMethod { didSet { feedback = Self.feedback(feedback, following: method) } }
    public var totalSteps: Int
    public var seed: UInt64
    /// The preset `ppo` started from ("quick" or "paper"); informational once resolved.
    public var preset: String
    public var ppo: PPOConfig
    /// Environment steps between deterministic evaluations (0: only at the end).
    public var evaluationInterval: Int
    /// Episodes per evaluation.
    public var evaluationEpisodes: Int
    /// Every evaluation starts its episodes from the same initial states (drawn
    /// once per run), so two evaluations of a run differ only by the policy,
    /// not by which starts they drew. Nil (runs written before the field
    /// existed) means each evaluation draws new starts.
    public var fixedEvaluationStarts: Bool?
    /// Environment steps between checkpoints (0: only at the end).
    public var checkpointInterval: Int
    /// Threads stepping environments.
    public var workers: Int
    /// Ratings and reward learning; nil for `.ppo`, which learns from the true reward.
    public var feedback: FeedbackConfig? { didSet { feedback = Self.feedback(feedback, following: method) } }

    public init(task: String, method: TrainingMethod = .ppo, totalSteps: Int, seed: UInt64, preset: String, ppo: PPOConfig,
                evaluationInterval: Int = 0, evaluationEpisodes: Int = 10, fixedEvaluationStarts: Bool = true,
                checkpointInterval: Int = 0, workers: Int = 2, feedback: FeedbackConfig? = nil) {
        self.task = task; self.method = method; self.totalSteps = totalSteps; self.seed = seed
        self.preset = preset; self.ppo = ppo; self.evaluationInterval = evaluationInterval
        self.evaluationEpisodes = evaluationEpisodes; self.fixedEvaluationStarts = fixedEvaluationStarts
        self.checkpointInterval = checkpointInterval; self.workers = workers
        self.feedback = Self.feedback(feedback, following: method)
    }

    /// Reads a configuration; a rating method's feedback takes the method's loss
    /// (they agree in every file this program writes).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(task: try c.decode(String.self, forKey: .task), method: try c.decode(TrainingMethod.self, forKey: .method),
                  totalSteps: try c.decode(Int.self, forKey: .totalSteps), seed: try c.decode(UInt64.self, forKey: .seed),
                  preset: try c.decode(String.self, forKey: .preset), ppo: try c.decode(PPOConfig.self, forKey: .ppo),
                  evaluationInterval: try c.decode(Int.self, forKey: .evaluationInterval),
                  evaluationEpisodes: try c.decode(Int.self, forKey: .evaluationEpisodes),
                  checkpointInterval: try c.decode(Int.self, forKey: .checkpointInterval),
                  workers: try c.decode(Int.self, forKey: .workers),
                  feedback: try c.decodeIfPresent(FeedbackConfig.self, forKey: .feedback))
        fixedEvaluationStarts = try c.decodeIfPresent(Bool.self, forKey: .fixedEvaluationStarts)
    }

    /// The rating settings the run learns from: `feedback` for a method that
    /// learns from ratings, nil for `.ppo` (which ignores any).
    public var ratingFeedback: FeedbackConfig? { method.learnsFromRatings ? feedback : nil }

    /// `feedback` with a rating method's loss.
    private static func feedback(_ feedback: FeedbackConfig?, following method: TrainingMethod) -> FeedbackConfig? {
        guard let loss = method.loss, var feedback else { return feedback }
        feedback.rewardModel.objective.loss = loss
        return feedback
    }

    /// The most environment steps a run (or any step count of it) may have:
    /// far beyond any study, and small enough that step arithmetic cannot overflow.
    public static let maximumSteps = 1_000_000_000_000

    /// PPO updates the run performs: whole rollouts covering `totalSteps`.
    public var updates: Int {
        let rollout = max(1, ppo.rolloutSize)
        return max(1, totalSteps / rollout + (totalSteps % rollout == 0 ? 0 : 1))
    }

    /// Problems with the configuration, each a sentence; empty when valid.
    public var problems: [String] {
        var problems = ppo.problems
        let ranges: [(name: String, value: Int, range: ClosedRange<Int>)] = [
            ("steps", totalSteps, 1...Self.maximumSteps),
            ("evaluation episodes", evaluationEpisodes, 1...10_000),
            ("the evaluation interval", evaluationInterval, 0...Self.maximumSteps),
            ("the checkpoint interval", checkpointInterval, 0...Self.maximumSteps),
            ("workers", workers, 1...1024),
        ]
        problems += rangeProblems(ranges)
        if method.learnsFromRatings {
            if let feedback {
                problems += feedback.problems
            } else {
                problems.append("method \(method) learns from ratings and needs a feedback configuration")
            }
        }
        return problems
    }
}
