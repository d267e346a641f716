import Foundation
import Training
#if canImport(Glibc)
import Glibc
#endif

/// The folder an export is written to. A folder that does not exist is made
/// whole: the files are written into a temporary sibling folder that is then
/// renamed into place. Into an existing folder, which must be empty unless
/// `overwrite` is given, each file is first written under a temporary name and
/// then renamed over its own; other files in it are never touched. Either way a
/// failure removes what this write made and nothing else.
public struct ExportFolder: Sendable {
    public let path: String
    private let overwrite: Bool

    /// Checks that `path` can take an export.
    /// - Throws: `RunError` when `path` is a file, or a folder with files in it and `overwrite` is not set.
    public init(path: String, overwrite: Bool) throws {
        self.path = path
        self.overwrite = overwrite
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw RunError("\(path) is a file; give --out a folder") }
        let contents = try Self.contents(of: path)
        if !contents.isEmpty && !overwrite {
            let shown = contents.sorted().prefix(3).joined(separator: ", ") + (contents.count > 3 ? ", ..." : "")
            throw RunError("\(path) is not empty (\(shown)); give another --out, or --overwrite to replace the export's files in it (nothing else is touched)")
        }
    }

    /// Writes `files` (names without folders).
    /// - Throws: `RunError` saying what could not be written; nothing this call made is left behind then.
    public func write(_ files: [(name: String, bytes: Data)]) throws {
        if FileManager.default.fileExists(atPath: path) {
            try replaceFiles(files)
        } else {
            try makeFolder(files)
        }
    }

    /// A new folder: written whole beside `path`, then renamed to it.
    private func makeFolder(_ files: [(name: String, bytes: Data)]) throws {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw RunError("cannot create \(parent): \(error.localizedDescription)")
        }
        let staging = parent + "/." + url.lastPathComponent + ".partial-\(getpid())"
        guard mkdir(staging, 0o755) == 0 else { throw RunError("cannot write in \(parent): \(String(cString: strerror(errno)))") }
        do {
            for file in files { try Self.write(file.bytes, to: staging + "/" + file.name) }
            // rename(2) onto an empty folder would replace it; a folder made meanwhile by someone else must be kept.
            guard !FileManager.default.fileExists(atPath: path) else { throw RunError("\(path) appeared while the export was written; it was left as it is") }
            guard rename(staging, path) == 0 else { throw RunError("cannot create \(path): \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// An existing folder: every file staged under a temporary name first, then each renamed over its own.
    private func replaceFiles(_ files: [(name: String, bytes: Data)]) throws {
        var staged: [(temporary: String, final: String)] = []
        do {
            for file in files {
                let final = path + "/" + file.name
                let temporary = path + "/." + file.name + ".partial-\(getpid())"
                try Self.write(file.bytes, to: temporary)
                staged.append((temporary, final))
            }
            for (index, file) in staged.enumerated() {
                guard rename(file.temporary, file.final) == 0 else {
                    staged.removeFirst(index)
                    throw RunError("cannot write \(file.final): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            for file in staged { unlink(file.temporary) }
            throw error
        }
    }

    private static func write(_ bytes: Data, to path: String) throws {
        do { try bytes.write(to: URL(fileURLWithPath: path)) } catch {
            throw RunError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    private static func contents(of path: String) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw RunError("cannot read the folder \(path): \(error.localizedDescription)")
        }
    }
}
