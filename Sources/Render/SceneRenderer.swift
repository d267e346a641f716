import CMuJoCo
import MuJoCo

/// Renders a model's simulation state to RGB images with MuJoCo's own
/// renderer, off screen, in an OpenGL context (headless EGL by default).
///
/// Rendering only reads the simulation (`mjv_updateScene`); it never steps or
/// changes it. The renderer enlarges the model's off-screen buffer size,
/// which only affects rendering.
/// Use a renderer on the thread that created it.
public final class SceneRenderer {
    public let model: Model
    public let width: Int
    public let height: Int
    public let quality: RenderQuality
    /// The GL context frames are drawn in; may be shared by several renderers.
    public let context: any GLContext
    private let scene: UnsafeMutablePointer<mjvScene>
    private let glResources: UnsafeMutablePointer<mjrContext>
    private var options = mjvOption()
    private var camera = mjvCamera()

    /// The largest width or height rendered, whatever the GL context allows:
    /// MuJoCo's off-screen buffer is multisampled and has room for a caption
    /// band, so a frame at the context's own limit (16384 with Mesa) fails
    /// inside MuJoCo, which ends the process.
    public static let maximumSize = 8192

    /// - Parameters:
    ///   - context: a GL context to draw in; a new one (through `backend`) when nil.
    /// - Throws: `RenderError` for an unknown camera (listing the valid ones),
    ///   a size outside 1…the GL limit, or no usable GL.
    public init(model: Model, width: Int, height: Int, camera choice: CameraChoice = .free,
                quality: RenderQuality = .quality, backend: GLBackend = .egl,
                context: (any GLContext)? = nil) throws {
        MuJoCoRuntime.installHandlers()
        // Cheap checks first: no GL context is made for a bad camera.
        let resolvedCamera = try Self.camera(for: choice, in: model)
        let context = try context ?? backend.makeContext()
        context.makeCurrent()
        let limit = min(Self.maximumSize, context.maxBufferSize > 0 ? context.maxBufferSize : 4096)
        guard (1...limit).contains(width), (1...limit).contains(height) else {
            throw RenderError.invalidSize(width: width, height: height, limit: limit)
        }
        self.model = model; self.width = width; self.height = height; self.quality = quality
        self.context = context
        self.camera = resolvedCamera

        let m = model.raw
        m.pointee.vis.global.offwidth = max(m.pointee.vis.global.offwidth, Int32(width))
        // Room below the frame for a caption band (four lines of text at the larger font).
        m.pointee.vis.global.offheight = max(m.pointee.vis.global.offheight, Int32(min(limit, height + 160)))
        // Multisampling and the shadow map's size are read once, by
        // mjr_makeContext; they are put back afterwards so that other
        // renderers of the same model get the model's own settings.
        let (samples, shadowSize) = (m.pointee.vis.quality.offsamples, m.pointee.vis.quality.shadowsize)
        defer { (m.pointee.vis.quality.offsamples, m.pointee.vis.quality.shadowsize) = (samples, shadowSize) }
        if quality == .fast { m.pointee.vis.quality.offsamples = 0 }
        // MuJoCo's default 4096² shadow map is more than frames up to 640×480
        // can show, and software GL pays for every texel of it.
        m.pointee.vis.quality.shadowsize = min(shadowSize, 1024)

        mjv_defaultOption(&options)
        scene = .allocate(capacity: 1)
        mjv_defaultScene(scene)
        mjv_makeScene(m, scene, 2000)
        if quality == .fast {
            withUnsafeMutableBytes(of: &scene.pointee.flags) { flags in
                for flag in [mjRND_SHADOW, mjRND_REFLECTION, mjRND_SKYBOX] { flags[Int(flag.rawValue)] = 0 }
            }
        }
        glResources = .allocate(capacity: 1)
        mjr_defaultContext(glResources)
        let fontScale = height >= 400 ? mjFONTSCALE_150 : mjFONTSCALE_100
        mjr_makeContext(m, glResources, Int32(fontScale.rawValue))
        mjr_setBuffer(Int32(mjFB_OFFSCREEN.rawValue), glResources)
        guard glResources.pointee.currentBuffer == Int32(mjFB_OFFSCREEN.rawValue) else {
            mjr_freeContext(glResources); glResources.deallocate()
            mjv_freeScene(scene); scene.deallocate()
            throw RenderError.glUnavailable(backend: context.backend, detail: "the context has no off-screen framebuffer")
        }
    }

