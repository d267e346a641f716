import Control
import Foundation
import Render
import Training

/// Loops rated segments (or replays) in a window at real speed, with an
/// overlay of each one's class, true return and the run's predicted return,
/// and keys to move between them, pause, step, change speed and order, and
/// take screenshots.
///
/// Frames are rendered as playback first reaches them and kept for the clip
/// shown, so a clip plays at real speed from its second loop whatever the
/// renderer's speed.
public final class SegmentViewer {
    /// How the viewer starts and where it writes.
    public struct Options: Sendable {
        public var order: ViewerState.Order
        public var paused: Bool
        /// Folder for screenshots (created if missing).
        public var screenshotFolder: String
        public init(order: ViewerState.Order = .file, paused: Bool = false, screenshotFolder: String = ".") {
            self.order = order; self.paused = paused; self.screenshotFolder = screenshotFolder
        }
    }

    private let plan: RenderJob.Plan
    private let environment: ControlEnvironment
    private let predictionEnvironment: ControlEnvironment
    private let window: ViewerWindow
    private let renderer: SceneRenderer
    private let rewardModel: RunRewardModel?
    /// The rating scale's size, for a run's segments.
    private let classCount: Int?
    private let framesPerSecond: Double
    private let options: Options
    private let log: (String) -> Void
    private var state: ViewerState
    /// Frames of the clip shown, rendered so far.
    private var frames: [RGBImage] = []
    private var framesClip = -1

    /// Opens the window.
    /// - Parameters:
    ///   - source: `.replay`, `.rating`, `.allRatings`, `.best` or `.worst`.
    ///   - log: receives one line per change (clip, order, pause, screenshot).
    /// - Throws: `RenderError` (no display, bad camera or size), `RunError` or `ControlError`.
    public init(source: ClipSource, settings: RenderSettings, options: Options, models: ModelDirectory,
                log: @escaping (String) -> Void) throws {
        plan = try RenderJob.Plan(source)
        guard plan.clips.allSatisfy({ if case .segment = $0.content { true } else { false } }) else {
            throw RunError("the viewer shows rated segments and replays; use `ratingrl render` for policy episodes and random actions")
        }
        environment = try Suite.make(plan.task, models: models)
        predictionEnvironment = try Suite.make(plan.task, models: models)
        let run = Self.runFolder(of: source)
        let runConfig = try run.map(RunDirectory.configuration(in:))
        classCount = runConfig?.feedback?.classes
        let sizes = (observations: environment.observationSpec.size, actions: environment.actionSpec.size)
        rewardModel = try runConfig.flatMap { config in
            try RunRewardModel(run: run!, config: config, observationSize: sizes.observations, actionSize: sizes.actions)
        }
        let camera = settings.camera ?? TaskView.defaultCamera(forTask: plan.task)
        window = try ViewerWindow(width: settings.width, height: settings.height, title: "ratingrl view: \(plan.task)")
        renderer = try SceneRenderer(model: environment.physics.model, width: settings.width, height: settings.height,
                                     camera: camera, quality: settings.quality, context: window)
        framesPerSecond = TaskView.framesPerSecond(of: environment)
        self.options = options
        self.log = log
        state = ViewerState(clips: plan.clips.map {
            ViewerState.ClipFacts(frameCount: $0.info.frameCount, rating: $0.info.rating, trueReturn: $0.info.trueReturn)
        }, paused: options.paused)
        if options.order != .file { try setOrder(options.order) }
    }

    /// Shows clips until the window is closed or q / Esc is pressed.
    public func run() throws {
        try predict(state.clip)
        announceClip()
        var last = ContinuousClock.now
        var screenshotWanted = false
        while true {
            let framePeriod = 1 / (framesPerSecond * state.speed)
            for input in window.inputs(waiting: state.paused ? 0.1 : framePeriod / 2) {
                guard let command = ViewerState.Command(input) else { continue }
                if command == .quit { return }
                if command == .screenshot { screenshotWanted = true; continue }
                try apply(command)
            }
            let now = ContinuousClock.now
            state.advance(seconds: (now - last).seconds, framesPerSecond: framesPerSecond)
            last = now
            let image = try frame(state.frame, ofClip: state.clip)
            if let shown = renderer.present(image, overlays: overlays(), in: window, capture: screenshotWanted) {
                try saveScreenshot(shown)
                screenshotWanted = false
            }
        }
    }

    private func apply(_ command: ViewerState.Command) throws {
        let (clip, paused, speed, frame) = (state.clip, state.paused, state.speed, state.frame)
        if command == .cycleOrder {
            try setOrder(state.nextOrder)  // predictions first, when the next order needs them
        } else {
            state.apply(command)
        }
        if state.clip != clip || command == .cycleOrder {
            try predict(state.clip)
            announceClip()
        }
        if state.paused != paused { log(state.paused ? "paused at frame \(state.frame)" : "playing") }
        if state.speed != speed { log("speed \(Self.speedText(state.speed))") }
        if state.paused, state.frame != frame, state.clip == clip { log("frame \(state.frame)") }
    }

