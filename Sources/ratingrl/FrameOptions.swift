import ArgumentParser
import Playback
import Render

/// How frames are drawn, for every command that renders (`render`, `view`,
/// `rate`, `bench render`): their size, camera and quality. Declared once
/// here; `Size` gives each command its default size, shown in its `--help`.
struct FrameOptions<Size: DefaultFrameSize>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Camera: a model camera's name or index, 'track' (follows the root body) or 'free'. Default: the task's.",
        valueName: "camera"))
    var camera: String?
    @Option(name: .long, help: "Frame width in pixels (1 to \(SceneRenderer.maximumSize)).")
    var width = Size.width
    @Option(name: .long, help: "Frame height in pixels (1 to \(SceneRenderer.maximumSize)).")
    var height = Size.height
    @Option(name: .long, help: "fast (no shadows, reflections, skybox) or quality.")
    var quality = RenderQuality.quality

    func validate() throws {
        let sizes = 1...SceneRenderer.maximumSize
        guard sizes.contains(width), sizes.contains(height) else {
            throw ValidationFailure(
                message: "--width and --height must be between 1 and \(SceneRenderer.maximumSize) pixels, got \(width)x\(height)")
        }
    }

    /// The frames these options ask for, drawn through `backend`.
    func settings(backend: GLBackend = .egl) -> RenderSettings {
        RenderSettings(width: width, height: height, camera: camera.map(CameraChoice.init), quality: quality, backend: backend)
    }
}

/// A command's default frame size (`--width`, `--height`).
protocol DefaultFrameSize {
    static var width: Int { get }
    static var height: Int { get }
}

/// `render`'s files and `bench render`'s video: 320 × 240.
enum RenderFrameSize: DefaultFrameSize {
    static var width: Int { 320 }
    static var height: Int { 240 }
}

/// `view`'s window: 640 × 480.
enum ViewFrameSize: DefaultFrameSize {
    static var width: Int { 640 }
    static var height: Int { 480 }
}

/// `rate`'s clips on the rating page: 480 × 360.
enum RatingClipSize: DefaultFrameSize {
    static var width: Int { 480 }
    static var height: Int { 360 }
}
