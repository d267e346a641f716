import MuJoCo

/// A model and its simulation, stepped the way dm_control steps them.
///
/// dm_control does not call `mj_step` n times for n substeps. With the Euler
/// integrator it finishes the previous step with `mj_step2`, runs n − 1 full
/// steps and ends with `mj_step1`; with RK4 it runs n full steps and then
/// `mj_step1`. Acceleration-based sensors therefore lag position sensors by a
/// substep; matching this order is what makes observations agree exactly.
public final class Physics: @unchecked Sendable {
    public let model: Model
    public let data: SimulationData
    private let integrator: Integrator

    public init(model: Model) throws {
        self.model = model
        self.data = try SimulationData(model: model)
        self.integrator = model.integrator
    }

    /// Advances `substeps` physics steps (one agent step). Expects derived
    /// quantities to be current, as they are after `reset`, a forward pass or
    /// a previous `step`.
    /// - Throws: `ControlError.physicsDiverged` when MuJoCo raised a warning.
    public func step(substeps: Int) throws {
        if integrator == .euler {
            data.step2()
        } else {
            // RK4: the first step's position and velocity stages were already
            // computed by the previous mj_step1 or forward pass.
            data.stepWithCurrentVelocityStage()
        }
        for _ in 1..<max(substeps, 1) { data.step() }
        data.step1()
        if data.hasWarnings { throw ControlError.physicsDiverged(time: data.time) }
    }

    /// `mj_resetData`, then a forward pass with actuation disabled, as
    /// dm_control's `Physics.reset`.
    public func reset() {
        data.reset()
        forwardWithoutActuation()
    }

    /// Recomputes derived quantities after the state was set by hand, with
    /// actuation disabled (no meaningful control yet), as dm_control's `after_reset`.
    public func forwardWithoutActuation() {
        let wasDisabled = model.isActuationDisabled
        model.isActuationDisabled = true
        data.forward()
        model.isActuationDisabled = wasDisabled
    }

    /// Sets every actuator's control.
    public func setControl(_ action: [Double]) {
        let ctrl = data.ctrl
        for i in 0..<ctrl.count { ctrl[i] = action[i] }
    }
}

/// Errors of the environment layer. Each message says what to do about it.
public enum ControlError: Error, CustomStringConvertible, Equatable {
    case unknownTask(String, valid: [String])
    case modelsNotFound(searched: [String])
    /// A models folder that holds some of the suite's files but not all.
    case modelsIncomplete(folder: String, missing: [String])
    case wrongActionSize(got: Int, expected: Int)
    case nonFiniteAction(index: Int, value: Double)
    case physicsDiverged(time: Double)
    case initialStateNotFound(task: String, attempts: Int)
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .unknownTask(name, valid):
            return "unknown task '\(name)'. Valid tasks: \(valid.joined(separator: ", "))"
        case let .modelsNotFound(searched):
            return "the DeepMind Control Suite model files were not found (looked in: \(searched.joined(separator: ", "))). "
                + "Run `make models` in the RatingRL checkout, or point RATINGRL_MODELS (or --models) at the folder."
        case let .modelsIncomplete(folder, missing):
            return "the models folder \(folder) lacks \(missing.joined(separator: ", ")). "
                + "Run `make models` in the RatingRL checkout to fetch the suite's model files again."
        case let .wrongActionSize(got, expected):
            return "action has \(got) entries; this task takes \(expected)"
        case let .nonFiniteAction(index, value):
            return "action entry \(index) is \(value); actions must be finite numbers"
        case let .physicsDiverged(time):
            return "the simulation became unstable at t = \(time) s (MuJoCo raised a warning); reset the environment"
        case let .initialStateNotFound(task, attempts):
            return "\(task): no contact-free initial state found in \(attempts) attempts"
        case let .invalidInput(message):
            return message
        }
    }
}
