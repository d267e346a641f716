import Foundation

/// Final returns of finished runs, grouped by task and method, with the mean
/// and standard error across seeds.
public struct ResultsTable: Sendable {
    public struct Row: Sendable {
        public let task: String
        public let method: String
        public let returns: [Double]
        public var mean: Double { returns.reduce(0, +) / Double(returns.count) }
        /// Sample standard deviation / √n; 0 for a single run.
        public var standardError: Double {
            guard returns.count > 1 else { return 0 }
            let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
            return (variance / Double(returns.count)).squareRoot()
        }
    }

    public let rows: [Row]

    /// Reads every `summary.json` below `folder` (runs still in progress have none).
    public init(folder: String) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw RunError("cannot read \(folder)")
        }
        var groups: [String: (task: String, method: String, returns: [Double])] = [:]
        for case let path as String in enumerator where path.hasSuffix("summary.json") {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(path)
            let summary: TrainingSummary
            do { summary = try JSONDecoder().decode(TrainingSummary.self, from: Data(contentsOf: url)) } catch {
                throw RunError("\(url.path) is not a run summary: \(error.localizedDescription)")
            }
            let key = summary.task + "\u{0}" + summary.method
            groups[key, default: (summary.task, summary.method, [])].returns.append(summary.finalEvalReturn)
        }
        rows = groups.values.map { Row(task: $0.task, method: $0.method, returns: $0.returns) }
            .sorted { ($0.task, $0.method) < ($1.task, $1.method) }
    }

    /// A Markdown table: task, method, runs, mean ± standard error.
    public var markdown: String {
        var lines = ["| task | method | runs | final return (mean ± s.e.) |", "|---|---|---|---|"]
        for row in rows {
            lines.append("| \(row.task) | \(row.method) | \(row.returns.count) | "
                         + String(format: "%.1f ± %.1f", row.mean, row.standardError) + " |")
        }
        return lines.joined(separator: "\n")
    }
}
