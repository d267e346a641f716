import COSMesa

/// An OpenGL context from Mesa's off-screen software renderer (OSMesa): no
/// display, no EGL. MuJoCo loads GL from the first GL library a process
/// uses, so use OSMesa in a process that renders with nothing else.
/// Use it on the thread that created it.
public final class OSMesaContext: GLContext {
    private let context: COSMesa.OSMesaContext
    /// The default framebuffer OSMesa draws into; MuJoCo renders into its own
    /// framebuffer objects, so a small one does.
    private let buffer: UnsafeMutableRawPointer
    private static let bufferSide = 16
    public let backend = GLBackend.osmesa
    public let renderer: String
    public let maxBufferSize: Int

    /// - Throws: `RenderError.glUnavailable` when libOSMesa is missing or fails.
    public init() throws {
        guard rrl_osmesa_library() != nil else {
            throw RenderError.glUnavailable(backend: .osmesa, detail: "libOSMesa.so.8 cannot be loaded")
        }
        guard let context = rrl_osmesa_create_context() else {
            throw RenderError.glUnavailable(backend: .osmesa, detail: "OSMesaCreateContextExt failed")
        }
        buffer = .allocate(byteCount: 4 * Self.bufferSide * Self.bufferSide, alignment: 16)
        guard rrl_osmesa_make_current(context, buffer, Int32(Self.bufferSide), Int32(Self.bufferSide)) != 0 else {
            rrl_osmesa_destroy_context(context)
            buffer.deallocate()
            throw RenderError.glUnavailable(backend: .osmesa, detail: "OSMesaMakeCurrent failed")
        }
        self.context = context
        renderer = rrl_osmesa_gl_renderer().map { String(cString: $0) } ?? "unknown"
        maxBufferSize = Int(rrl_osmesa_max_renderbuffer_size())
    }

    deinit {
        rrl_osmesa_destroy_context(context)
        buffer.deallocate()
    }

    public func makeCurrent() {
        _ = rrl_osmesa_make_current(context, buffer, Int32(Self.bufferSide), Int32(Self.bufferSide))
    }
}
