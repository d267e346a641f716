import Foundation

/// Runs other programs (Python, Slurm's commands) and finds them on PATH.
public enum ExternalProgram {
    /// Runs `command` (the executable's path, then its arguments) to its end
    /// with standard input from /dev/null, in `directory` (by default ours).
    /// With `capture`, returns what it wrote (both pipes are drained at once,
    /// so neither can fill up and block it); otherwise its output goes to ours.
    public static func run(_ command: [String], environment: [String: String]? = nil, directory: String? = nil,
                           capture: Bool = true) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        if capture {
            process.standardOutput = out
            process.standardError = err
        }
        try process.run()
        var output = Data(), errorOutput = Data()
        if capture {
            let group = DispatchGroup()
            let box = DataBox()
            DispatchQueue.global().async(group: group) { box.data = err.fileHandleForReading.readDataToEndOfFile() }
            output = out.fileHandleForReading.readDataToEndOfFile()
            group.wait()
            errorOutput = box.data
        }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errorOutput, as: UTF8.self))
    }

    /// The path of `name` in a folder of PATH, if it is there.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Bytes filled in by one thread and read by another after it has finished.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
