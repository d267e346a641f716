import CEGL

/// An OpenGL (compatibility profile) context with no window and no display
/// server, made current on the creating thread.
///
/// Tries EGL's device platform first (a GPU, or Mesa's software device), then
/// Mesa's surfaceless platform. Rendering happens in framebuffer objects, so
/// no surface is needed. Use it on the thread that created it.
public final class HeadlessGLContext: GLContext {
    private let display: EGLDisplay
    private let context: EGLContext
    public let backend = GLBackend.egl
    /// The GL implementation's name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    public let renderer: String
    /// The largest width or height an off-screen buffer can have.
    public let maxBufferSize: Int

    /// - Throws: `RenderError.glUnavailable`, naming the packages to install.
    public init() throws {
        guard rrl_egl_library() != nil else {
            throw RenderError.glUnavailable(backend: .egl, detail: "libEGL.so.1 cannot be loaded")
        }
        var failures: [String] = []
        var opened: (EGLDisplay, EGLContext)?
        for display in Self.candidateDisplays() {
            do {
                opened = (display.display, try Self.makeContext(on: display.display))
                break
            } catch let error as RenderError {
                failures.append("\(display.name): \(error.detail)")
            }
        }
        guard let (display, context) = opened else {
            let detail = failures.isEmpty ? "no EGL display (libEGL found no vendor library)" : failures.joined(separator: "; ")
            throw RenderError.glUnavailable(backend: .egl, detail: detail)
        }
        self.display = display
        self.context = context
        renderer = rrl_gl_renderer().map { String(cString: $0) } ?? "unknown"
        maxBufferSize = Int(rrl_gl_max_renderbuffer_size())
    }

    // The display stays initialised: EGL hands every context of a platform
    // the same display, and terminating it would invalidate the others.
    deinit {
        if rrl_eglGetCurrentContext() == context { rrl_eglMakeCurrent(display, nil, nil, nil) }
        rrl_eglDestroyContext(display, context)
    }

    public func makeCurrent() {
        rrl_eglMakeCurrent(display, nil, nil, context)
    }

    private struct Candidate { let name: String; let display: EGLDisplay }

    private static func candidateDisplays() -> [Candidate] {
        var candidates: [Candidate] = []
        var devices = [EGLDeviceEXT?](repeating: nil, count: 8)
        let count = Int(rrl_egl_query_devices(&devices, Int32(devices.count)))
        for (index, device) in devices.prefix(count).enumerated() {
            if let device, let display = rrl_eglGetPlatformDisplay(EGLenum(EGL_PLATFORM_DEVICE_EXT), device, nil) {
                candidates.append(Candidate(name: "EGL device \(index)", display: display))
            }
        }
        if let display = rrl_eglGetPlatformDisplay(EGLenum(EGL_PLATFORM_SURFACELESS_MESA), nil, nil) {
            candidates.append(Candidate(name: "surfaceless platform", display: display))
        }
        return candidates
    }

    private static func makeContext(on display: EGLDisplay) throws -> EGLContext {
        var major: EGLint = 0, minor: EGLint = 0
        guard rrl_eglInitialize(display, &major, &minor) == EGL_TRUE else { throw failure("eglInitialize") }
        let attributes: [EGLint] = [
            EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8,
            EGL_DEPTH_SIZE, 24, EGL_STENCIL_SIZE, 8,
            EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, 0,
            EGL_NONE,
        ]
        var config: EGLConfig?
        var matching: EGLint = 0
        guard rrl_eglChooseConfig(display, attributes, &config, 1, &matching) == EGL_TRUE, matching > 0, let config else {
            throw failure("no RGBA8/depth24 OpenGL config")
        }
        guard rrl_eglBindAPI(EGLenum(EGL_OPENGL_API)) == EGL_TRUE else { throw failure("eglBindAPI(EGL_OPENGL_API)") }
        // No attributes: the default is a compatibility-profile context, which
        // MuJoCo's fixed-function renderer needs.
        guard let context = rrl_eglCreateContext(display, config, nil, nil) else { throw failure("eglCreateContext") }
        guard rrl_eglMakeCurrent(display, nil, nil, context) == EGL_TRUE else {
            rrl_eglDestroyContext(display, context)
            throw failure("eglMakeCurrent without a surface")
        }
        return context
    }

    private static func failure(_ step: String) -> RenderError {
        .glUnavailable(backend: .egl, detail: "\(step) failed, EGL error 0x\(String(rrl_eglGetError(), radix: 16))")
    }
}

extension RenderError {
    /// The detail of a `.glUnavailable` error, or the whole message.
    var detail: String {
        if case let .glUnavailable(_, detail) = self { return detail }
        return description
    }
}
