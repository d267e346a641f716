import Foundation

/// An n-dimensional array as numpy's `.npy` format (version 1.0) stores it,
/// the format `numpy.load` reads.
///
/// Layout: the magic `\x93NUMPY`, version bytes 1 0, the header's length
/// (UInt16, little-endian), the header: a Python dict literal
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }` padded with
/// spaces and ended by a newline so that the data starts on a 64-byte
/// boundary; then the values, row-major (C order), little-endian.
public struct NumpyArray: Sendable, Equatable {
    /// The values, one case per element type written.
    public enum Values: Sendable, Equatable {
        /// '<f4'
        case float32([Float])
        /// '<f8'
        case float64([Double])
        /// '<i8'
        case int64([Int64])
        /// '<U{n}': fixed-width UTF-32, n the longest string's count of Unicode
        /// scalars (at least 1), shorter ones padded with zeros.
        case unicode([String])

        var count: Int {
            switch self {
            case .float32(let v): v.count
            case .float64(let v): v.count
            case .int64(let v): v.count
            case .unicode(let v): v.count
            }
        }
    }

    public let shape: [Int]
    public let values: Values

    /// An array of `shape` (empty for a 0-d array of one value).
    /// - Throws: `TensorFileError` when the values do not fill the shape.
    public init(shape: [Int], values: Values) throws {
        try checkCount(values.count, shape: shape, name: "an array")
        self.shape = shape
        self.values = values
    }

    /// A one-dimensional array of `values`.
    public init(_ values: Values) {
        shape = [values.count]
        self.values = values
    }

    /// numpy's type string of the elements.
    var descr: String {
        switch values {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int64: "<i8"
        case .unicode(let strings): "<U\(Self.width(strings))"
        }
    }

    static func width(_ strings: [String]) -> Int { max(1, strings.map(\.unicodeScalars.count).max() ?? 1) }

    /// The `.npy` file's bytes.
    public func encoded() -> Data {
        let dimensions = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dimensions)), }"
        let prefix = 10  // magic, version, header length
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        var bytes = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        bytes.appendLittleEndian(UInt16(header.utf8.count))
        bytes.append(contentsOf: Array(header.utf8))
        switch values {
        case .float32(let v): bytes.appendLittleEndian(v)
        case .float64(let v): bytes.appendLittleEndian(v)
        case .int64(let v): v.map(\.littleEndian).withUnsafeBytes { bytes.append(contentsOf: $0) }
        case .unicode(let strings):
            let width = Self.width(strings)
            var scalars: [UInt32] = []
            scalars.reserveCapacity(width * strings.count)
            for string in strings {
                let codes = string.unicodeScalars.map(\.value)
                scalars += codes + [UInt32](repeating: 0, count: width - codes.count)
            }
            scalars.map(\.littleEndian).withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        return bytes
    }
}
