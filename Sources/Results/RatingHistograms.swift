/// How a run's ratings spread over the classes: the histogram of every rating
/// it gave (its last feedback round's label buffer), and the share of the
/// largest class. The results issue counts a rating run whose largest class
/// holds more than 90 % of its ratings as one whose scale told the reward
/// model almost nothing.
public struct RatingHistogram: Sendable, Equatable {
    public let path: String
    public let task: String
    public let method: String
    /// Ratings per class, 0…n−1.
    public let counts: [Int]

    /// The largest class's share of all ratings (0 without ratings).
    public var largestShare: Double {
        let total = counts.reduce(0, +)
        return total > 0 ? Double(counts.max()!) / Double(total) : 0
    }

    /// Whether the largest class holds more than `threshold` of the ratings.
    public func isOneClass(threshold: Double = RatingHistogram.oneClassThreshold) -> Bool { largestShare > threshold }

    public static let oneClassThreshold = 0.9

    /// The histograms of the finished rating runs of `rows` (PPO has none).
    public static func of(_ rows: [ResultsTable.Row]) throws -> [RatingHistogram] {
        try rows.flatMap(\.records).compactMap { record in
            guard record.finished, let last = try record.feedbackRounds().last else { return nil }
            return RatingHistogram(path: record.path, task: record.task, method: record.method, counts: last.report.ratingHistogram)
        }
    }

    /// A Markdown table, one run a row, then how many runs are one-class.
    public static func markdown(_ histograms: [RatingHistogram]) -> String {
        var lines = ["| run | ratings per class | largest class |", "|---|---|---|"]
        for h in histograms {
            let share = String(format: "%.1f %%", 100 * h.largestShare)
            lines.append("| \(h.path) | \(h.counts.map(String.init).joined(separator: ", ")) | \(share)\(h.isOneClass() ? " (one class)" : "") |")
        }
        let oneClass = histograms.filter { $0.isOneClass() }.count
        lines.append("")
        lines.append("\(oneClass) of \(histograms.count) rating runs have over \(Int(100 * oneClassThreshold)) % of their ratings in one class.")
        return lines.joined(separator: "\n")
    }
}
