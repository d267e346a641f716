/// A dense row-major matrix of `Float`, used for batches: one sample per row.
///
/// `values[r * columns + c]` is the entry at row `r`, column `c`.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (samples in a batch).
    public let rows: Int
    /// Number of columns (features per sample).
    public let columns: Int
    /// The entries in row-major order; always `rows * columns` long.
    public internal(set) var values: [Float]

    /// A `rows × columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative, got \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix with the given row-major entries.
    /// - Precondition: `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative, got \(rows)×\(columns)")
        precondition(values.count == rows * columns,
                     "Matrix \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The entry at row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return values[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            values[row * columns + column] = newValue
        }
    }

    /// The entries of one row, as a new array.
    public func row(_ row: Int) -> [Float] {
        precondition(row >= 0 && row < rows, "Matrix row out of range")
        return Array(values[(row * columns)..<((row + 1) * columns)])
    }

    /// Gives mutable access to all `rows * columns` entries, in row-major order,
    /// without copying. The buffer is valid only inside `body`.
    public mutating func withUnsafeMutableValues<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try values.withUnsafeMutableBufferPointer { try body($0) }
    }
}
