import Foundation
import RewardLearning
import Training

/// Every run below a root as two tidy CSV tables, ready for a data-frame
/// library: `runs.csv`, one row per run × evaluation, and `feedback.csv`, one
/// row per run × feedback round. Both lead with the run's folder, whether it
/// finished, its group (as `ratingrl summarize` forms them), what sets the
/// group apart beyond task, method and classes (`variant`), the run it
/// repeats if it is a copy (`duplicate_of`), and every flattened config.json
/// field as a column.
public struct TidyTables: Sendable {
    /// Columns after the config fields in `runs.csv`: those of a run's
    /// evaluations.csv. `returns` holds each episode's return, separated by
    /// spaces (empty for runs whose evaluations.csv predates it).
    public static let evaluationColumns = EvaluationPoint.columns
    /// Columns after the config fields in `feedback.csv`. Weights are members'
    /// means: `regression_weight` and `classification_weight` are the
    /// effective weights on L_reg and L_cls (½e^(−s₁) and e^(−s₂) for the
    /// learned methods, constants for the others); `exp_neg_s1` and
    /// `exp_neg_s2` are e^(−s₁) and e^(−s₂); `learns_s1`/`learns_s2` say
    /// whether the method learns them.
    public static let feedbackColumns = [
        "round", "env_steps", "ratings", "epochs", "stopped_early", "held_out", "spearman", "pearson",
        "accuracy", "classification_loss", "regression_loss", "total_loss", "s1", "s2",
        "exp_neg_s1", "exp_neg_s2", "regression_weight", "classification_weight", "learns_s1", "learns_s2",
    ]
    static let leadingColumns = ["run", "finished", "group", "variant", "duplicate_of"]

    /// The CSV text of `runs.csv`.
    public let runs: String
    /// The CSV text of `feedback.csv`.
    public let feedback: String
    /// Data rows in each table.
    public let runRows: Int, feedbackRows: Int
    /// Files that could not be read (their runs' rows are left out).
    public let warnings: [String]

    public init(catalog: RunCatalog) {
        let grouping = RunGrouping(runs: catalog.runs)
        let (groups, duplicates) = grouping.groups(catalog.runs)
        var groupIndex: [String: Int] = [:]
        for (index, group) in groups.enumerated() { for run in group { groupIndex[run.path] = index } }
        var duplicateOf: [String: String] = [:]
        for (run, original) in duplicates {
            duplicateOf[run.path] = original.path
            groupIndex[run.path] = groupIndex[original.path]
        }
        let configKeys = Array(Set(catalog.runs.flatMap(\.config.values.keys))).sorted()
        func leading(_ run: RunRecord) -> [String] {
            [run.path, run.finished ? "true" : "false", groupIndex[run.path].map(String.init) ?? "",
             grouping.variant(of: run), duplicateOf[run.path] ?? ""] + configKeys.map { run.config[$0] ?? "" }
        }
        func text(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }

        var runLines = [CSVText.line(Self.leadingColumns + configKeys + Self.evaluationColumns)]
        var feedbackLines = [CSVText.line(Self.leadingColumns + configKeys + Self.feedbackColumns)]
        var warnings: [String] = []
        for run in catalog.runs {
            let prefix = leading(run)
            do {
                for point in try run.evaluations() {
                    runLines.append(CSVText.line(prefix + ["\(point.envSteps)", text(point.meanReturn),
                                                           text(point.stdReturn), "\(point.episodes)",
                                                           point.returns.map { $0.map { "\($0)" }.joined(separator: " ") } ?? ""]))
                }
            } catch { warnings.append("\(error)") }
            do {
                for entry in try run.feedbackRounds() {
                    feedbackLines.append(CSVText.line(prefix + Self.feedbackFields(entry)))
                }
            } catch { warnings.append("\(error)") }
        }
        runs = runLines.joined(separator: "\n") + "\n"
        feedback = feedbackLines.joined(separator: "\n") + "\n"
        runRows = runLines.count - 1
        feedbackRows = feedbackLines.count - 1
        self.warnings = warnings
    }

    static func feedbackFields(_ entry: FeedbackEntry) -> [String] {
        let report = entry.report, mean = report.mean
        let members = report.members.isEmpty ? [mean] : report.members
        func average(_ value: (MemberDiagnostics) -> Double) -> Double {
            members.reduce(0) { $0 + value($1) } / Double(members.count)
        }
        func text(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        return [
            "\(report.round)", "\(entry.envSteps)", "\(report.segmentCount)", "\(report.epochs)",
            "\(report.stoppedEarly)", "\(report.heldOutCount)", text(report.spearman), text(report.pearson),
            text(mean.accuracy), text(mean.classificationLoss), text(mean.regressionLoss), text(mean.totalLoss),
            text(mean.s1), text(mean.s2), text(average { exp(-$0.s1) }), text(average { exp(-$0.s2) }),
            text(mean.regressionWeight), text(mean.classificationWeight),
            "\(report.loss.learnsS1)", "\(report.loss.learnsS2)",
        ]
    }

    /// Writes `runs.csv` and `feedback.csv` into `folder` (created if needed), each atomically.
    public func write(to folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw RunError("cannot create \(folder): \(error.localizedDescription)")
        }
        for (name, text) in [("runs.csv", runs), ("feedback.csv", feedback)] {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name), options: .atomic) } catch {
                throw RunError("cannot write \(folder)/\(name): \(error.localizedDescription)")
            }
        }
    }
}
