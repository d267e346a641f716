import MuJoCo
import Randomness

/// A task and its physics as an `Environment`: dm_control's `control.Environment`.
public final class ControlEnvironment: Environment {
    /// The suite name, e.g. "walker-walk".
    public let name: String
    public let physics: Physics
    public let task: any ControlTask
    /// Agent steps per episode (1000 for the suite's tasks).
    public let stepLimit: Int
    public let actionSpec: ActionSpec
    public let observationSpec: ObservationSpec
    private let substeps: Int

    private var random: SeededRandom
    private var stepCount = 0
    private var needsReset = true

    public init(name: String, physics: Physics, task: any ControlTask, stepLimit: Int = 1000, seed: UInt64 = 0) throws {
        try task.configure(physics.model)
        self.name = name
        self.physics = physics
        self.task = task
        self.stepLimit = stepLimit
        self.random = SeededRandom(seed: seed)
        self.observationSpec = task.observationSpec
        self.substeps = task.substeps
        let ranges = physics.model.controlRange
        self.actionSpec = ActionSpec(lower: ranges.map(\.lowerBound), upper: ranges.map(\.upperBound))
    }

    /// Agent steps taken in the current episode.
    public var episodeStep: Int { stepCount }

    public func reset(seed: UInt64? = nil) throws -> TimeStep {
        if let seed { random = SeededRandom(seed: seed) }
        physics.reset()
        try task.initializeEpisode(physics, random: &random)
        physics.forwardWithoutActuation()
        stepCount = 0
        needsReset = false
        return TimeStep(stepType: .first, reward: 0, discount: 1, observation: observe())
    }

    public func step(_ action: [Double]) throws -> TimeStep {
        if needsReset { return try reset(seed: nil) }
        try validate(action)
        physics.setControl(action)
        do {
            try physics.step(substeps: substeps)
        } catch {
            needsReset = true
            throw error
        }
        stepCount += 1
        let reward = task.reward(physics)
        let observation = observe()
        if stepCount >= stepLimit {
            needsReset = true
            return TimeStep(stepType: .last, reward: reward, discount: 1, observation: observation)
        }
        return TimeStep(stepType: .mid, reward: reward, discount: 1, observation: observation)
    }

    /// Restores a recorded physics state (qpos, qvel, act) in place of an
    /// episode's random start, then continues the episode from it:
    /// `mj_resetData`, set the state, one forward pass without actuation.
    ///
    /// `warmstart` is the constraint solver's warm start (`qacc_warmstart`, nv
    /// entries) for that forward pass; by default it is zero, as after
    /// `mj_resetData`. The fixtures under Tests/ControlTests are recorded the
    /// same way, so replays agree exactly.
    public func restore(state: [Double], warmstart: [Double]? = nil) throws {
        try restore(state: state, warmstart: warmstart, resetFirst: true)
    }

    private func restore(state: [Double], warmstart: [Double]?, resetFirst: Bool) throws {
        if resetFirst { physics.data.reset() }
        do { try physics.data.setState(state) } catch let error as MuJoCoError {
            throw ControlError.invalidInput("\(name): \(error.message)")
        }
        if let warmstart {
            let target = physics.data.qaccWarmstart
            guard warmstart.count == target.count else {
                throw ControlError.invalidInput("\(name): warm start has \(warmstart.count) entries; this model needs nv = \(target.count)")
            }
            for i in 0..<target.count { target[i] = warmstart[i] }
        }
        physics.forwardWithoutActuation()
        stepCount = 0
        needsReset = false
    }

    /// Everything that determines how this environment continues: the physics
    /// state and time, the solver's warm start, the episode's step count and the
    /// stream initial states are drawn from.
    public struct Snapshot: Sendable, Equatable {
        public var state: [Double]
        public var warmstart: [Double]
        public var time: Double
        public var stepCount: Int
        public var needsReset: Bool
        public var random: SeededRandom

        public init(state: [Double], warmstart: [Double], time: Double, stepCount: Int, needsReset: Bool,
                    random: SeededRandom) {
            self.state = state; self.warmstart = warmstart; self.time = time
            self.stepCount = stepCount; self.needsReset = needsReset; self.random = random
        }
    }

    /// The environment as it stands between two steps.
    public func snapshot() -> Snapshot {
        Snapshot(state: physics.data.state, warmstart: Array(physics.data.qaccWarmstart), time: physics.data.time,
                 stepCount: stepCount, needsReset: needsReset, random: random)
    }

    /// Puts the environment back where `snapshot` was taken, so that the same
    /// actions give bit-identical steps: `mj_resetData`, the state, time and
    /// warm start, then a forward pass (every derived quantity a step reads is
    /// recomputed from those, and the warm start is put back after it).
    public func restore(_ snapshot: Snapshot) throws {
        physics.data.reset()
        physics.data.time = snapshot.time
        try restore(state: snapshot.state, warmstart: snapshot.warmstart, resetFirst: false)
        // The forward pass leaves its own solution as the warm start; the next
        // step must start its constraint solve from the interrupted run's.
        let warmstart = physics.data.qaccWarmstart
        for i in 0..<warmstart.count { warmstart[i] = snapshot.warmstart[i] }
        stepCount = snapshot.stepCount
        needsReset = snapshot.needsReset
        random = snapshot.random
    }

    /// The observation of the current state.
    public func observe() -> Observation {
        var values = [Double]()
        values.reserveCapacity(observationSpec.size)
        task.observe(physics, into: &values)
        return Observation(spec: observationSpec, values: values)
    }

    private func validate(_ action: [Double]) throws {
        guard action.count == actionSpec.size else {
            throw ControlError.wrongActionSize(got: action.count, expected: actionSpec.size)
        }
        for (index, value) in action.enumerated() where !value.isFinite {
            throw ControlError.nonFiniteAction(index: index, value: value)
        }
    }
}
