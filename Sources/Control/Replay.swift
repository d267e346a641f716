/// A recorded start state and the actions to apply from it.
public struct ReplayRequest: Codable, Sendable, Equatable {
    public var task: String
    /// qpos, then qvel, then act, as dm_control's `physics.get_state()`.
    public var state: [Double]
    public var actions: [[Double]]
    /// Optional: the solver warm start before the recorder's last forward pass
    /// (see `ControlEnvironment.restore`).
    public var qaccWarmstart: [Double]?

    enum CodingKeys: String, CodingKey {
        case task, state, actions
        case qaccWarmstart = "qacc_warmstart"
    }

    public init(task: String, state: [Double], actions: [[Double]], qaccWarmstart: [Double]? = nil) {
        self.task = task; self.state = state; self.actions = actions; self.qaccWarmstart = qaccWarmstart
    }
}

/// What replaying a `ReplayRequest` produced.
public struct ReplayResult: Codable, Sendable, Equatable {
    /// `observations[0]` is the observation at the given state; entry t follows action t.
    public var observations: [[Double]]
    /// One per action.
    public var rewards: [Double]
    /// One per action.
    public var discounts: [Double]
    /// The physics state (qpos, qvel, act) before each action, when asked for.
    public var states: [[Double]]?
}

extension ControlEnvironment {
    /// Restores `state`, then applies `actions` in order, recording what the
    /// environment returns (and, if `recordingStates`, the physics state before
    /// each action). At most `stepLimit` actions fit in one episode.
    /// - Throws: on a state of the wrong size, too many actions, or a bad action
    ///   (the error names the offending action's index).
    public func replay(state: [Double], actions: [[Double]], warmstart: [Double]? = nil,
                       recordingStates: Bool = false) throws -> ReplayResult {
        guard actions.count <= stepLimit else {
            throw ControlError.invalidInput("\(actions.count) actions given; an episode of \(name) has at most \(stepLimit)")
        }
        try restore(state: state, warmstart: warmstart)
        var result = ReplayResult(observations: [observe().values], rewards: [], discounts: [])
        result.observations.reserveCapacity(actions.count + 1)
        if recordingStates { result.states = [] }
        for (t, action) in actions.enumerated() {
            if recordingStates { result.states?.append(physics.data.state) }
            let timeStep: TimeStep
            do {
                timeStep = try step(action)
            } catch let error as ControlError {
                throw ControlError.invalidInput("action \(t): \(error)")
            }
            result.observations.append(timeStep.observation.values)
            result.rewards.append(timeStep.reward)
            result.discounts.append(timeStep.discount)
        }
        return result
    }
}
