import Foundation
import Training

/// Final returns of finished runs, one row per group of runs that share their
/// whole configuration but the seed (see `RunGrouping`), with the mean and
/// standard error across seeds. Unfinished runs are listed apart; a seed
/// repeated within a group (a copied run) is counted once and warned about.
/// Optionally also each run's mean over its last few evaluations, steadier
/// than the final one when returns swing from one evaluation to the next.
public struct ResultsTable: Sendable {
    public struct Row: Sendable {
        /// The row's value in each of the table's columns (nil: the run has no such field).
        public let values: [String?]
        /// The group's finished runs, by seed, each seed once.
        public let records: [RunRecord]
        /// Each run's mean return over its last `lastEvaluations` evaluations,
        /// in the order of `runs`; nil when the table was made without them.
        public let lateReturns: [Double]?
        public var runs: [TrainingSummary] { records.compactMap(\.summary) }
        public var task: String { records[0].task }
        public var method: String { records[0].method }
        public var returns: [Double] { runs.map(\.finalEvalReturn) }
        public var mean: Double { Self.mean(returns) }
        /// Sample standard deviation / √n; nil for a single run, which has none.
        public var standardError: Double? { Self.standardError(returns) }
        /// The mean over runs of `lateReturns`.
        public var lateMean: Double? { lateReturns.map(Self.mean) }
        /// The standard error over runs of `lateReturns` (nil for a single run).
        public var lateStandardError: Double? { lateReturns.flatMap(Self.standardError) }
        /// Mean final held-out Spearman correlation over the runs that report one.
        public var meanSpearman: Double? {
            let values = runs.compactMap(\.finalSpearman)
            return values.isEmpty ? nil : Self.mean(values)
        }
        /// How many of the runs report a held-out Spearman correlation (a
        /// reward model that gives every held-out segment the same return has none).
        public var spearmanCount: Int { runs.filter { $0.finalSpearman != nil }.count }

        static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

        static func standardError(_ values: [Double]) -> Double? {
            guard values.count > 1 else { return nil }
            let mean = Self.mean(values)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            return (variance / Double(values.count)).squareRoot()
        }
    }

    public let grouping: RunGrouping
    public let rows: [Row]
    /// Runs that have a config.json but no summary.json yet, by path.
    public let unfinished: [RunRecord]
    /// Unreadable run folders and repeated seeds, one sentence each.
    public let warnings: [String]
    /// How many of each run's last evaluations `Row.lateReturns` averages; nil: none.
    public let lastEvaluations: Int?

    /// The order methods are listed in; others follow alphabetically.
    public static let methodOrder = RunGrouping.methodOrder

    /// Groups the finished runs of a catalog; with `lastEvaluations`, also
    /// reads each finished run's evaluations.csv and averages its last
    /// `lastEvaluations` returns. Throws when one cannot be read or has fewer.
    public init(catalog: RunCatalog, lastEvaluations: Int? = nil) throws {
        let finished = catalog.runs.filter(\.finished)
        let grouping = RunGrouping(runs: finished)
        let (groups, duplicates) = grouping.groups(finished)
        self.grouping = grouping
        self.lastEvaluations = lastEvaluations
        rows = try groups.map { records in
            let late = try lastEvaluations.map { count in try records.map { try Self.lateReturn(of: $0, last: count) } }
            return Row(values: grouping.values(of: records[0]), records: records, lateReturns: late)
        }
        unfinished = catalog.runs.filter { !$0.finished }
        // A table says when its runs come from different code.
        let builds = Set(finished.compactMap { $0.summary?.buildCommit })
        let mixed = builds.count > 1 ? ["the runs were trained by \(builds.count) builds (\(builds.sorted().map { String($0.prefix(12)) }.joined(separator: ", "))); see build_commit in each summary.json"] : []
        warnings = catalog.warnings + mixed + duplicates.map { duplicate, original in
            "\(duplicate.path) repeats seed \(duplicate.seed) of \(original.path) with the same configuration; counted once"
        }
    }

    /// Reads every run below `folder`.
    public init(folder: String, lastEvaluations: Int? = nil) throws {
        try self.init(catalog: try RunCatalog(root: folder), lastEvaluations: lastEvaluations)
    }

    /// Reads every run below each of `folders`.
    public init(folders: [String], lastEvaluations: Int? = nil) throws {
        try self.init(catalog: try RunCatalog(roots: folders), lastEvaluations: lastEvaluations)
    }

