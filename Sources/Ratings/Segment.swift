/// A window of consecutive steps of one episode: what a rater scores and the
/// reward model is trained on.
public struct Segment: Sendable, Equatable, Codable {
    /// The episode it was cut from.
    public var episodeID: Int
    /// The episode step of its first entry.
    public var startStep: Int
    /// Raw (un-normalised) observations, one per step.
    public var observations: [[Double]]
    /// Actions, one per step.
    public var actions: [[Double]]
    /// The task's true rewards, one per step.
    public var rewards: [Double]
    /// Physics states per step (for replay and rendering), when recorded.
    public var states: [[Double]]?

    /// A segment. - Precondition: observations, actions, rewards (and states, if any) have one entry per step.
    public init(episodeID: Int, startStep: Int, observations: [[Double]], actions: [[Double]],
                rewards: [Double], states: [[Double]]? = nil) {
        precondition(observations.count == rewards.count && actions.count == rewards.count
                     && (states?.count ?? rewards.count) == rewards.count,
                     "Segment: \(observations.count) observations, \(actions.count) actions, \(rewards.count) rewards")
        self.episodeID = episodeID
        self.startStep = startStep
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.states = states
    }

    /// Number of steps, L.
    public var length: Int { rewards.count }

    /// The undiscounted sum of true rewards, G(σ).
    public var trueReturn: Double { rewards.reduce(0, +) }

    /// Σ γ^(L−1−t)·r_t: later steps weigh more (B-Pref's myopic teacher). γ = 1 gives `trueReturn`.
    public func discountedReturn(gamma: Double) -> Double {
        var total = 0.0
        var weight = 1.0
        for reward in rewards.reversed() {
            total += weight * reward
            weight *= gamma
        }
        return total
    }
}
