import PPO
import Ratings
import RewardLearning

/// The fields a configuration file may set: those of `config.json` (a
/// `TrainingConfig`, nested the same way) plus short names for the common ones.
public enum ConfigFields {
    /// Short names accepted at the top level of configuration and grid files,
    /// each standing for a field of `config.json` (from `ConfigField.all`).
    public static let shorthands: [(name: String, path: [String])] =
        ConfigField.all.compactMap { field in field.shorthand.map { ($0, field.path) } }

    /// The path a shorthand stands for, or nil.
    public static func path(ofShorthand name: String) -> [String]? {
        shorthands.first { $0.name == name }?.path
    }

    /// Every field a file may name, as a tree of the right shape (values are
    /// examples): a rating method's configuration with every optional field set
    /// and both query selections.
    public static let schema: ConfigValue = {
        var feedback = FeedbackConfig(task: "cartpole-balance", loss: .ours)
        feedback.noise.boltzmannBeta = 1
        feedback.ratingsDatabase = "ratings.db"  // optional: set here so that the schema has them
        feedback.waitForRatings = true
        feedback.preset = FeedbackPreset.names[0]
        feedback.scale = .task
        feedback.ratingEdges = [1, 5, 25]
        let config = TrainingConfig(task: "cartpole-balance", method: .ratings(.ours), totalSteps: 1, seed: 0, preset: "quick",
                                    ppo: .quick, feedback: feedback)
        // Encoding these plain values cannot fail.
        let tree = try! ConfigValue(encoding: config)
        let disagreement = try! ConfigValue(encoding: QuerySelection.disagreement(candidateFactor: 10))
        let uniform = try! ConfigValue(encoding: QuerySelection.uniform)
        return tree.setting(.object(uniform.fields!.merging(disagreement.fields!) { a, _ in a }),
                            at: ["feedback", "querySelection"])
    }()

    /// Fields that take one of a few names, with the names (for messages).
    public static let choices: [[String]: [String]] = [
        ["ppo", "activation"]: HiddenActivation.allCases.map(\.rawValue),
        ["feedback", "scale"]: RatingScaleRule.allCases.map(\.rawValue),
        ["feedback", "rewardModel", "objective", "loss"]: RewardLoss.allCases.map(\.rawValue),
        ["feedback", "training", "stopRule"]: RewardTrainingSettings.StopRule.allCases.map(\.rawValue),
    ]

    /// Fields whose value is replaced whole rather than merged field by field
    /// (one case of an enumeration).
    public static let replacedWhole: [[String]] = [["feedback", "querySelection"]]

    /// Fields that apply only to methods that learn from ratings.
    public static let feedbackPrefix = ["feedback"]

    /// Dotted form of a path, for messages: `feedback.training.epochs`.
    public static func dotted(_ path: [String]) -> String { path.isEmpty ? "(top level)" : path.joined(separator: ".") }

    /// Normalises a file's tree: shorthands become their fields, and a query
    /// selection given by name (`uniform`, `disagreement`) becomes its object.
    /// Throws for an unknown field (naming its path and the fields allowed
    /// there) or a field given twice (once by shorthand). `allowLists` permits
    /// a list of values where one value is expected (grid axes).
    public static func normalize(_ tree: ConfigValue, name: String, allowLists: Bool = false) throws -> ConfigValue {
        guard var fields = tree.fields else {
            throw ConfigError("\(name) must hold an object of fields (e.g. task: cartpole-balance), got \(tree.kind)")
        }
        var result = ConfigValue.object([:])
        for (shorthand, path) in shorthands {
            guard let value = fields.removeValue(forKey: shorthand) else { continue }
            if tree.value(at: path) != nil {
                throw ConfigError("\(name): '\(shorthand)' and '\(dotted(path))' both set \(dotted(path)); keep one")
            }
            result = result.setting(value, at: path)
        }
        result = result.merging(.object(fields))
        let query = ["feedback", "querySelection"]
        if let selection = result.value(at: query) {
            result = result.setting(try querySelection(selection, allowLists: allowLists, name: name), at: query)
        }
        try check(result, against: schema, path: [], name: name, allowLists: allowLists)
        return result
    }

    private static func querySelection(_ value: ConfigValue, allowLists: Bool, name: String) throws -> ConfigValue {
        switch value {
        case .string(let text):
            guard let kind = QuerySelection.Kind(rawValue: text) else {
                let valid = QuerySelection.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigError("\(name): feedback.querySelection '\(text)' is not available; valid: \(valid)")
            }
            return try ConfigValue(encoding: kind.selection)
        case .list(let values) where allowLists:
            return .list(try values.map { try querySelection($0, allowLists: false, name: name) })
        default: return value
        }
    }

    private static func check(_ value: ConfigValue, against schema: ConfigValue, path: [String], name: String,
                              allowLists: Bool) throws {
        switch (value, schema) {
        case (.object(let fields), .object(let allowed)):
            for (key, inner) in fields.sorted(by: { $0.key < $1.key }) {
                guard let innerSchema = allowed[key] else {
                    var names = allowed.keys.sorted()
                    if path.isEmpty { names += shorthands.map(\.name) }
                    throw ConfigError("\(name): unknown field '\(dotted(path + [key]))'; fields "
                                      + (path.isEmpty ? "at the top level" : "of \(dotted(path))")
                                      + ": \(names.joined(separator: ", "))")
                }
                try check(inner, against: innerSchema, path: path + [key], name: name, allowLists: allowLists)
            }
        case (.list(let values), _) where allowLists && !isList(schema) || allowLists && values.allSatisfy(isList):
            guard !values.isEmpty else {
                throw ConfigError("\(name): \(dotted(path)) is an empty list; give at least one value")
            }
            if let twice = values.enumerated().first(where: { index, value in values[..<index].contains(value) })?.element {
                throw ConfigError("\(name): \(dotted(path)) lists \(twice) twice; each value of an axis makes runs of its own, so give it once")
            }
            for inner in values { try check(inner, against: schema, path: path, name: name, allowLists: false) }
        case (.list(let values), .list):
            if values.contains(where: { $0.fields != nil || isList($0) }) {
                throw ConfigError("\(name): \(dotted(path)) takes a list of numbers, e.g. \(schema)")
            }
        case (.list, _):
            throw ConfigError("\(name): \(dotted(path)) takes one value, e.g. \(schema), not a list"
                              + (allowLists ? "" : " (lists of values make axes in `ratingrl sweep` grids)"))
        case (.object, _):
            throw ConfigError("\(name): \(dotted(path)) takes \(schema.kind), e.g. \(schema), not an object")
        case (_, .object):
            throw ConfigError("\(name): \(dotted(path)) is a group of fields (\(schema.fields!.keys.sorted().joined(separator: ", "))), not \(value.kind)")
        case (.real(let number), _) where !number.isFinite:
            // config.json is JSON, which holds finite numbers only.
            throw ConfigError("\(name): \(dotted(path)) must be a finite number, got \(number)")
        default:
            break  // Scalar types are checked when the merged configuration is decoded.
        }
    }

    static func isList(_ value: ConfigValue) -> Bool { value.elements != nil }
}
