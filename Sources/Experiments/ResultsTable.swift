import Foundation
import RewardLearning

/// Final returns of finished runs, grouped by task and method, with the mean
/// and standard error across seeds.
public struct ResultsTable: Sendable {
    public struct Row: Sendable {
        public let task: String
        public let method: String
        /// The group's runs, by seed.
        public let runs: [TrainingSummary]
        public var returns: [Double] { runs.map(\.finalEvalReturn) }
        public var mean: Double { Self.mean(returns) }
        /// Sample standard deviation / √n; 0 for a single run.
        public var standardError: Double {
            let returns = self.returns, mean = Self.mean(returns)
            guard returns.count > 1 else { return 0 }
            let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
            return (variance / Double(returns.count)).squareRoot()
        }
        /// Mean final held-out Spearman correlation over the runs that report one.
        public var meanSpearman: Double? {
            let values = runs.compactMap(\.finalSpearman)
            return values.isEmpty ? nil : Self.mean(values)
        }

        static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
    }

    public let rows: [Row]

    /// The order methods are listed in; others follow alphabetically.
    public static let methodOrder = ["ppo"] + RewardLoss.allCases.map(\.rawValue)

    /// Reads every `summary.json` below `folder` (runs still in progress have none).
    public init(folder: String) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw RunError("cannot read \(folder)")
        }
        var groups: [String: [TrainingSummary]] = [:]
        for case let path as String in enumerator where path.hasSuffix("summary.json") {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
            let summary: TrainingSummary
            do { summary = try JSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: url)) } catch {
                throw RunError("\(url.path) is not a run summary: \(error.localizedDescription)")
            }
            groups[summary.task + "\u{0}" + summary.method, default: []].append(summary)
        }
        func rank(_ method: String) -> Int { Self.methodOrder.firstIndex(of: method) ?? Self.methodOrder.count }
        rows = groups.values.map { runs in
            Row(task: runs[0].task, method: runs[0].method, runs: runs.sorted { $0.seed < $1.seed })
        }.sorted { ($0.task, rank($0.method), $0.method) < ($1.task, rank($1.method), $1.method) }
    }

    /// A Markdown table: task, method, runs, mean ± standard error, the
    /// return of each seed and the mean held-out Spearman correlation.
    public var markdown: String {
        var lines = ["| task | method | runs | final return (mean ± s.e.) | per seed | held-out Spearman |",
                     "|---|---|---|---|---|---|"]
        for row in rows {
            let seeds = row.runs.map { "\($0.seed): " + String(format: "%.1f", $0.finalEvalReturn) }
            let spearman = row.meanSpearman.map { String(format: "%.2f", $0) } ?? "–"
            lines.append("| \(row.task) | \(row.method) | \(row.runs.count) | "
                         + String(format: "%.1f ± %.1f", row.mean, row.standardError)
                         + " | \(seeds.joined(separator: ", ")) | \(spearman) |")
        }
        return lines.joined(separator: "\n")
    }
}
