import ArgumentParser
import Control
import Foundation
import Playback

struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Headless rendering speed per task: 84x84 fast and 640x480 quality frames/s, and a 50-step segment to MP4.",
        discussion: """
        Frames/s time rendering and read-back only (physics steps between frames are not timed). The MP4 is a whole `render --replay` of 50 steps with --width, --height and --quality (default 320x240, quality), GL set-up and ffmpeg included; --camera frames every measurement. Build with -c release.
        """)

    @Option(help: "A task, a comma-separated list, or 'all' for the six benchmark tasks.")
    var task = "all"

    @Option(help: "Frames timed at 84x84 per task (a quarter of them at 640x480).")
    var frames = 400

    @Flag(help: "Skip the segment-to-video timing (needs ffmpeg).")
    var noVideo = false

    @OptionGroup var frame: FrameOptions<RenderFrameSize>

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard frames >= 1 else { throw ValidationError("--frames must be at least 1") }
    }

    func run() throws {
        let tasks = try resolveTasks(task)
        let models = try modelOptions.directory()
        print("task                  setup s   84x84 fast fps   640x480 quality fps   50-step MP4 s")
        for name in tasks {
            let result: RenderBenchmark
            do {
                result = try RenderBenchmark.measure(task: name, models: models, frames: frames, settings: frame.settings(),
                                                     videoFolder: noVideo ? nil : FileManager.default.temporaryDirectory.path)
            } catch { throw CleanExit.failure(error) }
            print(pad(name, 22), pad(String(format: "%.2f", result.setupSeconds), 7, right: true),
                  pad(String(format: "%.0f", result.fastSmallFramesPerSecond), 16, right: true),
                  pad(String(format: "%.1f", result.qualityLargeFramesPerSecond), 21, right: true),
                  pad(result.segmentVideoSeconds.map { String(format: "%.2f", $0) } ?? "-", 15, right: true))
            fflush(nil)
        }
    }
}
