import Foundation
import RunConfiguration

/// Which configuration fields tell a set of runs apart. Runs belong to the
/// same group when every field of their configuration agrees except the seed
/// and fields that cannot change results (`ignoredFields`). The columns are
/// task, method, the headline fields that take more than one value, and any
/// other field needed to tell the groups apart.
public struct RunGrouping: Sendable {
    /// A configuration field shown as a column.
    public struct Column: Sendable, Equatable {
        /// Dotted key path in the flattened config.json.
        public let key: String
        /// Short name for tables and legends.
        public let label: String
    }

    /// Fields that do not define a group: the seed (runs of a group differ in
    /// it), threads, and checkpoint spacing.
    public static let ignoredFields: Set<String> = ["seed", "workers", "checkpointInterval"]

    /// Fields shown whenever they vary, in this order, with their short names.
    public static let headline: [Column] = [
        Column(key: "task", label: "task"),
        Column(key: "method", label: "method"),
        Column(key: "feedback.classes", label: "classes"),
        Column(key: "totalSteps", label: "steps"),
        Column(key: "preset", label: "preset"),
        Column(key: "feedback.rewardModel.objective.regression.scale", label: "α"),
    ]

    /// The order methods are listed in; others follow alphabetically.
    public static let methodOrder = TrainingMethod.allCases.map(\.rawValue)

    public let columns: [Column]
    /// Headline fields (other than task and method) with a single value across the runs.
    public let shared: [(column: Column, value: String)]
    /// Every field that defines a group.
    public let groupFields: [String]

    public init(runs: [RunRecord]) {
        let keys = Set(runs.flatMap(\.config.values.keys)).subtracting(Self.ignoredFields)
        groupFields = keys.sorted()
        var columns = Array(Self.headline.prefix(2))
        var shared: [(Column, String)] = []
        for column in Self.headline.dropFirst(2) {
            let values = Set(runs.compactMap { $0.config[column.key] })
            if values.count > 1 { columns.append(column) } else if let value = values.first { shared.append((column, value)) }
        }
        // Any other field joins the columns if runs that agree on the columns
        // so far disagree on it; a field that follows from them (such as the
        // reward loss from the method) stays out.
        let headlineKeys = Set(Self.headline.map(\.key))
        for key in groupFields where !headlineKeys.contains(key) {
            var seen: [[String?]: String?] = [:]
            let needed = runs.contains { run in
                let context = columns.map { run.config[$0.key] }
                if let earlier = seen[context] { return earlier != run.config[key] }
                seen[context] = run.config[key]
                return false
            }
            if needed { columns.append(Column(key: key, label: key)) }
        }
        self.columns = columns
        self.shared = shared
    }

    /// The run's values in the columns (nil where its config lacks the field).
    public func values(of run: RunRecord) -> [String?] { columns.map { run.config[$0.key] } }

    /// Identifies the run's group: its values of every group field.
    public func key(of run: RunRecord) -> [String?] { groupFields.map { run.config[$0] } }

    /// What tells the run's group apart beyond task, method and classes
    /// ("steps=20000 α=0.3"), from the fields the run has; empty if nothing.
    public func variant(of run: RunRecord) -> String {
        let core: Set<String> = ["task", "method", "feedback.classes"]
        return columns.filter { !core.contains($0.key) }
            .compactMap { column in run.config[column.key].map { "\(column.label)=\($0)" } }
            .joined(separator: " ")
    }

    /// Orders runs (or rows) by their column values: task, method in
    /// `methodOrder`, then each further column, numbers as numbers, missing first.
    public func precedes(_ a: [String?], _ b: [String?]) -> Bool {
        for (index, column) in columns.enumerated() where a[index] != b[index] {
            guard let x = a[index] else { return true }
            guard let y = b[index] else { return false }
            if column.key == "method" {
                let rx = Self.methodOrder.firstIndex(of: x) ?? Self.methodOrder.count
                let ry = Self.methodOrder.firstIndex(of: y) ?? Self.methodOrder.count
                if rx != ry { return rx < ry }
            }
            if let dx = Double(x), let dy = Double(y), dx != dy { return dx < dy }
            return x.compare(y, options: [.numeric]) == .orderedAscending
        }
        return false
    }

    /// Splits runs into groups, each run's seed counted once: a later run (by
    /// path) repeating a group's seed is a duplicate, returned with the run it repeats.
    public func groups(_ runs: [RunRecord]) -> (groups: [[RunRecord]], duplicates: [(run: RunRecord, of: RunRecord)]) {
        var order: [[String?]] = []
        var members: [[String?]: [RunRecord]] = [:]
        var duplicates: [(RunRecord, RunRecord)] = []
        for run in runs {
            let key = key(of: run)
            if let first = members[key]?.first(where: { $0.seed == run.seed }) {
                duplicates.append((run, first))
                continue
            }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        let groups = order.map { key in
            members[key]!.sorted { (UInt64($0.seed) ?? 0, $0.seed) < (UInt64($1.seed) ?? 0, $1.seed) }
        }
        return (groups.sorted { precedes(values(of: $0[0]), values(of: $1[0])) }, duplicates)
    }
}
