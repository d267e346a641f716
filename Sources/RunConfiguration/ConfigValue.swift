import Foundation
import Yams

/// A JSON-like value read from a configuration or grid file (JSON or YAML),
/// or encoded from a `TrainingConfig`.
public enum ConfigValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case string(String)
    case list([ConfigValue])
    case object([String: ConfigValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .real(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([ConfigValue].self) { self = .list(value) }
        else { self = .object(try container.decode([String: ConfigValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The fields of an object; nil for other values.
    public var fields: [String: ConfigValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// The elements of a list; nil for other values.
    public var elements: [ConfigValue]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// The value at a dotted path of object fields, if there is one.
    public func value(at path: [String]) -> ConfigValue? {
        guard let first = path.first else { return self }
        return fields?[first]?.value(at: Array(path.dropFirst()))
    }

    /// A copy with `value` at `path`, creating objects on the way.
    public func setting(_ value: ConfigValue, at path: [String]) -> ConfigValue {
        guard let first = path.first else { return value }
        var fields = self.fields ?? [:]
        fields[first] = (fields[first] ?? .object([:])).setting(value, at: Array(path.dropFirst()))
        return .object(fields)
    }

    /// A copy without the field at `path`.
    public func removing(_ path: [String]) -> ConfigValue {
        guard let first = path.first, var fields = self.fields else { return self }
        if path.count == 1 { fields[first] = nil } else if let inner = fields[first] {
            fields[first] = inner.removing(Array(path.dropFirst()))
        }
        return .object(fields)
    }

    /// This tree with `overlay` on top: objects merge field by field, any
    /// other value (and an object at one of `replacing`) replaces what was there.
    public func merging(_ overlay: ConfigValue, replacing: [[String]] = [], path: [String] = []) -> ConfigValue {
        guard case .object(var fields) = self, case .object(let extra) = overlay, !replacing.contains(path) else {
            return overlay
        }
        for (key, value) in extra {
            fields[key] = fields[key].map { $0.merging(value, replacing: replacing, path: path + [key]) } ?? value
        }
        return .object(fields)
    }

    /// Compact JSON with sorted keys, as it appears in messages and folder names.
    public var description: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    /// Pretty JSON with sorted keys, for files.
    public func prettyJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// What kind of value this is, for messages.
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .integer: "a whole number"
        case .real: "a number"
        case .string: "text"
        case .list: "a list"
        case .object: "an object"
        }
    }

    /// Encodes a value (e.g. a `TrainingConfig`) into a tree.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONDecoder().decode(ConfigValue.self, from: JSONEncoder().encode(value))
    }

    /// Decodes `T` from this tree.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: JSONEncoder().encode(self))
    }

    /// Reads a JSON or YAML document: a file whose text starts with `{` is
    /// JSON, anything else YAML. `name` is the file's name, for messages.
    public static func parse(_ text: String, name: String) throws -> ConfigValue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            do { return try JSONDecoder().decode(ConfigValue.self, from: Data(trimmed.utf8)) } catch {
                // Foundation's message does not say where; YAML (a superset of JSON) does.
                var detail = Self.reason(error)
                do { _ = try Yams.compose(yaml: text) } catch { detail = Self.firstLine(error) }
                throw ConfigError("\(name) is not valid JSON: \(detail)")
            }
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ConfigError("\(name) is not valid YAML: \(Self.firstLine(error))")
        }
        guard let node else { return .object([:]) }
        var budget = maximumValues
        return try convert(node, name: name, budget: &budget)
    }

    /// The most values (scalars, lists and objects) a configuration or grid
    /// file may expand to. YAML aliases repeat a value where they stand, so a
    /// few lines of nested aliases ("billion laughs") could expand without end.
    public static let maximumValues = 100_000

    /// Reads a JSON or YAML file.
    public static func load(path: String) throws -> ConfigValue {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            let hint = FileManager.default.fileExists(atPath: path + "/config.json") ? " (e.g. \(path)/config.json)" : ""
            throw ConfigError("\(path) is a folder; give a JSON or YAML file\(hint)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("cannot read \(path): no such file or not readable")
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    private static func convert(_ node: Node, name: String, budget: inout Int) throws -> ConfigValue {
        budget -= 1
        guard budget >= 0 else {
            throw ConfigError("\(name) expands to more than \(maximumValues) values (YAML aliases repeating aliases?); a configuration or grid is far smaller: write it out without nested aliases")
        }
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.description) {
            case .null: return .null
            case .bool: return Bool.construct(from: scalar).map(ConfigValue.bool) ?? .string(scalar.string)
            case .int:
                if let value = Int.construct(from: scalar) { return .integer(Int64(value)) }
                return .string(scalar.string)
            case .float: return Double.construct(from: scalar).map(ConfigValue.real) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .list(try sequence.map { try convert($0, name: name, budget: &budget) })
        case .mapping(let mapping):
            var fields: [String: ConfigValue] = [:]
            for (key, value) in mapping {
                guard let key = key.string else { throw ConfigError("\(name): a key is not text") }
                guard fields[key] == nil else { throw ConfigError("\(name): the field '\(key)' appears twice") }
                fields[key] = try convert(value, name: name, budget: &budget)
            }
            return .object(fields)
        case .alias:
            throw ConfigError("\(name): YAML aliases are not supported; write the value out")
        }
    }

    static func firstLine(_ error: Error) -> String {
        String(String(describing: error).split(separator: "\n").first ?? "")
    }

    static func reason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return error.localizedDescription
    }
}

/// A configuration or grid that cannot be used, with a message that says what
/// was wrong and how to fix it.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
