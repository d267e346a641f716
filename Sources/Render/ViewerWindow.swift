import CGLFW
import CMuJoCo

/// What a person did in a viewer window.
public enum ViewerInput: Equatable, Sendable {
    /// A typed character (layout-aware: "+" is "+" whichever keys make it).
    case character(Character)
    case leftArrow, rightArrow, escape
    /// The window's close button.
    case close
}

/// A visible, fixed-size GLFW window that shows rendered frames with text
/// overlays and reports key presses. Needs a display (or Xvfb).
/// GLFW must be used from the main thread.
public final class ViewerWindow: GLContext {
    private let window: OpaquePointer
    private let inputs = InputQueue()
    public let backend = GLBackend.glfw
    public let renderer: String
    public let maxBufferSize: Int
    /// The drawable size in pixels.
    public let width: Int
    public let height: Int

    /// Opens a window of `width`×`height` pixels titled `title`.
    /// - Throws: `RenderError.glUnavailable` when there is no display or no GL.
    public init(width: Int, height: Int, title: String) throws {
        window = try GLFWContext.makeWindow(width: width, height: height, title: title, visible: true,
                                            noDisplayAdvice: "set DISPLAY or run under `xvfb-run -a`")
        glfwSwapInterval(0)
        var (w, h): (Int32, Int32) = (0, 0)
        glfwGetFramebufferSize(window, &w, &h)
        (self.width, self.height) = (Int(w), Int(h))
        renderer = rrl_glfw_gl_renderer().map { String(cString: $0) } ?? "unknown"
        maxBufferSize = Int(rrl_glfw_max_renderbuffer_size())
        glfwSetWindowUserPointer(window, Unmanaged.passUnretained(inputs).toOpaque())
        glfwSetCharCallback(window) { window, codepoint in
            guard let scalar = Unicode.Scalar(codepoint) else { return }
            ViewerWindow.queue(of: window)?.items.append(.character(Character(scalar)))
        }
        glfwSetKeyCallback(window) { window, key, _, action, _ in
            guard action == GLFW_PRESS || action == GLFW_REPEAT else { return }
            let input: ViewerInput? = switch key {
            case GLFW_KEY_LEFT: .leftArrow
            case GLFW_KEY_RIGHT: .rightArrow
            case GLFW_KEY_ESCAPE: .escape
            default: nil
            }
            if let input { ViewerWindow.queue(of: window)?.items.append(input) }
        }
        glfwSetWindowCloseCallback(window) { window in
            ViewerWindow.queue(of: window)?.items.append(.close)
        }
    }

    deinit {
        if glfwGetCurrentContext() == window { glfwMakeContextCurrent(nil) }
        glfwDestroyWindow(window)
    }

    public func makeCurrent() {
        glfwMakeContextCurrent(window)
    }

    /// Waits up to `timeout` seconds for input (0: only what is pending) and
    /// returns what arrived, oldest first.
    public func inputs(waiting timeout: Double) -> [ViewerInput] {
        if timeout > 0 { glfwWaitEventsTimeout(timeout) } else { glfwPollEvents() }
        defer { inputs.items.removeAll() }
        return inputs.items
    }

    /// Shows the back buffer.
    public func swapBuffers() {
        glfwSwapBuffers(window)
    }

    private final class InputQueue { var items: [ViewerInput] = [] }

    private static func queue(of window: OpaquePointer?) -> InputQueue? {
        guard let pointer = glfwGetWindowUserPointer(window) else { return nil }
        return Unmanaged<InputQueue>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// Text drawn over a frame in a window.
public struct WindowOverlay: Sendable, Equatable {
    public enum Corner: Sendable { case topLeft, bottomLeft, topRight, bottomRight }
    public var corner: Corner
    /// Left column (labels) and right column (values), lines separated by "\n".
    public var labels: String
    public var values: String

    public init(_ corner: Corner, labels: String, values: String = "") {
        self.corner = corner; self.labels = labels; self.values = values
    }

    var gridPosition: Int32 {
        let position = switch corner {
        case .topLeft: mjGRID_TOPLEFT
        case .bottomLeft: mjGRID_BOTTOMLEFT
        case .topRight: mjGRID_TOPRIGHT
        case .bottomRight: mjGRID_BOTTOMRIGHT
        }
        return Int32(position.rawValue)
    }
}
