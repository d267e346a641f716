import Control
import Foundation
import Render

/// Headless rendering speed of one task: frames per second in fast and
/// quality modes, and the wall time of a segment rendered to a video.
public struct RenderBenchmark: Sendable, Codable {
    public let task: String
    /// Seconds to create the GL context and MuJoCo's GL resources.
    public let setupSeconds: Double
    /// Frames/s at 84×84, fast mode (render and read back only; stepping is not timed).
    public let fastSmallFramesPerSecond: Double
    /// Frames/s at 640×480, quality mode.
    public let qualityLargeFramesPerSecond: Double
    /// Seconds to replay a 50-step segment and encode it to an MP4 (by default at 320×240, quality), ffmpeg included.
    public let segmentVideoSeconds: Double?

    /// Measures `task`, rendering `frames` frames per mode along a rollout of zero actions.
    /// With `videoFolder`, also times a segment rendered to a video there (the file is removed)
    /// with `settings`; their camera (nil: the task's) frames every measurement.
    public static func measure(task: String, models: ModelDirectory, frames: Int, settings: RenderSettings = RenderSettings(),
                               videoFolder: String?) throws -> RenderBenchmark {
        let environment = try Suite.make(task, models: models)
        let camera = settings.camera ?? TaskView.defaultCamera(forTask: task)
        let setupStart = DispatchTime.now().uptimeNanoseconds
        let context = try HeadlessGLContext()
        let small = try SceneRenderer(model: environment.physics.model, width: 84, height: 84, camera: camera,
                                      quality: .fast, context: context)
        let setup = seconds(since: setupStart)
        let large = try SceneRenderer(model: environment.physics.model, width: 640, height: 480, camera: camera,
                                      quality: .quality, context: context)
        let fast = try framesPerSecond(small, environment, frames: frames)
        let quality = try framesPerSecond(large, environment, frames: max(10, frames / 4))
        var videoSeconds: Double?
        if let videoFolder {
            let state = environment.physics.data.state
            let actions = Array(repeating: environment.actionSpec.lower.map { _ in 0.0 }, count: 50)
            let path = videoFolder + "/.bench-render-\(getpid()).mp4"
            defer { unlink(path) }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try RenderJob.run(.replay(ReplayRequest(task: task, state: state, actions: actions)),
                                  settings: settings,
                                  outputs: .init(video: path), models: models)
            videoSeconds = seconds(since: start)
        }
        return RenderBenchmark(task: task, setupSeconds: setup, fastSmallFramesPerSecond: fast,
                               qualityLargeFramesPerSecond: quality, segmentVideoSeconds: videoSeconds)
    }

    private static func framesPerSecond(_ renderer: SceneRenderer, _ environment: ControlEnvironment, frames: Int) throws -> Double {
        _ = try environment.reset(seed: 0)
        _ = renderer.render(environment.physics.data)  // warm-up: first-use shader and texture work
        let zero = environment.actionSpec.lower.map { _ in 0.0 }
        var rendering: UInt64 = 0
        for _ in 0..<frames {
            if try environment.step(zero).isLast { _ = try environment.reset() }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = renderer.render(environment.physics.data)
            rendering += DispatchTime.now().uptimeNanoseconds - start
        }
        return Double(frames) / (Double(rendering) / 1e9)
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
