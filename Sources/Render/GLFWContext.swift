import CGLFW
import Foundation

/// The OpenGL context of a hidden GLFW window: for machines with a display
/// (or a virtual one such as Xvfb). Frames are still drawn off screen.
/// GLFW must be used from the main thread.
public final class GLFWContext: GLContext {
    private let window: OpaquePointer
    public let backend = GLBackend.glfw
    public let renderer: String
    public let maxBufferSize: Int

    /// - Throws: `RenderError.glUnavailable` when there is no display or no GL.
    public init() throws {
        guard glfwInit() == GLFW_TRUE else {
            throw RenderError.glUnavailable(backend: .glfw, detail: Self.lastError(or: "glfwInit failed")
                + "; it needs a display: set DISPLAY, run under `xvfb-run -a`, or use --gl egl")
        }
        glfwDefaultWindowHints()
        glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE)
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API)
        guard let window = glfwCreateWindow(64, 64, "ratingrl", nil, nil) else {
            throw RenderError.glUnavailable(backend: .glfw, detail: Self.lastError(or: "glfwCreateWindow failed"))
        }
        self.window = window
        glfwMakeContextCurrent(window)
        renderer = rrl_glfw_gl_renderer().map { String(cString: $0) } ?? "unknown"
        maxBufferSize = Int(rrl_glfw_max_renderbuffer_size())
    }

    // GLFW stays initialised: terminating it would destroy other contexts' windows.
    deinit {
        if glfwGetCurrentContext() == window { glfwMakeContextCurrent(nil) }
        glfwDestroyWindow(window)
    }

    public func makeCurrent() {
        glfwMakeContextCurrent(window)
    }

    /// GLFW's last error message, or `fallback`.
    static func lastError(or fallback: String) -> String {
        var description: UnsafePointer<CChar>?
        guard glfwGetError(&description) != GLFW_NO_ERROR, let description else { return fallback }
        return String(cString: description).trimmingCharacters(in: .whitespaces)
    }
}
