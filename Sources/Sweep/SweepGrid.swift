import Foundation
import RunConfiguration

/// A grid of training runs: configuration fields where a list of values is
/// an axis, expanded into the cross product of its axes.
///
/// The file (JSON or YAML) holds the fields of a run's `config.json`, any
/// subset, nested the same way, plus the shorthands of `ConfigFields`
/// (`tasks`/`task`, `methods`/`method`, `seeds`/`seed`, `steps`, `classes`,
/// `preset`, `alpha`, `stopAccuracy`, ...). A field given a list is an axis;
/// for fields that are lists themselves (`ppo.hiddenSizes`) an axis is a list
/// of lists. Example:
///
///     tasks: [cartpole-balance, walker-walk]
///     methods: [ppo, rbrl, ours]
///     classes: [2, 4]
///     seeds: [1, 2, 3]
///     steps: 1000000
///     preset: quick
///     alpha: [0.01, 0.1]
///     feedback: {training: {stopAccuracy: [0.97, 1]}}
///
/// Rating settings (`feedback`, `classes`, `alpha`, ...) do not apply to
/// `ppo`, which learns from the true reward: its runs drop them, so ppo runs
/// once per task, seed and other axis, not once per number of classes.
/// Every run gets `workers: 1` unless the grid sets `workers`.
public struct SweepGrid: Sendable, Equatable {
    /// The grid as written, shorthands resolved (saved as ROOT/sweep.json).
    public let tree: ConfigValue

    /// One axis: a field and its values.
    public struct Axis: Sendable, Equatable {
        public let path: [String]
        public let values: [ConfigValue]
        /// The axis's name in run folders (e.g. alpha, stopAccuracy).
        public let label: String
    }

    /// The axes, in expansion order: task, method, classes, seed, then the
    /// others by field path.
    public let axes: [Axis]
    /// Fields every run shares (the grid without its axes).
    public let base: ConfigValue

    /// Axes that name folder levels of their own rather than a suffix.
    static let leadingAxes: [[String]] = [["task"], ["method"], ["feedback", "classes"], ["seed"]]

    /// Reads a grid, checking every field name (unknown fields and empty
    /// lists are errors). `name` is used in messages.
    public init(_ tree: ConfigValue, name: String) throws {
        // Read back from JSON, so a grid gives the same runs as its saved copy
        // (JSON writes a whole 1.0 as 1).
        let normalized = try JSONDecoder().decode(
            ConfigValue.self, from: JSONEncoder().encode(try ConfigFields.normalize(tree, name: name, allowLists: true)))
        var axes: [(path: [String], values: [ConfigValue])] = []
        func collect(_ value: ConfigValue, _ path: [String]) {
            switch value {
            case .object(let fields) where !ConfigFields.replacedWhole.contains(path):
                for key in fields.keys.sorted() { collect(fields[key]!, path + [key]) }
            case .list(let elements):
                let fieldIsList = ConfigFields.schema.value(at: path)?.elements != nil
                if !fieldIsList || elements.allSatisfy({ $0.elements != nil }) { axes.append((path, elements)) }
            default:
                break
            }
        }
        collect(normalized, [])
        func rank(_ path: [String]) -> Int { Self.leadingAxes.firstIndex(of: path) ?? Self.leadingAxes.count }
        axes.sort { (rank($0.path), $0.path.joined(separator: ".")) < (rank($1.path), $1.path.joined(separator: ".")) }
        var base = normalized
        for axis in axes { base = base.removing(axis.path) }
        self.tree = normalized
        self.base = base
        self.axes = axes.map { axis in
            Axis(path: axis.path, values: axis.values, label: Self.label(for: axis.path, among: axes.map(\.path)))
        }
    }

    /// Reads a grid file (JSON or YAML).
    public init(path: String) throws {
        try self.init(try ConfigValue.load(path: path), name: path)
    }

    /// A short, readable name for a field: its shorthand, else its last
    /// component, else (when two axes share that) its whole dotted path.
    static func label(for path: [String], among paths: [[String]]) -> String {
        if let shorthand = ConfigFields.shorthands.first(where: { $0.path == path }) { return shorthand.name }
        let last = path.last ?? ""
        return paths.filter { $0.last == last }.count > 1 ? path.joined(separator: ".") : last
    }

