/// One complete episode as collected: per step, the observation the action was
/// taken in, the action, and the task's true reward for that step.
public struct Episode: Sendable, Equatable, Codable {
    /// Identifier assigned by the store (unique within one store).
    public var id: Int
    /// Raw (un-normalised) observations; `observations[t]` is the one `actions[t]` was chosen in.
    public var observations: [[Double]]
    /// Actions, one per step.
    public var actions: [[Double]]
    /// True per-step rewards, one per step.
    public var rewards: [Double]
    /// Physics states per step (for replay and rendering), when recorded.
    public var states: [[Double]]?

    /// An episode; throws `RatingError.inconsistentEpisode` unless every per-step list has the same length.
    public init(id: Int, observations: [[Double]], actions: [[Double]], rewards: [Double],
                states: [[Double]]? = nil) throws {
        let steps = rewards.count
        guard observations.count == steps, actions.count == steps, states.map({ $0.count == steps }) ?? true else {
            throw RatingError.inconsistentEpisode(detail:
                "\(observations.count) observations, \(actions.count) actions, \(rewards.count) rewards"
                + (states.map { ", \($0.count) states" } ?? ""))
        }
        self.id = id
        self.observations = observations
        self.actions = actions
        self.rewards = rewards
        self.states = states
    }

    /// Number of steps.
    public var length: Int { rewards.count }

    /// Number of distinct length-`segmentLength` windows (0 if the episode is shorter).
    public func windowCount(segmentLength: Int) -> Int {
        max(0, length - segmentLength + 1)
    }

    /// The window of `length` steps starting at step `start`.
    /// - Precondition: the window lies inside the episode.
    public func segment(start: Int, length: Int) -> Segment {
        precondition(length > 0 && start >= 0 && start + length <= self.length,
                     "Episode.segment: window \(start)..<\(start + length) is outside 0..<\(self.length)")
        let range = start..<(start + length)
        return Segment(episodeID: id, startStep: start,
                       observations: Array(observations[range]), actions: Array(actions[range]),
                       rewards: Array(rewards[range]), states: states.map { Array($0[range]) })
    }
}
