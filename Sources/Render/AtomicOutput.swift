import Foundation

/// Output files and folders that appear whole or not at all: everything is
/// written under a hidden temporary name next to the target, then renamed.
public enum AtomicOutput {
    /// A temporary path in the same folder as `path` (so the final rename
    /// stays on one file system), keeping its extension.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(".\(stem).partial-\(getpid())\(ext)").path
    }

    /// Writes `data` to `path` through a temporary file and a rename.
    /// - Throws: `RenderError.cannotWrite` with the system's reason.
    public static func write(_ data: Data, to path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw RenderError.cannotWrite(path: path, reason: reason(creating: temporary))
        }
        try commit(temporary, to: path)
    }

    /// Checks that a file can be created where `path` says, without leaving anything behind.
    /// - Throws: `RenderError.cannotWrite`.
    public static func checkWritable(_ path: String) throws {
        let temporary = temporaryPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: Data()) else {
            throw RenderError.cannotWrite(path: path, reason: reason(creating: temporary))
        }
        unlink(temporary)
    }

    /// Renames `temporary` to `path`, replacing a file (or an empty folder) there.
    public static func commit(_ temporary: String, to path: String) throws {
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw RenderError.cannotWrite(path: path, reason: message)
        }
    }

    private static func reason(creating path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
            return "folder \(folder) does not exist"
        }
        return FileManager.default.isWritableFile(atPath: folder) ? "the file cannot be created" : "folder \(folder) is not writable"
    }
}