    deinit {
        context.makeCurrent()
        mjr_freeContext(glResources)
        glResources.deallocate()
        mjv_freeScene(scene)
        scene.deallocate()
    }

    /// The model's cameras by name ("camera N" for unnamed ones), in index order.
    public static func cameraNames(of model: Model) -> [String] {
        (0..<Int(model.raw.pointee.ncam)).map { id in
            mj_id2name(model.raw, Int32(mjOBJ_CAMERA.rawValue), Int32(id)).map { String(cString: $0) } ?? "camera \(id)"
        }
    }

    /// The body a tracking camera follows: the first child of the world that
    /// has joints (the root of the articulated model), else body 1.
    public static func rootBody(of model: Model) -> Int {
        let m = model.raw.pointee
        for body in 1..<max(1, Int(m.nbody)) where m.body_parentid[body] == 0 && m.body_jntnum[body] > 0 {
            return body
        }
        return min(1, Int(m.nbody) - 1)
    }

    /// Renders the current state of `data` (a simulation of this renderer's model).
    public func render(_ data: SimulationData) -> RGBImage {
        read(data, captionLines: [])
    }

    /// Renders the current state of `data` with a caption band below it:
    /// label–value pairs, as many per line as fit the width. The image is
    /// taller than `height` by `captionBandHeight(for:)`; its top `height`
    /// rows are the plain frame.
    public func render(_ data: SimulationData, caption: [(label: String, value: String)]) -> RGBImage {
        read(data, captionLines: captionLines(caption))
    }

    /// Height in pixels of the caption band `caption` needs (0 for none).
    public func captionBandHeight(for caption: [(label: String, value: String)]) -> Int {
        bandHeight(lines: captionLines(caption).count)
    }

    private func bandHeight(lines: Int) -> Int {
        let lineHeight = Int(glResources.pointee.charHeight)
        return lines == 0 ? 0 : min(maxBand, lines * lineHeight + lineHeight / 2 + 6)
    }

    /// Packs pairs into lines no wider than the frame (a pair wider than the frame gets a line of its own).
    private func captionLines(_ caption: [(label: String, value: String)]) -> [String] {
        let available = width - Int(glResources.pointee.charHeight) / 2
        func textWidth(_ text: String) -> Int {
            withUnsafeBytes(of: glResources.pointee.charWidth) { widths in
                let table = widths.bindMemory(to: Int32.self)
                return text.utf8.reduce(0) { $0 + Int($1 < 127 ? table[Int($1)] : table[Int(UInt8(ascii: "?"))]) }
            }
        }
        // Lay out by label and a fixed value allowance (as wide as "-0.000"),
        // so every frame with the same labels gets the same lines and height.
        func allowance(_ pair: (label: String, value: String)) -> Int {
            textWidth(pair.label + " ") + max(textWidth(pair.value), textWidth("-0.000"))
        }
        let gap = textWidth("  ")
        var lines: [String] = []
        var lineWidth = 0
        for pair in caption {
            let text = "\(pair.label) \(pair.value)"
            if !lines.isEmpty, lineWidth + gap + allowance(pair) <= available {
                lines[lines.count - 1] += "  " + text
                lineWidth += gap + allowance(pair)
            } else {
                lines.append(text)
                lineWidth = allowance(pair)
            }
        }
        return lines
    }

