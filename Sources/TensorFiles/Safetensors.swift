import Foundation

/// Writing named Float32 tensors as a safetensors file, the format torch,
/// numpy (`safetensors.numpy.load_file`) and JAX load in one line.
///
/// Layout: an unsigned 64-bit little-endian header length N; N bytes of UTF-8
/// JSON mapping each tensor's name to `{"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}` (byte offsets into the data that follows,
/// tensors end to end in the order given), plus an optional `"__metadata__"`
/// object of string values; the JSON is padded with spaces so the data starts
/// on an 8-byte boundary; then every tensor's values, row-major, little-endian.
public enum Safetensors {
    /// A named tensor: row-major `values` whose count is the product of `shape`.
    public typealias Tensor = (name: String, shape: [Int], values: [Float])

    /// The file's bytes for `tensors` (unique, non-empty names, none starting
    /// with "__") and `metadata`.
    /// - Throws: `TensorFileError` for a repeated or reserved name or a value
    ///   count that does not match the shape.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) throws -> Data {
        var entries: [String: HeaderEntry] = [:]
        var offset = 0
        for tensor in tensors {
            guard !tensor.name.isEmpty, !tensor.name.hasPrefix("__") else {
                throw TensorFileError("a safetensors tensor cannot be called '\(tensor.name)'")
            }
            guard entries[tensor.name] == nil else { throw TensorFileError("tensor \(tensor.name) appears twice") }
            try checkCount(tensor.values.count, shape: tensor.shape, name: tensor.name)
            let size = 4 * tensor.values.count
            entries[tensor.name] = .tensor(shape: tensor.shape, begin: offset, end: offset + size)
            offset += size
        }
        if !metadata.isEmpty { entries["__metadata__"] = .metadata(metadata) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var header = try encoder.encode(entries)
        header.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var bytes = Data(capacity: 8 + header.count + offset)
        bytes.appendLittleEndian(UInt64(header.count))
        bytes.append(header)
        for tensor in tensors { bytes.appendLittleEndian(tensor.values) }
        return bytes
    }

    /// One value of the JSON header: a tensor's place in the data, or the metadata.
    private enum HeaderEntry: Encodable {
        case tensor(shape: [Int], begin: Int, end: Int)
        case metadata([String: String])

        private enum Keys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }

        func encode(to encoder: Encoder) throws {
            switch self {
            case let .tensor(shape, begin, end):
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode("F32", forKey: .dtype)
                try container.encode(shape, forKey: .shape)
                try container.encode([begin, end], forKey: .dataOffsets)
            case let .metadata(values):
                var container = encoder.singleValueContainer()
                try container.encode(values)
            }
        }
    }
}
