import Foundation

/// Throws unless `count` values fill `shape` (non-negative dimensions).
func checkCount(_ count: Int, shape: [Int], name: String) throws {
    var expected = 1
    for dimension in shape {
        let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
        guard dimension >= 0, !overflow else { throw TensorFileError("\(name) has an impossible shape \(shape)") }
        expected = product
    }
    guard expected == count else { throw TensorFileError("\(name) has \(count) values for shape \(shape)") }
}

/// Little-endian bytes, as every format here stores numbers.
extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Float32 values, little-endian, end to end.
    mutating func appendLittleEndian(_ values: [Float]) {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Float64 values, little-endian, end to end.
    mutating func appendLittleEndian(_ values: [Double]) {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { append(contentsOf: $0) }
    }
}
