import Foundation
import XCTest

/// `ratingrl plot` and `summarize --format csv` on real runs: two seeds each
/// of PPO and "ours", trained here for a few thousand steps.
extension CommandLineTests {
    static let figureNames = ["fig2_learning_curves", "fig3_final_returns", "aggregate_iqm", "feedback_rounds"]

    func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(name)-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// Trains 2 seeds × {ppo, ours} on cartpole-balance: 4096 steps with 2
    /// environments (episodes end every 2000 steps), evaluations every 1024
    /// steps (4 per run), and for ours two feedback rounds of 50 ratings.
    func trainTinyRuns(into root: String) throws {
        for method in ["ppo", "ours"] {
            for seed in 0..<2 {
                var arguments = ["train", "--task", "cartpole-balance", "--method", method, "--seed", "\(seed)",
                                 "--steps", "4096", "--set", "environments=2", "--eval-every", "1024",
                                 "--eval-episodes", "2", "--quiet", "--out", "\(root)/\(method)/seed\(seed)"]
                if method != "ppo" {
                    arguments += ["--first-round", "2048", "--round-interval", "1024", "--ratings", "100",
                                  "--ratings-per-round", "50", "--reward-epochs", "2"]
                }
                let outcome = try run(arguments)
                XCTAssertEqual(outcome.status, 0, "\(arguments): \(outcome.error)")
            }
        }
    }