    static func lateReturn(of run: RunRecord, last count: Int) throws -> Double {
        let points = try run.evaluations()
        guard points.count >= count else {
            throw RunError("\(run.path) has \(points.count) evaluation\(points.count == 1 ? "" : "s"), fewer than the last "
                           + "\(count) asked for; ask for at most \(points.count)")
        }
        return Row.mean(points.suffix(count).map(\.meanReturn))
    }

    /// The label of the late-returns column, e.g. "last 6 evaluations (mean ± s.e.)".
    var lateLabel: String? { lastEvaluations.map { "last \($0) evaluations (mean ± s.e.)" } }

    static func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

    /// A Markdown table: the group's columns, runs, mean ± standard error ("–"
    /// for a single run), the
    /// return of each seed, the mean held-out Spearman correlation (marked
    /// "k of n" when only some runs have one) and, if asked for, the mean ±
    /// standard error of the late returns; then the settings all runs share
    /// and the unfinished runs.
    public var markdown: String {
        let labels = grouping.columns.map(\.label)
            + ["runs", "final return (mean ± s.e.)", "per seed", "held-out Spearman"] + [lateLabel].compactMap { $0 }
        var lines = ["| " + labels.joined(separator: " | ") + " |",
                     "|" + String(repeating: "---|", count: labels.count)]
        var partialSpearman = false
        for row in rows {
            let seeds = row.runs.map { "\($0.seed): " + Self.format($0.finalEvalReturn) }
            var spearman = row.meanSpearman.map { Self.format($0, 2) } ?? "–"
            if row.meanSpearman != nil && row.spearmanCount < row.runs.count {
                spearman += " (\(row.spearmanCount) of \(row.runs.count))"
                partialSpearman = true
            }
            let late = row.lateMean.map { Self.format($0) + " ± " + (row.lateStandardError.map { Self.format($0) } ?? "–") }
            let cells = row.values.map { $0 ?? "–" } + [
                "\(row.runs.count)", Self.format(row.mean) + " ± " + (row.standardError.map { Self.format($0) } ?? "–"),
                seeds.joined(separator: ", "), spearman,
            ] + [late].compactMap { $0 }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if partialSpearman {
            lines.append("")
            lines.append("Held-out Spearman \"k of n\": the mean over the k runs that have one; the others' last reward"
                         + " model gave every held-out segment the same return, so no rank correlation exists.")
        }
        if !grouping.shared.isEmpty {
            lines.append("")
            lines.append("Same for every run: " + grouping.shared.map { "\($0.column.label) \($0.value)" }.joined(separator: ", ") + ".")
        }
        if !unfinished.isEmpty {
            lines.append("")
            lines.append("Unfinished (no summary.json):")
            for run in unfinished { lines.append("- \(run.path) (\(run.task) \(run.method) seed \(run.seed))") }
        }
        return lines.joined(separator: "\n")
    }

    /// The same table as CSV: one column per configuration key path, then
    /// runs, mean, standard_error (empty for a single run), seeds and returns
    /// (space-separated, in the same order) and spearman (empty when no run
    /// reports one), then, if asked for, late_mean, late_standard_error and
    /// late_returns (each run's mean over its last evaluations).
    public var csv: String {
        let header = grouping.columns.map(\.key) + ["runs", "mean", "standard_error", "seeds", "returns", "spearman"]
            + (lastEvaluations == nil ? [] : ["late_mean", "late_standard_error", "late_returns"])
        var lines = [CSVText.line(header)]
        for row in rows {
            var cells: [String] = row.values.map { $0 ?? "" }
            cells += ["\(row.runs.count)", "\(row.mean)", row.standardError.map { "\($0)" } ?? "",
                      row.runs.map { "\($0.seed)" }.joined(separator: " "),
                      row.returns.map { "\($0)" }.joined(separator: " "),
                      row.meanSpearman.map { "\($0)" } ?? ""]
            if let late = row.lateReturns {
                cells += [row.lateMean.map { "\($0)" } ?? "", row.lateStandardError.map { "\($0)" } ?? "",
                          late.map { "\($0)" }.joined(separator: " ")]
            }
            lines.append(CSVText.line(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Quoting for CSV fields (RFC 4180).
public enum CSVText {
    /// The field, quoted if it holds a comma, quote or line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One CSV line (without its line break).
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
