import Experiments
import Foundation
import XCTest

final class ResultsTableTests: XCTestCase {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a summary.json as `ratingrl train` does (snake_case keys).
    func writeSummary(in root: String, task: String, method: String, seed: Int, finalReturn: Double,
                      spearman: Double? = nil) throws {
        let dir = "\(root)/\(task)/\(method)/seed\(seed)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var json = """
        {"task": "\(task)", "method": "\(method)", "seed": \(seed), "final_eval_return": \(finalReturn),
         "final_eval_std": 1, "env_steps": 1000, "wall_seconds": 2, "updates": 1, "physics_failures": 0
        """
        if let spearman { json += ", \"final_spearman\": \(spearman)" }
        json += "}"
        try json.write(toFile: dir + "/summary.json", atomically: true, encoding: .utf8)
    }

    func testGroupsBySeedWithMeanStandardErrorAndMethodOrder() throws {
        let root = try folder()
        try writeSummary(in: root, task: "cartpole-balance", method: "ours", seed: 1, finalReturn: 30, spearman: 0.5)
        try writeSummary(in: root, task: "cartpole-balance", method: "ours", seed: 0, finalReturn: 10, spearman: 0.9)
        try writeSummary(in: root, task: "cartpole-balance", method: "ppo", seed: 0, finalReturn: 7)
        try writeSummary(in: root, task: "cartpole-balance", method: "rbrl", seed: 2, finalReturn: 5, spearman: 0.1)
        // A run in progress has no summary.json and is not counted.
        try FileManager.default.createDirectory(atPath: root + "/cartpole-balance/rbrl/seed3",
                                                withIntermediateDirectories: true)

        let table = try ResultsTable(folder: root)
        XCTAssertEqual(table.rows.map(\.method), ["ppo", "rbrl", "ours"])
        let ours = table.rows[2]
        XCTAssertEqual(ours.runs.map(\.seed), [0, 1])
        XCTAssertEqual(ours.mean, 20)
        XCTAssertEqual(ours.standardError, 10, accuracy: 1e-12)  // sd √200 / √2
        XCTAssertEqual(ours.meanSpearman!, 0.7, accuracy: 1e-12)
        XCTAssertNil(table.rows[0].meanSpearman)
        XCTAssertEqual(table.rows[1].standardError, 0)
        XCTAssertTrue(table.markdown.contains("| cartpole-balance | ours | 2 | 20.0 ± 10.0 | 0: 10.0, 1: 30.0 | 0.70 |"),
                      table.markdown)
        XCTAssertTrue(table.markdown.contains("| cartpole-balance | ppo | 1 | 7.0 ± 0.0 | 0: 7.0 | – |"), table.markdown)
    }

    func testMalformedSummaryIsNamed() throws {
        let root = try folder()
        try FileManager.default.createDirectory(atPath: root + "/x", withIntermediateDirectories: true)
        try "{not json".write(toFile: root + "/x/summary.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResultsTable(folder: root)) { error in
            XCTAssertTrue("\(error)".contains("x/summary.json"), "\(error)")
        }
    }
}
