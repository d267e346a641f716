import Control
import Foundation
import Render
import Training

/// What to render.
public enum ClipSource: Sendable, Equatable {
    /// A replay request (the JSON `ratingrl replay` reads).
    case replay(ReplayRequest)
    /// Rating `index` (line index from 0) of the run in `run`.
    case rating(run: String, index: Int)
    /// Every rating of the run, in file order.
    case allRatings(run: String)
    /// The run's `count` highest-rated segments.
    case best(run: String, count: Int)
    /// The run's `count` lowest-rated segments.
    case worst(run: String, count: Int)
    /// `count` episodes of the run's policy (checkpoint.weights), seeds `seed`, `seed`+1, ….
    case episodes(run: String, count: Int, seed: UInt64)
    /// A task's initial state for `seed`, then `steps` uniformly random actions (seeded by `seed`).
    case randomActions(task: String, steps: Int, seed: UInt64)
}

/// How frames look.
public struct RenderSettings: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// nil: the task's default (`TaskView.defaultCamera`).
    public var camera: CameraChoice?
    public var quality: RenderQuality
    public var backend: GLBackend

    public init(width: Int = 320, height: Int = 240, camera: CameraChoice? = nil,
                quality: RenderQuality = .quality, backend: GLBackend = .egl) {
        self.width = width; self.height = height; self.camera = camera; self.quality = quality; self.backend = backend
    }
}

/// What a render job made.
public struct RenderSummary: Sendable, Equatable {
    public var task: String
    public var camera: String
    public var clips: Int
    public var frames: Int
    public var framesPerSecond: Double
    /// The sum of the rewards each clip played, in clip order (a policy
    /// episode's return).
    public var returns: [Double]
}

/// Renders a source's clips into the requested outputs.
public enum RenderJob {
    /// - Throws: `RenderError`, `RunError` or `ControlError` with a one-line
    ///   message; on any error no output is left behind.
    public static func run(_ source: ClipSource, settings: RenderSettings, outputs: ClipWriter.Outputs,
                           models: ModelDirectory) throws -> RenderSummary {
        let plan = try Plan(source)
        let environment = try Suite.make(plan.task, models: models)
        let camera = settings.camera ?? TaskView.defaultCamera(forTask: plan.task)
        let renderer = try SceneRenderer(model: environment.physics.model, width: settings.width, height: settings.height,
                                         camera: camera, quality: settings.quality, backend: settings.backend)
        let agent = try plan.policyRun.map { run in
            try RunDirectory.agent(in: run, config: RunDirectory.configuration(in: run),
                                   observationSize: environment.observationSpec.size,
                                   actionSize: environment.actionSpec.size)
        }
        let fps = TaskView.framesPerSecond(of: environment)
        let writer = try ClipWriter(outputs: outputs, clipCount: plan.clips.count, width: settings.width,
                                    height: settings.height, framesPerSecond: fps)
        let player = ClipPlayer(environment: environment, renderer: renderer)
        var frames = 0
        var returns: [Double] = []
        do {
            for clip in plan.clips {
                let rewards: [Double]
                switch clip.content {
                case let .segment(state, actions):
                    rewards = try player.playSegment(state: state, actions: actions, clip: clip.info, into: writer)
                case let .episode(seed):
                    rewards = try player.playEpisode(agent: agent!, seed: seed, clip: clip.info, into: writer)
                case let .random(steps, seed):
                    rewards = try player.playRandomActions(steps: steps, seed: seed, clip: clip.info, into: writer)
                }
                frames += rewards.count + 1
                returns.append(rewards.reduce(0, +))
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return RenderSummary(task: plan.task, camera: camera.description, clips: plan.clips.count, frames: frames,
                             framesPerSecond: fps, returns: returns)
    }

    /// The task and the clips a source stands for.
    struct Plan {
        enum Content {
            case segment(state: [Double], actions: [[Double]]), episode(seed: UInt64), random(steps: Int, seed: UInt64)
        }
        struct Clip { var info: ClipInfo; var content: Content }
        var task: String
        /// The run whose policy the clips play, if they play one.
        var policyRun: String?
        /// Whether clips start from recorded states (rather than the task's own initial states).
        var replaysStates = true
        var clips: [Clip]

        init(_ source: ClipSource) throws {
            switch source {
            case let .replay(request):
                task = request.task
                clips = [Clip(info: ClipInfo(name: "replay", firstStep: 0, frameCount: request.actions.count + 1),
                              content: .segment(state: request.state, actions: request.actions))]
            case let .randomActions(task, steps, seed):
                self.task = task
                clips = [Clip(info: ClipInfo(name: "random", firstStep: 0, frameCount: steps + 1),
                              content: .random(steps: steps, seed: seed))]
                replaysStates = false
            case let .rating(run, index):
                let ratings = try RunRatings(folder: run)
                task = ratings.task
                clips = [try Self.rated(ratings, index)]
            case let .allRatings(run):
                let ratings = try RunRatings(folder: run)
                guard !ratings.records.isEmpty else { throw RunError("\(run) has no ratings yet") }
                task = ratings.task
                clips = try ratings.records.indices.map { try Self.rated(ratings, $0) }
            case let .best(run, count), let .worst(run, count):
                let ratings = try RunRatings(folder: run)
                guard !ratings.records.isEmpty else { throw RunError("\(run) has no ratings yet") }
                task = ratings.task
                let indices: [Int]
                if case .best = source { indices = ratings.best(count) } else { indices = ratings.worst(count) }
                clips = try indices.map { try Self.rated(ratings, $0) }
            case let .episodes(run, count, seed):
                task = try RunDirectory.configuration(in: run).task
                guard FileManager.default.fileExists(atPath: run + "/checkpoint.weights") else {
                    throw RunError("\(run) has no checkpoint.weights yet (the run saves its policy at checkpoints)")
                }
                policyRun = run; replaysStates = false
                clips = (0..<count).map { i in
                    Clip(info: ClipInfo(name: "episode-\(i)", firstStep: 0, frameCount: 1001), content: .episode(seed: seed + UInt64(i)))
                }
            }
            if Suite.traits(of: task)?.replaysFromState == false && replaysStates {
                throw ControlError.invalidInput("\(task) segments cannot be replayed: the target position is drawn per episode and is not part of the state")
            }
        }

        private static func rated(_ ratings: RunRatings, _ index: Int) throws -> Clip {
            let record = try ratings.record(index)
            guard let state = record.startState else {
                throw RunError("rating \(index) of \(ratings.folder) has no start state (the run did not record segment states)")
            }
            return Clip(info: ClipInfo(name: "rating-\(index)", firstStep: record.startStep, frameCount: record.actions.count + 1,
                                       rating: record.rating, trueReturn: record.trueReturn),
                        content: .segment(state: state, actions: record.actions))
        }
    }
}
