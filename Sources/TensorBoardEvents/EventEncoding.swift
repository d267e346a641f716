/// The few protocol-buffer messages a scalar event file needs, encoded by
/// hand (TensorBoard's `event.proto` and `summary.proto`):
///
///     Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
///     Summary { repeated Value value = 1; }
///     Value   { string tag = 1; float simple_value = 2; }
///
/// Fields are written in field-number order with the standard wire types
/// (varint 0, 64-bit 1, length-delimited 2, 32-bit 5), which is what every
/// protobuf reader expects.
enum EventEncoding {
    /// An event that names the file format; the first record of every file.
    static func fileVersion(wallTime: Double) -> [UInt8] {
        var event: [UInt8] = []
        appendDouble(&event, field: 1, wallTime)
        appendBytes(&event, field: 3, Array("brain.Event:2".utf8))
        return event
    }

    /// An event holding one simple-value scalar per `(tag, value)` at `step`.
    static func scalars(_ scalars: [(tag: String, value: Float)], step: Int64, wallTime: Double) -> [UInt8] {
        var summary: [UInt8] = []
        for scalar in scalars {
            var value: [UInt8] = []
            appendBytes(&value, field: 1, Array(scalar.tag.utf8))
            appendFloat(&value, field: 2, scalar.value)
            appendBytes(&summary, field: 1, value)
        }
        var event: [UInt8] = []
        appendDouble(&event, field: 1, wallTime)
        appendVarint(&event, field: 2, UInt64(bitPattern: step))
        appendBytes(&event, field: 5, summary)
        return event
    }

    /// A record of the file: length, its masked CRC, the data, the data's masked CRC
    /// (all little-endian).
    static func record(_ data: [UInt8]) -> [UInt8] {
        let length = littleEndian(UInt64(data.count))
        return length + littleEndian(CRC32C.masked(length)) + data + littleEndian(CRC32C.masked(data))
    }

    // MARK: Wire format

    private static func appendKey(_ out: inout [UInt8], field: Int, wireType: UInt64) {
        varint(&out, UInt64(field) << 3 | wireType)
    }

    private static func varint(_ out: inout [UInt8], _ value: UInt64) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private static func appendVarint(_ out: inout [UInt8], field: Int, _ value: UInt64) {
        appendKey(&out, field: field, wireType: 0)
        varint(&out, value)
    }

    private static func appendDouble(_ out: inout [UInt8], field: Int, _ value: Double) {
        appendKey(&out, field: field, wireType: 1)
        out += littleEndian(value.bitPattern)
    }

    private static func appendFloat(_ out: inout [UInt8], field: Int, _ value: Float) {
        appendKey(&out, field: field, wireType: 5)
        out += littleEndian(value.bitPattern)
    }

    private static func appendBytes(_ out: inout [UInt8], field: Int, _ bytes: [UInt8]) {
        appendKey(&out, field: field, wireType: 2)
        varint(&out, UInt64(bytes.count))
        out += bytes
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
