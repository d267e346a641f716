import ArgumentParser
import Foundation
import Playback

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Loop a run's rated segments (or a replay) in a window, with their class, true return and predicted return.",
        discussion: """
        Sources: --run DIR (every rating in DIR/ratings.jsonl, or only --best K, --worst K or --rating K) or --replay FILE.

        The overlay shows the clip, its episode step, the class the rater gave, the segment's true return and the return the run's last reward model (DIR/reward_model.weights, with the policy's observation normaliser from DIR/checkpoint.weights) predicts for it.

        Keys: n or -> next clip, p or <- previous, space pause, . and , one frame forward / back, + and - faster / slower (1/8x to 4x real time), o order (file, rating: highest class first, disagreement: largest gap between the rank by class and the rank by predicted return first), s screenshot (PNG in --screenshots), h help, q or Esc quit. Each change is also printed, one line each. The window is --width x --height. Needs a display: on a machine without one, run under `xvfb-run -a` (and use `render` for files).
        """)

    @OptionGroup var segments: SegmentSourceOptions

    @Option(name: .long, help: "Start order: file, rating or disagreement.")
    var order = ViewerState.Order.file
    @Flag(name: .long, help: "Start paused on the first frame.")
    var paused = false
    @Option(name: .long, help: ArgumentHelp("Folder for screenshots (key s).", valueName: "dir"))
    var screenshots = "."

    @OptionGroup var frame: FrameOptions<ViewFrameSize>

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let source = try clipSource()
        let settings = frame.settings(backend: .glfw)
        let options = SegmentViewer.Options(order: order, paused: paused, screenshotFolder: screenshots)
        do {
            let viewer = try SegmentViewer(source: source, settings: settings, options: options,
                                           models: try modelOptions.directory()) { line in
                print(line)
                fflush(nil)
            }
            try viewer.run()
        } catch {
            throw CleanExit.failure(error)
        }
    }

    private func clipSource() throws -> ClipSource {
        let selectors = try segments.selectors()
        if let source = try segments.replaySource(others: selectors) { return source }
        guard let run = segments.runFolder else { throw ValidationFailure(message: "give a source: --run DIR or --replay FILE") }
        guard selectors.count <= 1 else { throw ValidationFailure(message: "give at most one of --best, --worst, --rating") }
        return segments.runSource(run) ?? .allRatings(run: run)
    }
}
