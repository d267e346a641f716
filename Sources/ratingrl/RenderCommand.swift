import ArgumentParser
import Control
import Foundation
import Playback
import Render

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render replays, rated segments or a run's policy to PNG frames, a filmstrip or a video (headless).",
        discussion: """
        Sources (exactly one): --task NAME (its initial state for --seed, then --steps random actions); --replay FILE (the JSON `replay` reads); --run DIR with --rating K (line K of
        DIR/ratings.jsonl, from 0), --best K / --worst K (the K highest / lowest rated segments, ties broken by
        true return) or --episodes N (the run's policy, deterministic, from DIR/checkpoint.weights).
        Outputs (at least one): --output DIR (frame-NNNN.png), --filmstrip FILE.png (every k-th frame side by side,
        one row per segment, captioned with step, reward and, for rated segments, class and true return),
        --video FILE.mp4|.webm (through Debian's ffmpeg, at the task's real-time rate).
        Default cameras: cartpole "fixed", ball_in_cup and finger "cam0", cheetah and walker "side", quadruped "y".
        """)

    @OptionGroup var segments: SegmentSourceOptions
    @Option(name: .long, help: ArgumentHelp("Render N episodes of the run's policy.", valueName: "N"))
    var episodes: Int?
    @Option(name: .long, help: ArgumentHelp("Render a task's initial state, then --steps random actions.", valueName: "task"))
    var task: String?
    @Option(name: .long, help: ArgumentHelp("Random actions after the initial state, with --task.", valueName: "N"))
    var steps = 0
    @Option(name: .long, help: "Seed: the first episode for --episodes, the initial state and actions for --task.", transform: parseSeed)
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("Folder for PNG frames.", valueName: "dir"))
    var output: String?
    @Option(name: .long, help: ArgumentHelp("Filmstrip PNG file.", valueName: "file.png"))
    var filmstrip: String?
    @Option(name: .long, help: ArgumentHelp("Filmstrip: take every k-th frame (default: about 8 per segment).", valueName: "k"))
    var every: Int?
    @Option(name: .long, help: ArgumentHelp("Video file (.mp4 or .webm).", valueName: "file"))
    var video: String?
    @Flag(name: .long, inversion: .prefixedNo, help: "Caption filmstrip frames with step, reward, class and true return.")
    var captions = true
    @Flag(name: .long, help: "Replace an existing --output folder.")
    var overwrite = false

    @OptionGroup var frame: FrameOptions<RenderFrameSize>
    @Option(name: .long, help: "OpenGL backend: egl (headless, the default), osmesa (Mesa's off-screen software renderer, headless) or glfw (a hidden window: needs a display, e.g. xvfb-run -a).")
    var gl = GLBackend.egl

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let source = try clipSource()
        let outputs = ClipWriter.Outputs(frameFolder: output, filmstrip: filmstrip, filmstripStride: every,
                                         video: video, captions: captions, overwrite: overwrite)
        guard !outputs.isEmpty else {
            throw ValidationFailure(message: "nothing to write: give --output DIR, --filmstrip FILE.png or --video FILE.mp4")
        }
        if let every, every < 1 { throw ValidationFailure(message: "--every must be at least 1") }
        let settings = frame.settings(backend: gl)
        let summary: RenderSummary
        do { summary = try RenderJob.run(source, settings: settings, outputs: outputs, models: try modelOptions.directory()) } catch {
            throw CleanExit.failure(error)
        }
        let written = [output, filmstrip, video].compactMap { $0 }.joined(separator: ", ")
        print("\(summary.task): \(summary.clips) clip(s), \(summary.frames) frames from camera \(summary.camera) at \(summary.framesPerSecond) fps -> \(written)")
        if case let .episodes(_, _, seed) = source {
            for (index, value) in summary.returns.enumerated() {
                print(String(format: "episode %d (seed %llu): return %.1f", index, seed + UInt64(index), value))
            }
            if summary.returns.count > 1 {
                let mean = summary.returns.reduce(0, +) / Double(summary.returns.count)
                print(String(format: "mean return %.1f over %d episodes", mean, summary.returns.count))
            }
        }
    }

    private func clipSource() throws -> ClipSource {
        var selectors = try segments.selectors()
        if let episodes {
            guard episodes >= 1 else { throw ValidationFailure(message: "--episodes must be at least 1, got \(episodes)") }
            selectors.append("--episodes")
        }
        if let task {
            guard segments.replay == nil, segments.runFolder == nil, selectors.isEmpty else {
                throw ValidationFailure(message: "--task cannot be combined with --replay, --run, --rating, --best, --worst or --episodes")
            }
            guard steps >= 0 else { throw ValidationFailure(message: "--steps must be 0 or more") }
            return .randomActions(task: try resolveTasks(task).first ?? task, steps: steps, seed: seed)
        }
        if let source = try segments.replaySource(others: selectors) { return source }
        guard let run = segments.runFolder else {
            throw ValidationFailure(message: "give a source: --task NAME, --replay FILE, or --run DIR with --rating, --best, --worst or --episodes")
        }
        guard selectors.count == 1 else {
            throw ValidationFailure(message: "--run needs exactly one of --rating K, --best K, --worst K, --episodes N")
        }
        return segments.runSource(run) ?? .episodes(run: run, count: episodes!, seed: seed)
    }
}
