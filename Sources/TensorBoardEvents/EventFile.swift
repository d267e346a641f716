import Foundation

/// A TensorBoard event file that scalars are appended to as a run goes:
/// every `write` reaches the file at once (no buffering), so `tensorboard
/// --logdir` shows a run while it trains. A resumed run cuts the file back to
/// the size its checkpoint recorded and goes on from there, so no step is
/// repeated or lost.
public final class EventFile {
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

    /// The record every event file starts with: the event that names the format.
    public static func fileVersionRecord(wallTime: Double = Date().timeIntervalSince1970) -> Data {
        Data(EventEncoding.record(EventEncoding.fileVersion(wallTime: wallTime)))
    }

    /// Appends to `handle`: a file that holds `fileVersionRecord()` and whole
    /// records after it, positioned at its end (a resumed run's file cut back
    /// to its checkpoint's size).
    public init(appendingTo handle: FileHandle) {
        self.handle = handle
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
