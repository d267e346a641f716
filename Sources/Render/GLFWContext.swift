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
        window = try Self.makeWindow(width: 64, height: 64, title: "ratingrl", visible: false,
                                     noDisplayAdvice: "set DISPLAY, run under `xvfb-run -a`, or use --gl egl")
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

    /// A window with an OpenGL context, made current; fixed size when visible.
    /// - Throws: `RenderError.glUnavailable` with `noDisplayAdvice` when GLFW finds no display.
    static func makeWindow(width: Int, height: Int, title: String, visible: Bool, noDisplayAdvice: String) throws -> OpaquePointer {
        guard glfwInit() == GLFW_TRUE else {
            throw RenderError.glUnavailable(backend: .glfw, detail: lastError(or: "glfwInit failed") + "; it needs a display: " + noDisplayAdvice)
        }
        glfwDefaultWindowHints()
        glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE)
        glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE)
        glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_API)
        guard let window = glfwCreateWindow(Int32(width), Int32(height), title, nil, nil) else {
            throw RenderError.glUnavailable(backend: .glfw, detail: lastError(or: "glfwCreateWindow failed"))
        }
        glfwMakeContextCurrent(window)
        return window
    }

    /// GLFW's last error message, or `fallback`.
    static func lastError(or fallback: String) -> String {
        var description: UnsafePointer<CChar>?
        guard glfwGetError(&description) != GLFW_NO_ERROR, let description else { return fallback }
        return String(cString: description).trimmingCharacters(in: .whitespaces)
    }
}
