import Foundation

/// A run's output folder: JSON files written atomically, CSV logs appended
/// one whole line at a time.
public struct RunDirectory: Sendable {
    public let path: String

    /// Creates the folder. An existing folder that already holds a run is an
    /// error (nothing is overwritten) unless `overwrite` is set.
    public init(path: String, overwrite: Bool) throws {
        self.path = path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RunError("\(path) exists and is not a folder") }
            let existing = ["config.json", "progress.csv", "summary.json"].filter { manager.fileExists(atPath: path + "/" + $0) }
            if !existing.isEmpty && !overwrite {
                throw RunError("\(path) already holds a run (\(existing.joined(separator: ", "))); choose another --out or pass --overwrite")
            }
            for file in ["progress.csv", "evaluations.csv"] { try? manager.removeItem(atPath: path + "/" + file) }
        } else {
            do { try manager.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw RunError("cannot create \(path): \(error.localizedDescription)")
            }
        }
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
}

/// A CSV file that gets one complete line per `append`.
public final class CSVLog {
    private let handle: FileHandle
    public let columns: [String]

    public init(path: String, columns: [String]) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data((columns.joined(separator: ",") + "\n").utf8)),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RunError("cannot create \(path)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
        self.columns = columns
    }

    deinit { try? handle.close() }

    /// Appends one row; values are formatted with `description`.
    public func append(_ values: [CustomStringConvertible]) {
        precondition(values.count == columns.count, "CSV row has \(values.count) values for \(columns.count) columns")
        handle.write(Data((values.map(\.description).joined(separator: ",") + "\n").utf8))
    }
}

/// An error of a training run, with a message that says what to do.
public struct RunError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
