import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A run's output folder: JSON files written atomically, logs appended one
/// whole line at a time, and the run-state checkpoints a resumed run starts from.
public struct RunDirectory: Sendable {
    public let path: String

    /// Every file or folder a run writes; `--overwrite` removes exactly these.
    public static let runFiles = [".lock", "config.json", "progress.csv", "evaluations.csv", "checkpoint.weights", "summary.json",
                                  "feedback.jsonl", "ratings.jsonl", "reward_model.weights", checkpointFolder, eventFolder]
    /// Sub-folder of the run's TensorBoard event file.
    public static let eventFolder = "tb"
    /// Sub-folder of the run-state checkpoints.
    public static let checkpointFolder = "checkpoints"
    /// Run-state checkpoints kept (the newest ones); older ones are deleted.
    public static let checkpointsKept = 2

    /// A run folder for a new run. The folder is created by `create()`, not
    /// here, so a run that fails before it starts leaves nothing behind. An
    /// existing folder that already holds a run is an error (nothing is
    /// overwritten) unless `overwrite` is set; then the old run's files are
    /// removed by `create()`.
    public init(path: String, overwrite: Bool) throws {
        self.path = path
        self.overwrite = overwrite
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RunError("\(path) exists and is not a folder") }
            if let owner = Self.lockOwner(path + "/.lock") {
                throw RunError("\(path) is being trained by another process (pid \(owner)); wait for it or stop it first")
            }
            let existing = Self.runFiles.filter { manager.fileExists(atPath: path + "/" + $0) }
            if !existing.isEmpty && !overwrite {
                throw RunError("\(path) already holds a run (\(existing.joined(separator: ", "))); choose another --out, pass --overwrite, or continue it with --resume \(path)")
            }
        }
    }

    /// An existing run folder, to resume the run in it.
    public init(existing path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RunError("\(path) is not a run folder (it does not exist); start a run with --out \(path)")
        }
        guard isDirectory.boolValue else {
            throw RunError("\(path) is a file, not a run folder; give --resume the folder a run was started in (its --out)")
        }
        guard FileManager.default.fileExists(atPath: path + "/config.json") else {
            throw RunError("\(path) holds no run (no config.json); start a run with --out \(path)")
        }
        self.path = path
        overwrite = false
    }

    private let overwrite: Bool

    /// Creates the folder (and its parents) if needed; returns whether this
    /// call made the folder itself, so that only its maker may remove it.
    @discardableResult
    func create() throws -> Bool {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw RunError("cannot create \(parent): \(error.localizedDescription)")
            }
        }
        // mkdir(2) tells apart "made it" from "someone (another process) made it first".
        if mkdir(path, 0o755) == 0 { return true }
        let reason = errno
        var isDirectory: ObjCBool = false
        guard reason == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RunError("cannot create \(path): \(String(cString: strerror(reason)))")
        }
        return false
    }

    /// When overwriting, removes the old run's files (with the lock held, so
    /// never from under a run that is still going): exactly the files a run
    /// writes, and of `checkpoints/` only its checkpoint files.
    func removeOldRun() throws {
        guard overwrite else { return }
        let manager = FileManager.default
        for name in Self.runFiles where ![".lock", Self.checkpointFolder, Self.eventFolder].contains(name) && manager.fileExists(atPath: file(name)) {
            do { try manager.removeItem(atPath: file(name)) } catch {
                throw RunError("cannot remove \(file(name)) of the old run: \(error.localizedDescription)")
            }
        }
        removeCheckpoints()
        removeEventFiles()
    }

    /// Removes the event files runs write in tb/, then tb/ if nothing else is in it.
    func removeEventFiles() {
        let folder = file(Self.eventFolder)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("events.out.tfevents.") && name.hasSuffix(".ratingrl") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        rmdir(folder)
    }

    /// Removes what a run made and nothing else, after a run that this process
    /// started in a folder it created failed before its first step: the run's
    /// files, then the folder if that left it empty.
    func removeFailedStart() {
        let manager = FileManager.default
        for name in Self.runFiles where name != Self.checkpointFolder && name != Self.eventFolder { try? manager.removeItem(atPath: file(name)) }
        removeCheckpoints()
        removeEventFiles()
        rmdir(path)
    }

    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `value` as pretty JSON, atomically.
    public func writeJSON<T: Encodable>(_ value: T, to name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(value)
        do { try data.write(to: URL(fileURLWithPath: file(name)), options: .atomic) } catch {
            throw RunError("cannot write \(file(name)): \(error.localizedDescription)")
        }
    }

    /// Takes the folder's lock (the file `.lock`, holding the owner's process
    /// id) for as long as the returned value lives, so that two processes never
    /// train the same run. The system releases it when the process ends, however it ends.
    /// - Throws: `RunError` naming the process that holds it.
    public func lock() throws -> RunLock {
        let path = file(".lock")
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw RunError("cannot create \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw RunError("\(self.path) is being trained by another process (pid \(Self.owner(of: path))); wait for it or stop it first")
        }
        // "PID on HOST", and the Slurm job when there is one: who holds it, for
        // messages and status (the lock itself is the flock, released when the process ends).
        var owner = "\(getpid()) on \(ProcessInfo.processInfo.hostName)"
        let environment = ProcessInfo.processInfo.environment
        if let job = environment["SLURM_ARRAY_JOB_ID"], let task = environment["SLURM_ARRAY_TASK_ID"] {
            owner += " (Slurm job \(job)_\(task))"
        } else if let job = environment["SLURM_JOB_ID"] {
            owner += " (Slurm job \(job))"
        }
        let pid = Array((owner + "\n").utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return RunLock(descriptor: descriptor)
    }

    /// Who holds the lock file at `path` ("PID on HOST"), or nil when nobody does.
    static func lockOwner(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else { flock(descriptor, LOCK_UN); return nil }
        return owner(of: path)
    }

    /// The owner a lock file names.
    private static func owner(of path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    // MARK: Run-state checkpoints

    /// Checkpoint files, newest first (names sort by position in the run).
    func checkpointFiles() -> [String] {
        let folder = file(Self.checkpointFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".state") }.sorted(by: >).map { folder + "/" + $0 }
    }

    /// Writes a checkpoint atomically (temporary file, fsync, rename, fsync of
    /// the folder) under a name that sorts by `position`, then deletes all but
    /// the newest `checkpointsKept`.
    func writeCheckpoint(_ data: Data, position: String) throws {
        let folder = file(Self.checkpointFolder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = folder + "/" + position + ".state"
        try Self.writeDurably(data, to: target)
        for old in checkpointFiles().dropFirst(Self.checkpointsKept) { try? FileManager.default.removeItem(atPath: old) }
    }

    /// Removes the run-state checkpoints (a finished run no longer needs them):
    /// the checkpoint files and their temporary files, then the folder if that
    /// left it empty. Anything else someone put there stays.
    func removeCheckpoints() {
        let folder = file(Self.checkpointFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasSuffix(".state") || name.contains(".state.tmp-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        rmdir(folder)
    }

    /// Writes `data` to a temporary file beside `path`, flushes it to disk and
    /// renames it over `path`, so a crash leaves the old file or the new one whole.
    package static func writeDurably(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw RunError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 { if errno == EINTR { continue }; failure = String(cString: strerror(errno)); return }
                offset += written
            }
        }
        if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        guard failure == nil else {
            unlink(temporary)
            throw RunError("cannot write \(path): \(failure!)")
        }
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 { fsync(folder); close(folder) }
    }
}

/// A run folder's lock, held until this is released.
public final class RunLock {
    private let descriptor: Int32
    init(descriptor: Int32) { self.descriptor = descriptor }
    deinit { close(descriptor) }
}

/// A CSV file that gets one complete line per `append`.
public final class CSVLog {
    private let handle: FileHandle
    /// The file's columns: those asked for, or for a resumed log written by an
    /// earlier version, the leading ones its header has.
    public let columns: [String]
    /// Values per `append`: one per column asked for.
    private let rowLength: Int

    /// A new log holding only the header; or, with `keepingBytes`, an existing
    /// one cut back to that many bytes (a resumed run's position) and appended
    /// to. A resumed log keeps its header: if it names only the first of
    /// `columns` (a run started by an earlier version), rows get only those.
    public init(path: String, columns: [String], keepingBytes: UInt64? = nil) throws {
        rowLength = columns.count
        if keepingBytes != nil, let existing = Self.header(path: path), existing != columns {
            guard existing.count < columns.count, Array(columns.prefix(existing.count)) == existing else {
                throw RunError("cannot resume: \(path) has the columns \(existing.joined(separator: ",")), "
                               + "not the \(columns.joined(separator: ",")) this version writes")
            }
            self.columns = existing
        } else {
            self.columns = columns
        }
        self.handle = try openLog(path: path, header: columns.joined(separator: ",") + "\n", keepingBytes: keepingBytes)
    }

    deinit { try? handle.close() }

    /// Bytes written so far.
    public var size: UInt64 { handle.offsetInFile }

    /// Appends one row of a value per column asked for at `init`; values are
    /// formatted with `description`, and those of columns the file lacks are left out.
    public func append(_ values: [CustomStringConvertible]) {
        precondition(values.count == rowLength, "CSV row has \(values.count) values for \(rowLength) columns")
        handle.write(Data((values.prefix(columns.count).map(\.description).joined(separator: ",") + "\n").utf8))
    }

    /// The column names of the file's first line; nil if it is missing or empty.
    private static func header(path: String) -> [String]? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        guard let data = try? file.read(upToCount: 65536), !data.isEmpty else { return nil }
        let firstLine = data.prefix { $0 != UInt8(ascii: "\n") }
        return String(decoding: firstLine, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Opens a log for appending: created with `header`, or cut back to `keepingBytes`.
func openLog(path: String, header: String, keepingBytes: UInt64?) throws -> FileHandle {
    try openLog(path: path, header: Data(header.utf8), keepingBytes: keepingBytes)
}

/// Opens a log for appending: created with `header`, or cut back to `keepingBytes`.
func openLog(path: String, header: Data, keepingBytes: UInt64?) throws -> FileHandle {
    if let keepingBytes {
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw RunError("cannot resume: \(path) is missing or unreadable")
        }
        let size = handle.seekToEndOfFile()
        guard size >= keepingBytes else {
            throw RunError("cannot resume: \(path) has \(size) bytes, fewer than the \(keepingBytes) the checkpoint recorded")
        }
        handle.truncateFile(atOffset: keepingBytes)
        handle.seekToEndOfFile()
        return handle
    }
    guard FileManager.default.createFile(atPath: path, contents: header),
          let handle = FileHandle(forWritingAtPath: path) else {
        throw RunError("cannot create \(path)")
    }
    handle.seekToEndOfFile()
    return handle
}

/// An error of a training run, with a message that says what to do.
public struct RunError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A run stopped on request (SIGINT or SIGTERM) after writing a checkpoint.
public struct RunInterrupted: Error, CustomStringConvertible {
    /// Environment steps of the checkpoint the run resumes from.
    public let envSteps: Int
    public let directory: String
    public var description: String {
        "interrupted at step \(envSteps); resume with: ratingrl train --resume \(directory)"
    }
}
