import Control
import Render

/// How a task is shown: its default camera and real-time frame rate.
public enum TaskView {
    /// The camera a task is rendered from unless another is asked for.
    ///
    /// dm_control's `render()` defaults to the free camera (-1); these are the
    /// suite models' own cameras that frame each task best: cartpole's fixed
    /// view of the whole rail, the ball-in-cup and finger front views, the
    /// side views that track cheetah and walker, and quadruped's tracking
    /// view from the side and above ("y"; "x" is too close to show the gait).
    public static func defaultCamera(forTask task: String) -> CameraChoice {
        switch task.split(separator: "-").first.map(String.init) ?? task {
        case "cartpole": .named("fixed")
        case "ball_in_cup", "finger": .named("cam0")
        case "cheetah", "walker": .named("side")
        case "quadruped": .named("y")
        default: .free
        }
    }

    /// Frames per second that play a task in real time: one frame per agent
    /// step, so 1 / (physics timestep × substeps) (e.g. cartpole 100, walker 40).
    public static func framesPerSecond(of environment: ControlEnvironment) -> Double {
        1 / (environment.physics.model.timestep * Double(environment.task.substeps))
    }
}
