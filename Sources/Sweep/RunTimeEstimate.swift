import RunConfiguration


/// A rough estimate of a run's wall time on one core (workers 1, one BLAS
/// thread), from speeds measured on this project's development machine:
/// PPO at the preset's measured steps per second for the task, plus, for
/// rating methods, the learned reward's cost per step and reward-model
/// training as if every round ran all its epochs (an upper bound: the early
/// stop often ends rounds after a few).
public struct RunTimeEstimate: Sendable {
    /// Environment steps per second of PPO training, one core, by preset and task.
    public static let stepsPerSecond: [String: [String: Double]] = [
        // quick: 4 rollouts per task; paper: CPU seconds of a 64,000-step run (4 rollouts,
        // quadruped 8) with its evaluation, one worker; OpenBLAS Haswell kernel, AVX2 machine.
        "quick": ["cartpole-balance": 18_500, "ball_in_cup-catch": 4250, "finger-spin": 6400,
                  "cheetah-run": 6900, "walker-walk": 3300, "quadruped-walk": 3600],
        "paper": ["cartpole-balance": 1320, "ball_in_cup-catch": 1230, "finger-spin": 1380,
                  "cheetah-run": 1290, "walker-walk": 1060, "quadruped-walk": 1010],
    ]
    /// Speed assumed for a task or preset not in the table (the slowest measured).
    static let fallbackStepsPerSecond = 1010.0
    /// Seconds of one core to train the default 3-member 3×256 reward ensemble
    /// for one epoch, per rated step (segments × segment length); `ratingrl bench reward`,
    /// 500 segments: 1.06 CPU seconds per epoch.
    public static let rewardSecondsPerStepEpoch = 4.3e-5
    /// Seconds of one core per collected step to compute the learned reward
    /// (`ratingrl bench reward`: about 0.9 ms per 32 rows).
    public static let rewardSecondsPerStep = 2.8e-5

    /// Seconds to start a run (process, models, networks), measured on small runs.
    public static let startSeconds = 3.0
    /// Evaluation steps (deterministic policy, no updates) cost this share of a training step.
    public static let evaluationStepShare = 0.3

    /// What the numbers rest on, for messages.
    public static let basis = "PPO speeds measured per task and preset on an unloaded core; reward training as if every round ran all its epochs"

    /// Seconds of PPO (start-up, collection, updates, evaluations).
    public let ppoSeconds: Double
    /// Seconds of reward-model training (0 for ppo).
    public let rewardSeconds: Double
    public var seconds: Double { ppoSeconds + rewardSeconds }

    public init(_ config: TrainingConfig) {
        let steps = Double(config.updates * config.ppo.rolloutSize)
        let speed = Self.stepsPerSecond[config.preset]?[config.task] ?? Self.fallbackStepsPerSecond
        let evaluations = config.evaluationInterval > 0 ? config.updates * config.ppo.rolloutSize / config.evaluationInterval : 1
        let evaluationSteps = Double(max(1, evaluations) * config.evaluationEpisodes * RunPlanNotes.episodeSteps)
        ppoSeconds = Self.startSeconds + (steps + evaluationSteps * Self.evaluationStepShare) / speed
        guard let feedback = config.ratingFeedback else { rewardSeconds = 0; return }
        let schedule = feedback.schedule
        var stepEpochs = 0.0
        var rated = 0
        for round in 0..<schedule.rounds where schedule.stepsForRound(round) <= Int(steps) {
            rated += schedule.ratings(inRound: round)
            stepEpochs += Double(feedback.training.epochs * rated * feedback.segmentLength)
        }
        let members = Double(feedback.rewardModel.memberCount) / 3
        rewardSeconds = (stepEpochs * Self.rewardSecondsPerStepEpoch + steps * Self.rewardSecondsPerStep) * members
    }
}
