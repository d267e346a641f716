/// A current-able OpenGL (compatibility profile) context MuJoCo's renderer can draw in.
/// Use a context on the thread that created it.
public protocol GLContext: AnyObject {
    /// The backend that made it.
    var backend: GLBackend { get }
    /// The GL implementation's name, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
    var renderer: String { get }
    /// The largest width or height an off-screen buffer can have.
    var maxBufferSize: Int { get }
    /// Makes this context current on the calling thread.
    func makeCurrent()
}

extension GLBackend {
    /// A new context through this backend.
    /// - Throws: `RenderError.glUnavailable`, naming the backend and the
    ///   packages to install.
    public func makeContext() throws -> any GLContext {
        switch self {
        case .egl: try HeadlessGLContext()
        case .glfw: try GLFWContext()
        case .osmesa: try OSMesaContext()
        }
    }
}
