import MuJoCo
import Randomness

/// One task of the suite: how an episode starts, what the agent sees, and
/// what it is rewarded for. A domain file defines its physics accessors and
/// one or more tasks, as dm_control does.
public protocol ControlTask {
    /// Physics steps per agent step.
    var substeps: Int { get }
    /// The observation's keys, in order.
    var observationSpec: ObservationSpec { get }
    /// Edits the compiled model once, before the first episode, where the task
    /// changes what the XML says (e.g. finger-spin's hinge damping).
    func configure(_ model: Model) throws
    /// Sets the initial state of an episode. Called after `Physics.reset()`;
    /// the environment runs a forward pass (without actuation) afterwards.
    func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws
    /// Appends the flat observation, in `observationSpec` order.
    func observe(_ physics: Physics, into observation: inout [Double])
    /// The reward for the current state (each in [0, 1] for the suite's tasks).
    func reward(_ physics: Physics) -> Double
}

extension ControlTask {
    public func configure(_ model: Model) throws {}
}