    /// Shows `image` in `window` (this renderer's context), centred on black,
    /// with `overlays` drawn over it, and swaps the window's buffers.
    /// - Returns: what the window shows, when `capture` is true.
    @discardableResult
    public func present(_ image: RGBImage, overlays: [WindowOverlay], in window: ViewerWindow, capture: Bool = false) -> RGBImage? {
        precondition(window === context, "SceneRenderer.present: the window is not this renderer's context")
        window.makeCurrent()
        mjr_setBuffer(Int32(mjFB_WINDOW.rawValue), glResources)
        let whole = mjrRect(left: 0, bottom: 0, width: Int32(window.width), height: Int32(window.height))
        mjr_rectangle(whole, 0, 0, 0, 1)
        let placed = mjrRect(left: Int32(max(0, (window.width - image.width) / 2)),
                             bottom: Int32(max(0, (window.height - image.height) / 2)),
                             width: Int32(image.width), height: Int32(image.height))
        // GL's rows run bottom-up.
        var rows = image.flippedVertically().pixels
        mjr_drawPixels(&rows, nil, placed, glResources)
        for overlay in overlays {
            mjr_overlay(Int32(mjFONT_NORMAL.rawValue), overlay.gridPosition, whole, overlay.labels,
                        overlay.values.isEmpty ? nil : overlay.values, glResources)
        }
        var shown: RGBImage?
        if capture {
            var pixels = [UInt8](repeating: 0, count: window.width * window.height * 3)
            mjr_readPixels(&pixels, nil, whole, glResources)
            shown = RGBImage(width: window.width, height: window.height, pixels: pixels).flippedVertically()
        }
        window.swapBuffers()
        return shown
    }

    private var maxBand: Int { Int(model.raw.pointee.vis.global.offheight) - height }

    private func read(_ data: SimulationData, captionLines lines: [String]) -> RGBImage {
        precondition(data.model === model, "SceneRenderer: data belongs to a different model")
        context.makeCurrent()
        if camera.type == Int32(mjCAMERA_TRACKING.rawValue) {
            // MuJoCo's tracking camera closes only part of the gap to the body
            // per frame; aim it exactly, so a frame depends on the state alone.
            let com = data.raw.pointee.subtree_com + 3 * Int(camera.trackbodyid)
            camera.lookat = (com[0], com[1], com[2])
        }
        // Renderers sharing a GL context each have their own framebuffer.
        mjr_setBuffer(Int32(mjFB_OFFSCREEN.rawValue), glResources)
        mjv_updateScene(model.raw, data.raw, &options, nil, &camera, Int32(mjCAT_ALL.rawValue), scene)
        let band = bandHeight(lines: lines.count)
        let sceneViewport = mjrRect(left: 0, bottom: Int32(band), width: Int32(width), height: Int32(height))
        mjr_render(sceneViewport, scene, glResources)
        if band > 0 {
            let bandViewport = mjrRect(left: 0, bottom: 0, width: Int32(width), height: Int32(band))
            mjr_rectangle(bandViewport, 0.08, 0.08, 0.1, 1)
            mjr_overlay(Int32(mjFONT_NORMAL.rawValue), Int32(mjGRID_TOPLEFT.rawValue), bandViewport,
                        lines.joined(separator: "\n"), nil, glResources)
        }
        let whole = mjrRect(left: 0, bottom: 0, width: Int32(width), height: Int32(height + band))
        var pixels = [UInt8](repeating: 0, count: width * (height + band) * 3)
        mjr_readPixels(&pixels, nil, whole, glResources)
        return RGBImage(width: width, height: height + band, pixels: pixels).flippedVertically()
    }

    private static func camera(for choice: CameraChoice, in model: Model) throws -> mjvCamera {
        var camera = mjvCamera()
        mjv_defaultCamera(&camera)
        let names = cameraNames(of: model)
        let valid = names.enumerated().map { "\($0.element) (\($0.offset))" } + ["track", "free"]
        switch choice {
        case let .named(name):
            guard let id = names.firstIndex(of: name) else { throw RenderError.unknownCamera(name, valid: valid) }
            camera.type = Int32(mjCAMERA_FIXED.rawValue)
            camera.fixedcamid = Int32(id)
        case let .index(id):
            guard names.indices.contains(id) else { throw RenderError.unknownCamera(String(id), valid: valid) }
            camera.type = Int32(mjCAMERA_FIXED.rawValue)
            camera.fixedcamid = Int32(id)
        case .tracking:
            camera.type = Int32(mjCAMERA_TRACKING.rawValue)
            camera.trackbodyid = Int32(rootBody(of: model))
            camera.distance = 2.2 * model.raw.pointee.stat.extent
            camera.azimuth = 90
            camera.elevation = -15
        case .free:
            mjv_defaultFreeCamera(model.raw, &camera)
        }
        return camera
    }
}
