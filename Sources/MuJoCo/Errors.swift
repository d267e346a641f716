import CMuJoCo
#if canImport(Glibc)
import Glibc
#endif

/// An error reported by MuJoCo or by the Swift binding around it.
public struct MuJoCoError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, including MuJoCo's own message where there is one.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Process-wide MuJoCo set-up: error and warning handlers and version facts.
public enum MuJoCoRuntime {
    /// The version of the linked MuJoCo library, e.g. "2.2.2".
    public static var version: String { String(cString: mj_versionString()) }

    /// Installs handlers so that MuJoCo never waits on standard input and never
    /// writes `MUJOCO_LOG.TXT` into the working directory. Idempotent.
    ///
    /// A fatal MuJoCo error (not a load error, which is returned as a Swift
    /// error) prints its message to standard error and exits with status 70.
    /// A warning is printed to standard error.
    public static func installHandlers() {
        _ = handlersInstalled
    }

    private static let handlersInstalled: Void = {
        rrl_set_error_handler { message in
            let text = message.map { String(cString: $0) } ?? "unknown error"
            writeToStandardError("MuJoCo fatal error: \(text)\n")
            exit(70)
        }
        rrl_set_warning_handler { message in
            let text = message.map { String(cString: $0) } ?? "unknown warning"
            writeToStandardError("MuJoCo warning: \(text)\n")
        }
    }()
}

func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}
