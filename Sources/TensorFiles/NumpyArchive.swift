import Foundation

/// Named arrays as numpy's `.npz` format: a zip archive of one `NAME.npy`
/// file per array (stored, not compressed), which `numpy.load(path)` opens as
/// a mapping from NAME to array.
public enum NumpyArchive {
    /// The archive's bytes, arrays in the order given.
    /// - Throws: `TensorFileError` for a repeated or empty name, or an archive beyond 4 GiB.
    public static func encode(_ arrays: [(name: String, array: NumpyArray)]) throws -> Data {
        var names = Set<String>()
        for (name, _) in arrays {
            guard !name.isEmpty, !name.contains("/") else { throw TensorFileError("an npz array cannot be called '\(name)'") }
            guard names.insert(name).inserted else { throw TensorFileError("array \(name) appears twice") }
        }
        return try StoredZip.encode(arrays.map { (name: $0.name + ".npy", bytes: $0.array.encoded()) })
    }
}
