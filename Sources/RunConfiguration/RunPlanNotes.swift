/// What a configuration will do that its user may not expect, said before
/// the run starts.
public struct RunPlanNotes: Sendable, Equatable {
    /// Informational sentences (e.g. steps rounded up to whole rollouts).
    public var notes: [String] = []
    /// Sentences about a run that will not do what it is meant to, each with how to fix it.
    public var warnings: [String] = []

    /// Agent steps per episode of the suite's tasks; the first feedback round
    /// also waits for an episode to finish.
    public static let episodeSteps = 1000

    public init(notes: [String], warnings: [String]) { self.notes = notes; self.warnings = warnings }

    public init(_ config: TrainingConfig) {
        let rollout = config.ppo.rolloutSize
        let trained = config.updates * rollout
        if config.totalSteps % rollout != 0 {
            notes.append("steps are rounded up to whole rollouts: \(config.totalSteps) step\(config.totalSteps == 1 ? "" : "s") = \(config.updates) rollout\(config.updates == 1 ? "" : "s") of \(rollout) (\(config.ppo.environments) environments × \(config.ppo.stepsPerRollout) steps), so the run trains \(trained) steps")
        }
        guard let feedback = config.ratingFeedback else { return }
        // Rounds run after an update, once due and once an episode has finished.
        let due = max(feedback.schedule.firstRound, Self.episodeSteps * config.ppo.environments)
        let firstRound = max(1, (due + rollout - 1) / rollout) * rollout
        if firstRound > trained {
            let earlier = feedback.schedule.firstRound > Self.episodeSteps * config.ppo.environments
                ? " or rate earlier (e.g. --first-round 0)" : ""
            warnings.append("\(config.method) gets its first ratings after \(firstRound) steps (first round at \(feedback.schedule.firstRound), and only once the first episodes have finished, \(Self.episodeSteps) steps per environment), but the run ends at \(trained) steps: the policy would learn from an untrained reward model. Train longer (steps ≥ \(firstRound))\(earlier)")
            return
        }
        var rounds = 0
        while rounds < feedback.schedule.rounds && feedback.schedule.stepsForRound(rounds) <= trained { rounds += 1 }
        let given = (0..<rounds).reduce(0) { $0 + feedback.schedule.ratings(inRound: $1) }
        if given < feedback.schedule.total {
            notes.append("only \(rounds) of \(feedback.schedule.rounds) feedback rounds fit in \(trained) steps: at most \(given) of \(feedback.schedule.total) ratings")
        }
    }
}
