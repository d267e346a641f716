import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a run of a sweep stands, read from its folder.
public enum RunState: String, Sendable, Codable, CaseIterable {
    /// No run has started in the folder.
    case new
    /// The run started (config.json) and did not finish: it is resumed.
    case interrupted
    /// A process is training the run now (it holds the folder's lock): left alone.
    case running
    /// The run's last attempt exited with an error (failed.json); it is retried.
    case failed
    /// summary.json exists: the run is skipped.
    case finished

    /// The state of the run folder at `path`.
    public init(folder path: String) {
        let manager = FileManager.default
        if manager.fileExists(atPath: path + "/summary.json") { self = .finished }
        else if Self.isLocked(folder: path) { self = .running }
        else if manager.fileExists(atPath: path + "/" + FailureRecord.fileName) { self = .failed }
        else if manager.fileExists(atPath: path + "/config.json") { self = .interrupted }
        else { self = .new }
    }

    /// Whether a process holds the run folder's lock (`ratingrl train` takes it
    /// for as long as it trains there; the system drops it when that process ends).
    public static func isLocked(folder path: String) -> Bool {
        let descriptor = open(path + "/.lock", O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Whether the next attempt continues the run (`train --resume`) rather
    /// than starting it: the run wrote its config.json.
    public static func resumes(folder path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/config.json")
    }
}

/// Why a run's last attempt failed (failed.json in its folder).
public struct FailureRecord: Codable, Sendable, Equatable {
    public static let fileName = "failed.json"

    /// The child's exit status, or nil when a signal ended it.
    public var exitCode: Int32?
    /// The signal that ended the child, if one did.
    public var signal: Int32?
    /// The command that was run.
    public var command: [String]
    /// The last lines of the run's train.log.
    public var lastLines: [String]
    /// When the attempt ended (seconds since 1970).
    public var time: Double

    public init(exitCode: Int32?, signal: Int32?, command: [String], lastLines: [String], time: Double) {
        self.exitCode = exitCode; self.signal = signal; self.command = command; self.lastLines = lastLines
        self.time = time
    }

    /// One line: how the attempt ended and its last log line.
    public var summary: String {
        let ending = exitCode.map { "exit code \($0)" } ?? signal.map { "killed by signal \($0)" } ?? "failed"
        return ending + (lastLines.last.map { ": " + $0 } ?? "")
    }

    /// Reads the record in a run folder, if there is one.
    public static func read(folder path: String) -> FailureRecord? {
        guard let data = FileManager.default.contents(atPath: path + "/" + fileName) else { return nil }
        return try? JSONDecoder().decode(FailureRecord.self, from: data)
    }
}

/// Reads and writes the small files of a sweep, atomically.
enum SweepFiles {
    static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw SweepError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(value), to: path)
    }

    /// The last `count` non-empty lines of a text file (reading at most its last 64 KiB).
    static func lastLines(of path: String, count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        return Array(lines.suffix(count))
    }

    /// env_steps and wall_seconds of the last row of a run's progress.csv.
    static func lastProgress(folder path: String) -> (steps: Int, seconds: Double)? {
        guard let line = lastLines(of: path + "/progress.csv", count: 1).first else { return nil }
        let columns = line.split(separator: ",", omittingEmptySubsequences: false)
        guard columns.count > 2, let steps = Int(columns[1]), let seconds = Double(columns[2]) else { return nil }
        return (steps, seconds)
    }
}

/// A sweep that cannot go on, with a message that says what to do.
public struct SweepError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
