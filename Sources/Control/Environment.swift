/// Where an agent step falls in its episode.
public enum StepType: String, Sendable, Codable {
    /// The observation after `reset`; it carries no reward.
    case first
    case mid
    /// The final step of an episode. At a time limit its discount is 1: the
    /// episode was truncated, not terminated, so learners should bootstrap.
    case last
}

/// One named part of an observation, with its flat size.
public struct ObservationKey: Sendable, Equatable, Hashable, Codable {
    public let name: String
    public let size: Int
    public init(_ name: String, _ size: Int) { self.name = name; self.size = size }
}

/// The ordered parts of a task's observation. The flat observation is their
/// concatenation in this order (dm_control's `flatten_observation`).
public struct ObservationSpec: Sendable, Equatable, Codable {
    public let keys: [ObservationKey]
    public init(_ keys: [ObservationKey]) { self.keys = keys }
    /// Length of the flat observation.
    public var size: Int { keys.reduce(0) { $0 + $1.size } }
    /// The range of `key` within the flat observation, or nil if there is no such key.
    public func range(of key: String) -> Range<Int>? {
        var start = 0
        for part in keys {
            if part.name == key { return start..<(start + part.size) }
            start += part.size
        }
        return nil
    }
}

/// Bounds of a continuous action vector.
public struct ActionSpec: Sendable, Equatable, Codable {
    public let lower: [Double]
    public let upper: [Double]
    public init(lower: [Double], upper: [Double]) { self.lower = lower; self.upper = upper }
    public var size: Int { lower.count }
}

/// An observation: the flat vector, readable by key.
public struct Observation: Sendable, Equatable {
    public let spec: ObservationSpec
    /// All parts concatenated in `spec` order.
    public let values: [Double]
    public init(spec: ObservationSpec, values: [Double]) { self.spec = spec; self.values = values }
    /// The part named `key`, or nil when the spec has no such key.
    public subscript(key: String) -> ArraySlice<Double>? {
        spec.range(of: key).map { values[$0] }
    }
}

/// What an environment returns from `reset` and `step`.
public struct TimeStep: Sendable, Equatable {
    public let stepType: StepType
    /// The reward for the step just taken; 0 on the first step of an episode.
    public let reward: Double
    /// 1 except where an episode terminates (none of the suite's tasks do;
    /// a time-limit end keeps discount 1). 1 on the first step.
    public let discount: Double
    public let observation: Observation

    public init(stepType: StepType, reward: Double, discount: Double, observation: Observation) {
        self.stepType = stepType; self.reward = reward; self.discount = discount; self.observation = observation
    }

    public var isLast: Bool { stepType == .last }
}

/// A reinforcement-learning environment in dm_control's terms.
public protocol Environment: AnyObject {
    var actionSpec: ActionSpec { get }
    var observationSpec: ObservationSpec { get }
    /// Starts a new episode. With a seed the environment's random stream is
    /// restarted from it; without one it continues.
    func reset(seed: UInt64?) throws -> TimeStep
    /// Applies `action` for one agent step. After a `.last` step, the next
    /// call starts a new episode, as in dm_control.
    func step(_ action: [Double]) throws -> TimeStep
}
