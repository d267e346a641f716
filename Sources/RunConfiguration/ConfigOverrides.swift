import Control
import Foundation
import PPO
import Ratings
import RewardLearning

/// Layers of configuration fields (e.g. a config file, then command-line
/// flags) that resolve, on top of the defaults of their preset, task and
/// method, into a validated `TrainingConfig`.
///
/// A layer is a tree of `config.json`'s fields, nested the same way, any
/// subset of them (shorthands such as `steps`, `classes` or `alpha` are
/// accepted at the top level; see `ConfigFields`). Later layers override
/// earlier ones field by field. Resolution order:
/// defaults of (preset, task, method) ← the named feedback preset, if a layer
/// names one ← first layer ← … ← last layer.
public struct ConfigOverrides: Sendable {
    /// The layers, lowest first, each with a name for messages.
    public private(set) var layers: [(name: String, tree: ConfigValue)] = []

    public init() {}

    /// Adds a layer on top, after checking its fields (unknown ones are an error).
    public mutating func add(_ tree: ConfigValue, from name: String) throws {
        layers.append((name, try ConfigFields.normalize(tree, name: name)))
    }

    /// Adds a JSON or YAML file as a layer on top.
    public mutating func addFile(_ path: String) throws {
        try add(try ConfigValue.load(path: path), from: path)
    }

    /// All layers merged, later ones on top.
    public var merged: ConfigValue {
        layers.reduce(ConfigValue.object([:])) { $0.merging($1.tree, replacing: ConfigFields.replacedWhole) }
    }

    /// Whether any layer sets the field at `path`.
    public func sets(_ path: [String]) -> Bool { merged.value(at: path) != nil }

    /// The resolved configuration. `defaultWorkers` is used when no layer sets
    /// `workers`. Evaluations default to every tenth of the run (at least one
    /// rollout) and checkpoints to every evaluation. Throws a `ConfigError`
    /// naming the field for a missing, mistyped or out-of-range value.
    public func resolve(defaultWorkers: Int) throws -> TrainingConfig {
        let merged = self.merged
        func text(_ field: String, default value: String? = nil) throws -> String? {
            switch merged.value(at: [field]) {
            case nil: return value
            case .string(let text)?: return text
            case let other?: throw ConfigError("\(field) must be text, got \(other)")
            }
        }
        guard let task = try text("task") else {
            throw ConfigError("no task given: set one, e.g. --task cartpole-balance or `task: cartpole-balance` in the config file")
        }
        guard Suite.taskNames.contains(task) else {
            throw ConfigError("\(ControlError.unknownTask(task, valid: Suite.taskNames))")
        }
        let methodName = try text("method")
        guard let method = methodName.map(TrainingMethod.init(rawValue:)) ?? .ppo else {
            throw ConfigError(TrainingMethod.unknownMessage(methodName!))
        }
        let preset = try text("preset", default: "quick")!
        guard let ppo = PPOConfig.preset(preset, task: task) else {
            throw ConfigError("unknown preset '\(preset)'; valid: \(PPOConfig.presetNames.joined(separator: ", "))")
        }
        guard merged.value(at: ["totalSteps"]) != nil else {
            throw ConfigError("no step count given: set one, e.g. --steps 100000 or `steps: 100000` in the config file")
        }
        if !method.learnsFromRatings, merged.value(at: ConfigFields.feedbackPrefix) != nil {
            let from = layers.filter { $0.tree.value(at: ConfigFields.feedbackPrefix) != nil }.map(\.name)
            throw ConfigError("rating settings (feedback, \(from.joined(separator: ", "))) apply only to methods that learn from ratings (\(RewardLoss.allCases.map(\.rawValue).joined(separator: ", "))); method ppo learns from the true reward: drop them or choose another method")
        }
        let defaults = TrainingConfig(task: task, method: method, totalSteps: 1, seed: 0, preset: preset, ppo: ppo,
                                      workers: defaultWorkers,
                                      feedback: method.loss.map { FeedbackConfig(task: task, loss: $0) })
        var tree = try ConfigValue(encoding: defaults)
        if let preset = try feedbackPreset(in: merged) {
            tree = tree.merging(.object(["feedback": preset]), replacing: ConfigFields.replacedWhole)
        }
        tree = tree.merging(merged, replacing: ConfigFields.replacedWhole)
        var config: TrainingConfig
        do { config = try tree.decode(TrainingConfig.self) } catch let error as DecodingError {
            if let path = Self.fractionalWholeNumber(in: tree) {
                throw ConfigError("\(ConfigFields.dotted(path)) must be a whole number, got \(tree.value(at: path)!)")
            }
            throw ConfigError(Self.message(for: error, in: tree))
        }
        // The loss follows the method (`TrainingConfig` keeps it so), but a layer that
        // chose a method and another loss asked for two things.
        let lossPath = ["feedback", "rewardModel", "objective", "loss"]
        if case .string(let loss)? = merged.value(at: lossPath), loss != method.rawValue {
            let methodLayer = layers.lastIndex { $0.tree.value(at: ["method"]) != nil } ?? -1
            let lossLayer = layers.lastIndex { $0.tree.value(at: lossPath) != nil }!
            if lossLayer >= methodLayer {
                throw ConfigError("\(layers[lossLayer].name): \(ConfigFields.dotted(lossPath)) (\(loss)) differs from the method (\(method)); the loss follows the method, so drop the field")
            }
        }
        // The task scale's boundaries: the task's measured ones unless a layer gives its own.
        if config.feedback?.scale == .task, merged.value(at: ["feedback", "ratingEdges"]) == nil, let feedback = config.feedback {
            do { config.feedback?.ratingEdges = try TaskRatingScale.innerEdges(task: task, classCount: feedback.classes) } catch {
                throw ConfigError("\(error)")
            }
        }
        // (Intervals derive from the step count only when it is in range, so a bad one is reported once.)
        let stepsInRange = (1...TrainingConfig.maximumSteps).contains(config.totalSteps)
        if merged.value(at: ["evaluationInterval"]) == nil && stepsInRange {
            config.evaluationInterval = max(config.ppo.rolloutSize, config.totalSteps / 10)
        }
        if merged.value(at: ["checkpointInterval"]) == nil { config.checkpointInterval = config.evaluationInterval }
        let problems = config.problems
        guard problems.isEmpty else { throw ConfigError("invalid configuration: " + problems.joined(separator: "; ")) }
        return config
    }