    /// The grid's runs, each with a stable folder below the sweep's root:
    /// `TASK/METHOD/nCLASSES/[AXIS VALUES/]seedSEED` (no `nCLASSES` for ppo).
    /// Each run's configuration is resolved and validated; the first
    /// invalid one throws, naming its folder.
    public func runs() throws -> [SweepRun] {
        var runs: [SweepRun] = []
        var byFolder: [String: Int] = [:]
        var combination = [Int](repeating: 0, count: axes.count)
        repeat {
            var request = base
            var suffix: [String] = []
            for (axis, index) in zip(axes, combination) {
                request = request.setting(axis.values[index], at: axis.path)
            }
            // (A method that is not text is left for `resolve` to name; an unknown one keeps its feedback fields.)
            let method: TrainingMethod? = if case .string(let name)? = request.value(at: ["method"]) { TrainingMethod(rawValue: name) } else { .ppo }
            let learnsFromRatings = method != .ppo
            if !learnsFromRatings { request = request.removing(ConfigFields.feedbackPrefix) }
            for (axis, index) in zip(axes, combination) where !Self.leadingAxes.contains(axis.path) {
                if !learnsFromRatings && axis.path.first == ConfigFields.feedbackPrefix.first { continue }
                suffix.append(axis.label + Self.folderText(axis.values[index]))
            }
            if request.value(at: ["workers"]) == nil { request = request.setting(.integer(1), at: ["workers"]) }
            var overrides = ConfigOverrides()
            let config: TrainingConfig
            let describe = describeCombination(combination)
            do {
                try overrides.add(request, from: "the grid")
                config = try overrides.resolve(defaultWorkers: 1)
            } catch {
                throw ConfigError("grid run \(describe): \(error)")
            }
            var components = [config.task, config.method.rawValue]
            if let feedback = config.feedback { components.append("n\(feedback.classes)") }
            if !suffix.isEmpty { components.append(suffix.joined(separator: "-")) }
            components.append("seed\(config.seed)")
            let folder = components.joined(separator: "/")
            if let existing = byFolder[folder] {
                guard runs[existing].request == request else {
                    throw ConfigError("grid runs \(describe) and another one share the folder \(folder) with different settings; give the differing field as a list (an axis) so it names the folder")
                }
            } else {
                byFolder[folder] = runs.count
                runs.append(SweepRun(folder: folder, request: request, config: config))
            }
        } while advance(&combination)
        return runs
    }

    private func describeCombination(_ combination: [Int]) -> String {
        zip(axes, combination).map { "\($0.label)=\($0.values[$1])" }.joined(separator: " ")
    }

    /// The next combination (last axis fastest); false after the last one.
    private func advance(_ combination: inout [Int]) -> Bool {
        var position = axes.count - 1
        while position >= 0 {
            combination[position] += 1
            if combination[position] < axes[position].values.count { return true }
            combination[position] = 0
            position -= 1
        }
        return false
    }

    /// A value as it appears in a folder name: numbers and text as written,
    /// lists joined by x (256x256), objects as their fields (a query
    /// selection: uniform, disagreement.candidateFactor10), other characters
    /// replaced by _.
    static func folderText(_ value: ConfigValue) -> String {
        let text: String = switch value {
        case .integer(let number): "\(number)"
        case .real(let number): "\(number)"
        case .string(let string): string
        case .bool(let flag): "\(flag)"
        case .list(let elements): elements.map(folderText).joined(separator: "x")
        case .object(let fields):
            fields.keys.sorted().map { key in
                let inner = fields[key]!
                if case .object(let nested) = inner { return nested.isEmpty ? key : key + "." + folderText(inner) }
                return key + folderText(inner)
            }.joined(separator: "_")
        case .null: "null"
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+")
        return String(text.map { allowed.contains($0) ? $0 : "_" })
    }
}

/// One run of a sweep.
public struct SweepRun: Sendable, Equatable {
    /// Folder below the sweep's root, e.g. walker-walk/ours/n4/seed12345.
    public let folder: String
    /// The run's fields as the grid gives them (written to request.json).
    public let request: ConfigValue
    /// The resolved configuration the run will train with.
    public let config: TrainingConfig
}
