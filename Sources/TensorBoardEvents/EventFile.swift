import Foundation

/// A TensorBoard event file that scalars are appended to as a run goes:
/// every `write` reaches the file at once (no buffering), so `tensorboard
/// --logdir` shows a run while it trains. A resumed run cuts the file back to
/// the size its checkpoint recorded and goes on from there, so no step is
/// repeated or lost.
public final class EventFile {
    /// The file's path.
    public let path: String
    private let handle: FileHandle

    /// The name TensorBoard looks for in a folder (`events.out.tfevents.*`).
    public static func fileName(startTime: Date) -> String {
        "events.out.tfevents.\(Int64(startTime.timeIntervalSince1970)).ratingrl"
    }

    /// The event file in `folder`, if there is exactly one.
    public static func existing(in folder: String) -> String? {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix("events.out.tfevents.") }
        return names.count == 1 ? folder + "/" + names[0] : nil
    }

    /// A new file at `path` that starts with the file-version event; or, with
    /// `keepingBytes`, the existing one cut back to that many bytes.
    public init(path: String, keepingBytes: UInt64? = nil, wallTime: Double = Date().timeIntervalSince1970) throws {
        self.path = path
        if let keepingBytes {
            guard let handle = FileHandle(forUpdatingAtPath: path) else {
                throw EventFileError("cannot resume: \(path) is missing or unreadable")
            }
            let size = handle.seekToEndOfFile()
            guard size >= keepingBytes else {
                throw EventFileError("cannot resume: \(path) has \(size) bytes, fewer than the \(keepingBytes) the checkpoint recorded")
            }
            handle.truncateFile(atOffset: keepingBytes)
            handle.seekToEndOfFile()
            self.handle = handle
        } else {
            let first = EventEncoding.record(EventEncoding.fileVersion(wallTime: wallTime))
            guard FileManager.default.createFile(atPath: path, contents: Data(first)),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw EventFileError("cannot create \(path)")
            }
            handle.seekToEndOfFile()
            self.handle = handle
        }
    }

    deinit { try? handle.close() }

    /// Bytes written so far.
    public var size: UInt64 { handle.offsetInFile }

    /// Appends one event with these scalars at `step` (non-finite values are
    /// left out: TensorBoard draws them as gaps anyway). Nothing is written
    /// when no value is left.
    public func write(step: Int, scalars: [(tag: String, value: Double)], wallTime: Double = Date().timeIntervalSince1970) {
        let finite = scalars.map { (tag: $0.tag, value: Float($0.value)) }.filter { $0.value.isFinite }
        guard !finite.isEmpty else { return }
        handle.write(Data(EventEncoding.record(EventEncoding.scalars(finite, step: Int64(step), wallTime: wallTime))))
    }
}

/// An event file that could not be opened.
public struct EventFileError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
