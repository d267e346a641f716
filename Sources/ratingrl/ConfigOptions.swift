import ArgumentParser
import Foundation
import PPO
import Ratings
import RewardLearning
import RunConfiguration

/// The options of `arguments` that set fields of config.json (those named in
/// `ConfigField.all`), as a tree of those fields; options not given are left
/// out. The options are found by reflection, as ArgumentParser finds them, so
/// an option is declared once, in its command, and its field once, in the table.
func configFields(of arguments: some ParsableArguments) throws -> ConfigValue {
    var tree = ConfigValue.object([:])
    for child in Mirror(reflecting: arguments).children {
        // ArgumentParser's property wrappers store `--name`'s value as `_name`.
        guard let label = child.label, label.hasPrefix("_"), let field = ConfigField.option(String(label.dropFirst())) else {
            continue
        }
        guard let option = child.value as? any ConfigOption else {
            preconditionFailure("\(field.flag) holds a type with no ConfigOptionValue conformance")
        }
        guard let value = try option.configValue(flag: field.flag) else { continue }
        switch (field.form, value) {
        case (.filePath, .string(let path)):
            tree = tree.setting(.string(URL(fileURLWithPath: path).standardizedFileURL.path), at: field.path)
        default:
            tree = tree.setting(value, at: field.path)
        }
    }
    return tree
}

/// An `@Option` or `@Flag` whose value can be a field of config.json.
protocol ConfigOption {
    /// The value as config.json holds it; nil when the option was not given.
    func configValue(flag: String) throws -> ConfigValue?
}

extension Option: ConfigOption where Value: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { try wrappedValue.configValue(flag: flag) }
}

extension Flag: ConfigOption where Value == Bool {
    /// A flag sets its field to true when given and leaves it alone otherwise.
    func configValue(flag: String) throws -> ConfigValue? { wrappedValue ? .bool(true) : nil }
}

/// A type of option value, and how config.json holds it.
protocol ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue?
}

extension Optional: ConfigOptionValue where Wrapped: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { try self?.configValue(flag: flag) }
}

extension Int: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { .integer(Int64(self)) }
}

extension UInt64: ConfigOptionValue {
    /// config.json's whole numbers are signed 64-bit ones.
    func configValue(flag: String) throws -> ConfigValue? {
        guard let value = Int64(exactly: self) else { throw ValidationFailure(message: "\(flag) must be below 2^63, got \(self)") }
        return .integer(value)
    }
}

extension Double: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { .real(self) }
}

extension String: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { .string(self) }
}

extension ConfigOptionValue where Self: RawRepresentable, RawValue == String {
    func configValue(flag: String) throws -> ConfigValue? { .string(rawValue) }
}

extension TrainingMethod: ConfigOptionValue {}
extension PPOConfig.Preset: ConfigOptionValue {}
extension RatingScaleRule: ConfigOptionValue {}
extension RewardTrainingSettings.StopRule: ConfigOptionValue {}
extension QuerySelection.Kind: ConfigOptionValue {}

extension FeedbackPreset: ConfigOptionValue {
    func configValue(flag: String) throws -> ConfigValue? { .string(name) }
}
