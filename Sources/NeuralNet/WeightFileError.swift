import Foundation

/// Why a weight file could not be written, read, or applied to a model.
public enum WeightFileError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The file is missing or could not be read.
    case unreadable(path: String, reason: String)
    /// The file could not be written.
    case unwritable(path: String, reason: String)
    /// The file does not start with the weight-file magic string.
    case badMagic(path: String)
    /// The file was written in a format version this code does not read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file ends before its header or data does.
    case truncated(path: String, detail: String)
    /// A header field holds a value no weight file has (a tensor count, name
    /// length or rank beyond the format's limits, a name that is not UTF-8, ...):
    /// the file was damaged or was never a weight file.
    case damagedHeader(path: String, detail: String)
    /// The file's header is inconsistent (bad names, sizes, trailing bytes, ...).
    case malformed(path: String, detail: String)
    /// A tensor is unusable (e.g. values do not match its shape).
    case invalidTensor(name: String, detail: String)
    /// A tensor the model needs is absent.
    case missingTensor(name: String)
    /// A tensor under the model's prefix is not part of the model.
    case unexpectedTensor(name: String)
    /// A tensor's shape differs from the model's.
    case shapeMismatch(name: String, found: [Int], expected: [Int])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read weight file '\(path)': \(reason)"
        case .unwritable(let path, let reason):
            return "cannot write weight file '\(path)': \(reason)"
        case .badMagic(let path):
            return "'\(path)' is not a RatingRL weight file (wrong magic string)"
        case .unsupportedVersion(let path, let found, let supported):
            return "weight file '\(path)' has format version \(found); this build reads version \(supported)"
        case .truncated(let path, let detail):
            return "weight file '\(path)' is truncated: \(detail)"
        case .damagedHeader(let path, let detail):
            return "weight file '\(path)' has a damaged header (\(detail)); it is not a usable RatingRL weight file"
        case .malformed(let path, let detail):
            return "weight file '\(path)' is malformed: \(detail)"
        case .invalidTensor(let name, let detail):
            return "tensor \(name) is invalid: \(detail)"
        case .missingTensor(let name):
            return "tensor \(name) is missing from the weights"
        case .unexpectedTensor(let name):
            return "tensor \(name) in the weights is not part of the model"
        case .shapeMismatch(let name, let found, let expected):
            return "\(name) has shape \(found) in file, model expects \(expected)"
        }
    }

    public var errorDescription: String? { description }
}
