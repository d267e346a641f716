import Foundation
import Training

/// A run's `config.json` flattened to dotted key paths (`feedback.classes`,
/// `ppo.learningRate`, ...), each with its value as text, so runs with
/// different configurations can be compared field by field.
///
/// Numbers keep their JSON spelling, arrays of numbers or strings are joined
/// with "x" (`256x256`, as `--set hiddenSizes=` takes them), other arrays are
/// flattened by index (`key.0.field`), an empty object is the value `{}` and a
/// null is no value at all.
public struct FlatConfig: Sendable, Equatable {
    /// Key path → value.
    public let values: [String: String]

    public init(values: [String: String]) { self.values = values }

    /// Flattens a JSON object.
    public init(json: Data) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: json)
        guard case .object = value else { throw RunError("config.json is not a JSON object") }
        var values: [String: String] = [:]
        value.flatten(prefix: "", into: &values)
        self.values = values
    }

    public subscript(key: String) -> String? { values[key] }

    /// The key paths, sorted.
    public var keys: [String] { values.keys.sorted() }
}

/// Any JSON value, decoded without a schema.
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(UInt64.self) { self = .unsigned(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The value as one piece of text, or nil for null and non-empty objects.
    var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .unsigned(let value): return String(value)
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): return value
        case .array(let items):
            return items.isEmpty ? "[]" : items.map { $0.text ?? "null" }.joined(separator: "x")
        case .object(let fields): return fields.isEmpty ? "{}" : nil
        }
    }

    func flatten(prefix: String, into values: inout [String: String]) {
        func path(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        switch self {
        case .object(let fields) where !fields.isEmpty:
            for (key, value) in fields { value.flatten(prefix: path(key), into: &values) }
        case .array(let items) where items.contains(where: \.isComposite):
            for (index, value) in items.enumerated() { value.flatten(prefix: path(String(index)), into: &values) }
        default:
            if let text { values[prefix] = text }
        }
    }

    var isComposite: Bool {
        switch self {
        case .array, .object: return true
        default: return false
        }
    }
}