    /// Switches order, first predicting every clip's return when the order needs them.
    private func setOrder(_ order: ViewerState.Order) throws {
        if order == .disagreement {
            guard rewardModel != nil else {
                log("order disagreement needs the run's reward model (reward_model.weights); keeping order \(state.order.rawValue)")
                return
            }
            let missing = state.clips.indices.filter { state.clips[$0].predictedReturn == nil }
            if missing.count > 1 { log("predicting the returns of \(missing.count) segments") }
            for index in missing { try predict(index) }
        }
        state.setOrder(order)
        log("order \(order.rawValue)")
    }

    private func predict(_ index: Int) throws {
        guard let rewardModel, state.clips[index].predictedReturn == nil,
              case let .segment(start, actions) = plan.clips[index].content else { return }
        let replay = try predictionEnvironment.replay(state: start, actions: actions)
        state.setPredictedReturn(rewardModel.predictedReturn(observations: replay.observations, actions: actions), of: index)
    }

    private func announceClip() {
        let clip = plan.clips[state.clip].info
        let facts = state.clips[state.clip]
        var line = "clip \(state.position + 1)/\(state.sequence.count) \(clip.name)"
        if let rating = facts.rating { line += ": class \(rating)" }
        if let value = facts.trueReturn { line += ", true return \(Self.fixed(value))" }
        if let value = facts.predictedReturn { line += ", predicted \(Self.fixed(value))" }
        log(line)
    }

    /// Frame `index` of clip `clip`, rendering up to it if needed.
    private func frame(_ index: Int, ofClip clip: Int) throws -> RGBImage {
        guard case let .segment(start, actions) = plan.clips[clip].content else { preconditionFailure("segment clips only") }
        if clip != framesClip {
            try environment.restore(state: start)
            frames = [renderer.render(environment.physics.data)]
            framesClip = clip
        }
        while frames.count <= index {
            _ = try environment.step(actions[frames.count - 1])
            frames.append(renderer.render(environment.physics.data))
        }
        return frames[index]
    }

    private func overlays() -> [WindowOverlay] {
        let clip = plan.clips[state.clip].info
        let facts = state.clips[state.clip]
        var labels = ["clip", "step"], values = ["\(state.position + 1) / \(state.sequence.count)  \(clip.name)",
                                                 "\(clip.firstStep + state.frame)  (frame \(state.frame + 1) / \(clip.frameCount))"]
        if let rating = facts.rating {
            labels.append("class")
            values.append("\(rating)" + (classCount.map { "  (of 0-\($0 - 1))" } ?? ""))
        }
        if let value = facts.trueReturn { labels.append("true return"); values.append(Self.fixed(value)) }
        if rewardModel != nil {
            labels.append("predicted")
            values.append(facts.predictedReturn.map(Self.fixed) ?? "-")
        }
        if state.order == .disagreement {
            let score = state.disagreement[state.clip]
            if score >= 0 { labels.append("disagreement"); values.append(String(format: "%.2f", score)) }
        }
        labels += ["speed", "order"]
        values += [Self.speedText(state.speed) + (state.paused ? "  paused" : ""), state.order.rawValue]
        guard !state.showsHelp else {
            let help = ViewerState.Command.keyHelp
            return [WindowOverlay(.topLeft, labels: help.map(\.keys).joined(separator: "\n"),
                                  values: help.map(\.action).joined(separator: "\n"))]
        }
        return [WindowOverlay(.topLeft, labels: labels.joined(separator: "\n"), values: values.joined(separator: "\n")),
                WindowOverlay(.bottomLeft, labels: "h", values: "keys")]
    }

    private func saveScreenshot(_ image: RGBImage) throws {
        try FileManager.default.createDirectory(atPath: options.screenshotFolder, withIntermediateDirectories: true)
        let stem = URL(fileURLWithPath: options.screenshotFolder)
            .appendingPathComponent("view-\(plan.clips[state.clip].info.name)-frame\(state.frame)").path
        // A second screenshot of the same frame gets a number rather than replacing the first.
        var path = stem + ".png", copy = 1
        while FileManager.default.fileExists(atPath: path) { copy += 1; path = "\(stem)-\(copy).png" }
        try PNGEncoder.write(image, to: path)
        log("screenshot \(path)")
    }

    private static func runFolder(of source: ClipSource) -> String? {
        switch source {
        case let .rating(folder, _), let .allRatings(folder), let .best(folder, _), let .worst(folder, _): folder
        case .replay, .episodes, .randomActions: nil
        }
    }

    static func speedText(_ speed: Double) -> String {
        speed >= 1 ? "\(Int(speed))x" : "1/\(Int((1 / speed).rounded()))x"
    }

    static func fixed(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
