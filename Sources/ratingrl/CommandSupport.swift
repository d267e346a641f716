import ArgumentParser
import Control
import Foundation
import PPO
import RunConfiguration

extension ModelOptions {
    func directory() throws -> ModelDirectory {
        do { return try ModelDirectory.locate(explicit: models) } catch { throw CleanExit.failure(error) }
    }
}

extension CleanExit {
    /// Turns a library error into a one-line message and a non-zero exit.
    static func failure(_ error: Error) -> Error {
        ValidationFailure(message: "\(error)")
    }
}

/// An error whose description is the whole message shown to the user.
struct ValidationFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Resolves "all" or a comma-separated list into task names, rejecting unknown ones.
func resolveTasks(_ spec: String) throws -> [String] {
    if spec == "all" { return Suite.benchmarkTasks }
    let names = spec.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
    for name in names where !Suite.taskNames.contains(name) {
        throw ValidationFailure(message: "\(ControlError.unknownTask(name, valid: Suite.taskNames))")
    }
    return names
}

/// Writes `data` to `path` atomically (a temporary file renamed into place),
/// or to standard output when `path` is "-".
func writeOutput(_ data: Data, to path: String) throws {
    if path == "-" {
        FileHandle.standardOutput.write(data)
        // End the last line; text that ends its own (JSON lines, CSV) gets no blank line after it.
        if let last = data.last, last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
        return
    }
    do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw ValidationFailure(message: "cannot write \(path): \(error.localizedDescription)")
    }
}

/// The named preset for `task` with `key=value,...` overrides applied, validated.
func resolvePPOConfig(preset: PPOConfig.Preset, task: String, overrides: String?) throws -> PPOConfig {
    var config = PPOConfig.preset(preset, task: task)
    for assignment in (overrides ?? "").split(separator: ",") {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ValidationFailure(message: "--set: '\(assignment)' is not key=value") }
        do { try config.set(parts[0], to: parts[1]) } catch let error as PPOConfig.OverrideError {
            throw ValidationFailure(message: "--set: \(error.description)")
        }
    }
    guard config.problems.isEmpty else {
        throw ValidationFailure(message: "invalid configuration: " + config.problems.joined(separator: "; "))
    }
    return config
}

/// `--set key=value,...` as fields of config.json's ppo section (nil when not
/// given); each value is read as `PPOConfig.set` reads it.
func ppoFields(_ assignments: String?) throws -> ConfigValue? {
    guard let assignments else { return nil }
    var fields: [String: ConfigValue] = [:]
    for assignment in assignments.split(separator: ",") {
        let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ValidationFailure(message: "--set: '\(assignment)' is not key=value") }
        var parsed = PPOConfig.quick
        do { try parsed.set(parts[0], to: parts[1]) } catch let error as PPOConfig.OverrideError {
            throw ValidationFailure(message: "--set: \(error.description)")
        }
        fields[parts[0]] = try ConfigValue(encoding: parsed).value(at: [parts[0]])
    }
    return .object(fields)
}

/// A seed option's value: a whole number from 0 to 2^64 − 1, or a message saying so
/// (ArgumentParser alone says only that "-1" is invalid).
func parseSeed(_ text: String) throws -> UInt64 {
    guard let seed = UInt64(text) else {
        throw ValidationError("a seed is a whole number from 0 to \(UInt64.max)")
    }
    return seed
}

/// Writes a line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