    /// The rows of a CSV file without quoted fields, as dictionaries keyed by its header.
    func readCSV(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { line -> [String: String] in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(fields.count, header.count, line)
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
        return (header, rows)
    }

    func testPlotWritesTidyTablesAndEveryFigureFromRealRuns() throws {
        let root = temporaryFolder("runs"), figures = temporaryFolder("figures")
        try trainTinyRuns(into: root)

        let summary = try run(["summarize", root, "--format", "csv"])
        XCTAssertEqual(summary.status, 0, summary.error)
        let summaryLines = summary.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(summaryLines.first, "task,method,runs,mean,standard_error,seeds,returns,spearman")
        XCTAssertEqual(summaryLines.count, 3, summary.output)
        XCTAssertTrue(summaryLines[1].hasPrefix("cartpole-balance,ppo,2,"), summaryLines[1])
        XCTAssertTrue(summaryLines[2].hasPrefix("cartpole-balance,ours,2,"), summaryLines[2])

        let outcome = try run(["plot", root, "--out", figures, "--stamp", "runs: commit abc1234, ratingrl sweep"])
        XCTAssertEqual(outcome.status, 0, outcome.error)

        let runs = try readCSV(figures + "/runs.csv")
        XCTAssertEqual(Array(runs.header.prefix(5)), ["run", "finished", "group", "variant", "duplicate_of"])
        XCTAssertEqual(Array(runs.header.suffix(5)), ["env_steps", "mean_return", "std_return", "episodes", "returns"])
        for column in ["task", "method", "seed", "totalSteps", "feedback.classes", "ppo.environments",
                       "feedback.rewardModel.objective.regression.scale"] {
            XCTAssertTrue(runs.header.contains(column), "no \(column) in \(runs.header)")
        }
        XCTAssertEqual(runs.rows.count, 16, "4 runs × 4 evaluations")
        XCTAssertEqual(Set(runs.rows.map { $0["run"]! }), ["ppo/seed0", "ppo/seed1", "ours/seed0", "ours/seed1"])
        XCTAssertEqual(runs.rows.filter { $0["run"] == "ours/seed1" }.map { $0["env_steps"]! }, ["1024", "2048", "3072", "4096"])
        XCTAssertTrue(runs.rows.allSatisfy { $0["finished"] == "true" && $0["duplicate_of"] == "" && $0["episodes"] == "2" })
        XCTAssertTrue(runs.rows.allSatisfy { $0["returns"]!.split(separator: " ").compactMap { Double($0) }.count == 2 },
                      "each evaluation episode's return")
        XCTAssertEqual(Set(runs.rows.filter { $0["method"] == "ppo" }.map { $0["feedback.classes"]! }), [""])
        XCTAssertEqual(Set(runs.rows.filter { $0["method"] == "ours" }.map { $0["feedback.classes"]! }), ["4"])
        // Seeds of one method share a group; the two methods do not.
        let groups = Dictionary(grouping: runs.rows, by: { $0["method"]! }).mapValues { Set($0.map { $0["group"]! }) }
        XCTAssertEqual(groups["ppo"]?.count, 1)
        XCTAssertEqual(groups["ours"]?.count, 1)
        XCTAssertNotEqual(groups["ppo"], groups["ours"])
        // The final evaluation is the return summary.json reports.
        let summaryJSON = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: root + "/ours/seed0/summary.json"))) as! [String: Any]
        let last = runs.rows.last { $0["run"] == "ours/seed0" }!
        XCTAssertEqual(Double(last["mean_return"]!)!, summaryJSON["final_eval_return"] as! Double, accuracy: 1e-3)

        let feedback = try readCSV(figures + "/feedback.csv")
        XCTAssertEqual(feedback.rows.count, 4, "2 ours runs × 2 rounds")
        XCTAssertEqual(feedback.rows.map { $0["round"]! }, ["0", "1", "0", "1"])
        XCTAssertEqual(feedback.rows.map { $0["ratings"]! }, ["50", "100", "50", "100"])
        for row in feedback.rows {
            let weight = Double(row["regression_weight"]!)!, expS1 = Double(row["exp_neg_s1"]!)!
            XCTAssertEqual(weight, 0.5 * expS1, accuracy: 1e-9, "the weight on L_reg is ½e^(−s₁)")
            XCTAssertEqual(Double(row["classification_weight"]!)!, Double(row["exp_neg_s2"]!)!, accuracy: 1e-9)
            XCTAssertEqual(row["learns_s1"], "true")
            XCTAssertNotNil(Double(row["spearman"]!), "held-out Spearman in \(row)")
        }

        for name in Self.figureNames {
            let png = try Data(contentsOf: URL(fileURLWithPath: "\(figures)/\(name).png"))
            XCTAssertGreaterThan(png.count, 5_000, name)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "\(name).png is a PNG")
            let svg = try String(contentsOfFile: "\(figures)/\(name).svg", encoding: .utf8)
            XCTAssertTrue(svg.contains("<svg"), name)
            XCTAssertTrue(outcome.output.contains("wrote \(figures)/\(name).svg and .png"), outcome.output)
            XCTAssertTrue(svg.contains("runs: commit abc1234, ratingrl sweep"), "\(name) carries the stamp")
        }
        XCTAssertTrue(svgText(figures + "/fig2_learning_curves.svg").contains("environment steps"))
        XCTAssertTrue(outcome.output.contains("no rbrl runs"), "the missing baseline is noted: \(outcome.output)")
        XCTAssertTrue(outcome.output.contains("no task rated at two or more n: skipped fig4_classes"), outcome.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: figures + "/fig4_classes.png"))
    }

    /// Rating runs at two n draw final return against n, with PPO's as a line.
    func testPlotDrawsFinalReturnAgainstTheNumberOfClasses() throws {
        let root = temporaryFolder("runs"), figures = temporaryFolder("figures")
        try trainTinyRuns(into: root)
        for seed in 0..<2 {
            let arguments = ["train", "--task", "cartpole-balance", "--method", "ours", "--classes", "2",
                             "--seed", "\(seed)", "--steps", "4096", "--set", "environments=2", "--eval-every", "2048",
                             "--eval-episodes", "2", "--quiet", "--out", "\(root)/ours-n2/seed\(seed)",
                             "--first-round", "2048", "--round-interval", "1024", "--ratings", "100",
                             "--ratings-per-round", "50", "--reward-epochs", "2"]
            let outcome = try run(arguments)
            XCTAssertEqual(outcome.status, 0, "\(arguments): \(outcome.error)")
        }

        let outcome = try run(["plot", root, "--out", figures, "--stamp", "runs: commit abc1234"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssertTrue(outcome.output.contains("wrote \(figures)/fig4_classes.svg and .png"), outcome.output)
        let png = try Data(contentsOf: URL(fileURLWithPath: figures + "/fig4_classes.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let svg = svgText(figures + "/fig4_classes.svg")
        for text in ["rating classes n", "cartpole-balance", "PPO (true reward)", "ours", "runs: commit abc1234"] {
            XCTAssertTrue(svg.contains(text), "fig4_classes shows \(text)")
        }
        // One panel per task: its x axis has exactly the two n the runs used.
        XCTAssertTrue(svg.contains(">2<") && svg.contains(">4<"), "ticks at n = 2 and 4")
        XCTAssertFalse(svg.contains(">3<"), "no tick at an n without runs")
    }

    func svgText(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func testPlotWithoutItsPythonEnvironmentSaysMakePlotDeps() throws {
        let root = temporaryFolder("runs"), figures = temporaryFolder("figures")
        try FileManager.default.createDirectory(atPath: root + "/r", withIntermediateDirectories: true)
        try #"{"task": "cartpole-balance", "method": "ppo", "seed": 0}"#
            .write(toFile: root + "/r/config.json", atomically: true, encoding: .utf8)

        let missing = try run(["plot", root, "--out", figures, "--python", "/nonexistent/python"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.error.contains("--python /nonexistent/python is not a Python interpreter"), missing.error)
        XCTAssertTrue(missing.error.contains("make plot-deps"), missing.error)

        let fromEnvironment = try run(["plot", root, "--out", figures], environment: ["RATINGRL_PYTHON": "/nonexistent/venv"])
        XCTAssertNotEqual(fromEnvironment.status, 0)
        XCTAssertTrue(fromEnvironment.error.contains("RATINGRL_PYTHON /nonexistent/venv"), fromEnvironment.error)

        // An interpreter that cannot import the plotting modules.
        let lacking = try run(["plot", root, "--out", figures, "--python", "/bin/false"])
        XCTAssertNotEqual(lacking.status, 0)
        XCTAssertTrue(lacking.error.contains("/bin/false cannot import matplotlib, pandas and rliable"), lacking.error)
        XCTAssertTrue(lacking.error.contains("make plot-deps"), lacking.error)
        XCTAssertEqual(lacking.error.split(separator: "\n").filter { !$0.hasPrefix("warning:") }.count, 1,
                       "one line: \(lacking.error)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: figures + "/fig2_learning_curves.png"))
    }

    func testPlotWithoutRunsIsAnError() throws {
        let root = temporaryFolder("empty")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let outcome = try run(["plot", root, "--out", temporaryFolder("figures")])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.error.contains("no runs (config.json) under \(root)"), outcome.error)
    }
}