    /// The fields of the feedback preset `merged` names, if any; throws for an unknown name.
    func feedbackPreset(in merged: ConfigValue) throws -> ConfigValue? {
        let path = ["feedback", "preset"]
        switch merged.value(at: path) {
        case nil: return nil
        case .string(let name)?:
            guard let preset = FeedbackPreset.named(name) else {
                throw ConfigError("unknown feedback preset '\(name)'; valid: \(FeedbackPreset.names.joined(separator: ", "))")
            }
            return preset.fields
        case let other?: throw ConfigError("\(ConfigFields.dotted(path)) must be text, got \(other)")
        }
    }

    /// The field holding a fraction where a whole number is expected, found by
    /// rounding each fractional value until the tree decodes (the decoder's own
    /// error does not say which field it was).
    static func fractionalWholeNumber(in tree: ConfigValue) -> [String]? {
        func fractions(_ value: ConfigValue, _ path: [String]) -> [[String]] {
            switch value {
            case .object(let fields): return fields.keys.sorted().flatMap { fractions(fields[$0]!, path + [$0]) }
            case .real(let number) where number.rounded() != number: return [path]
            default: return []
            }
        }
        for path in fractions(tree, []) {
            guard case .real(let number) = tree.value(at: path)!, abs(number) < 1e15 else { continue }
            let rounded = tree.setting(.integer(Int64(number.rounded())), at: path)
            if (try? rounded.decode(TrainingConfig.self)) != nil { return path }
        }
        return nil
    }

    /// A one-line message for a value that does not decode: its field, what it
    /// takes (from the schema) and what was given.
    static func message(for error: DecodingError, in tree: ConfigValue) -> String {
        func describe(_ path: [CodingKey], expected: Any.Type?) -> String {
            let keys = path.map(\.stringValue)
            let given = tree.value(at: keys).map { "\($0)" } ?? "nothing"
            let example = ConfigFields.schema.value(at: keys)
            let kind: String? = switch expected {
            case is Int.Type, is Int64.Type, is UInt64.Type: "a whole number"
            case is Double.Type, is Float.Type: "a number"
            case is Bool.Type: "true or false"
            case is String.Type: "text"
            default: example?.kind
            }
            return "\(ConfigFields.dotted(keys)) must be \(kind ?? "a valid value")"
                + (example.map { " (e.g. \($0))" } ?? "") + ", got \(given)"
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return describe(context.codingPath, expected: type)
        case .dataCorrupted(let context) where ConfigFields.choices[context.codingPath.map(\.stringValue)] != nil:
            let keys = context.codingPath.map(\.stringValue)
            return "\(ConfigFields.dotted(keys)) must be one of \(ConfigFields.choices[keys]!.joined(separator: ", ")), got \(tree.value(at: keys).map { "\($0)" } ?? "nothing")"
        case .dataCorrupted(let context):
            let wholeNumber = context.debugDescription.contains("does not fit")
            return describe(context.codingPath, expected: wholeNumber ? Int.self : nil)
        case .keyNotFound(let key, let context):
            return "\(ConfigFields.dotted(context.codingPath.map(\.stringValue))) needs the field '\(key.stringValue)'"
        @unknown default:
            return "\(error)"
        }
    }
}
