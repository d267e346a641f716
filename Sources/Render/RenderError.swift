/// Why an image or video could not be made. Each message names what was
/// wrong and how to fix it, on one line.
public enum RenderError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No OpenGL context could be created through `backend`.
    case glUnavailable(backend: GLBackend, detail: String)
    /// A width or height of 0, or one beyond what the GL context can render.
    case invalidSize(width: Int, height: Int, limit: Int)
    /// A camera name or index the model does not have.
    case unknownCamera(String, valid: [String])
    /// An external encoder program is not installed.
    case programMissing(program: String, debianPackage: String)
    /// The encoder ran but failed.
    case encoderFailed(String)
    /// An output file or folder cannot be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .glUnavailable(backend, detail):
            return "no usable OpenGL through \(backend.rawValue) (\(detail)); tried: \(backend.rawValue). "
                + "Install Debian's \(backend.debianPackages.joined(separator: " ")) (`make deps`)"
        case let .invalidSize(width, height, limit):
            return "image size \(width)x\(height) is not renderable: width and height must be between 1 and \(limit)"
        case let .unknownCamera(name, valid):
            return "unknown camera '\(name)'. Valid cameras: \(valid.joined(separator: ", "))"
        case let .programMissing(program, package):
            return "`\(program)` was not found on PATH; install Debian's \(package) package (`apt-get install \(package)` or `make deps`)"
        case let .encoderFailed(message):
            return message
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        }
    }
}

/// The OpenGL context providers MuJoCo's renderer can run on.
public enum GLBackend: String, CaseIterable, Sendable {
    /// EGL without a display server (Mesa's llvmpipe on a CPU machine). The default.
    case egl
    /// A GLFW window (needs a display, e.g. Xvfb).
    case glfw
    /// Mesa's off-screen software renderer.
    case osmesa

    /// Debian packages that provide the backend at run time and build time.
    public var debianPackages: [String] {
        switch self {
        case .egl: ["libegl-mesa0", "libgl1-mesa-dri", "libegl-dev"]
        case .glfw: ["libglfw3-dev", "libgl1-mesa-dri", "xvfb (for xvfb-run without a display)"]
        case .osmesa: ["libosmesa6-dev"]
        }
    }
}

/// How much work a frame gets.
public enum RenderQuality: String, CaseIterable, Sendable {
    /// No shadows, reflections, skybox or multisampling: for speed (e.g. 84×84 training frames).
    case fast
    /// MuJoCo's defaults: shadows, reflections, skybox, 4× multisampling.
    case quality
}
