import Foundation
import Processes

/// The Python interpreter (with matplotlib and rliable) and the script that
/// `ratingrl plot` draws figures with. `make plot-deps` creates the
/// interpreter's venv, `.venv-plot`, in the checkout; the script is the
/// checkout's `scripts/plot/plot.py`.
public struct PlotEnvironment: Sendable {
    /// The interpreter's path.
    public let python: String
    /// The plotting script's path.
    public let script: String

    public static let venvName = ".venv-plot"
    public static let scriptPath = "scripts/plot/plot.py"
    /// Modules the script needs.
    public static let modules = ["matplotlib", "pandas", "rliable.library", "rliable.metrics"]

    public init(python: String, script: String) {
        self.python = python
        self.script = script
    }

    /// Finds the interpreter: `explicit` (an interpreter or a venv folder) if
    /// given, else `$RATINGRL_PYTHON`, else `./.venv-plot`, else a `.venv-plot`
    /// in a folder above the running executable. The script is looked for
    /// beside the venv, in the current folder and above the executable.
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PlotEnvironment {
        let manager = FileManager.default
        var folders = [manager.currentDirectoryPath]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            folders.append(folder.path)
            folder.deleteLastPathComponent()
        }

        let python: String
        if let given = explicit ?? environment["RATINGRL_PYTHON"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let source = explicit != nil ? "--python" : "RATINGRL_PYTHON"
            guard let found = interpreter(at: given) else {
                throw PlotEnvironmentError("\(source) \(given) is not a Python interpreter or a venv; run `make plot-deps` to create \(venvName)")
            }
            python = found
        } else {
            guard let found = folders.lazy.compactMap({ interpreter(at: $0 + "/" + venvName) }).first else {
                throw PlotEnvironmentError("no plotting environment (\(venvName)) here or above the executable; run `make plot-deps` in the checkout, or pass --python")
            }
            python = found
        }

        // A venv's bin/python is a symlink: keep the venv's path, not its target.
        let venvFolder = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let scripts = ([venvFolder] + folders).map { $0 + "/" + scriptPath }
        guard let script = scripts.first(where: { manager.isReadableFile(atPath: $0) }) else {
            throw PlotEnvironmentError("cannot find \(scriptPath) in the current folder or above the executable; run ratingrl plot from the checkout")
        }
        return PlotEnvironment(python: python, script: script)
    }

    /// The interpreter at `path`: the path itself if it is an executable
    /// file, or `bin/python` inside it if it is a folder.
    static func interpreter(at path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let candidate = isDirectory.boolValue ? path + "/bin/python" : path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Throws unless the interpreter imports every module the script needs.
    public func checkModules() throws {
        let (status, _, error) = try run(["-c", "import " + Self.modules.joined(separator: ", ")], capture: true)
        guard status == 0 else {
            let reason = error.split(separator: "\n").last.map { " (\($0))" } ?? ""
            throw PlotEnvironmentError("\(python) cannot import matplotlib, pandas and rliable\(reason); run `make plot-deps`")
        }
    }

    /// Runs the script with `arguments`, its output going to ours; returns its exit status.
    public func runScript(_ arguments: [String]) throws -> Int32 {
        try run([script] + arguments, capture: false).status
    }

    func run(_ arguments: [String], capture: Bool) throws -> (status: Int32, output: String, error: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["MPLBACKEND"] = "Agg"
        do { return try ExternalProgram.run([python] + arguments, environment: environment, capture: capture) } catch {
            throw PlotEnvironmentError("cannot run \(python): \(error.localizedDescription); run `make plot-deps`")
        }
    }
}

/// Why the plotting environment cannot be used, with what to do about it.
public struct PlotEnvironmentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
