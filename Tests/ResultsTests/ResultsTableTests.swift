import Foundation
import PPO
import Results
import RewardLearning
import RunConfiguration
import XCTest

final class ResultsTableTests: XCTestCase {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A configuration as `ratingrl train` resolves it.
    func config(task: String = "cartpole-balance", method: String, steps: Int, classes: Int = 4, seed: UInt64,
                workers: Int = 2) -> TrainingConfig {
        let method = TrainingMethod(rawValue: method)!
        let feedback = method.loss.map { FeedbackConfig(task: task, loss: $0, classes: classes) }
        return TrainingConfig(task: task, method: method, totalSteps: steps, seed: seed, preset: "quick",
                              ppo: PPOConfig.preset("quick", task: task)!, workers: workers, feedback: feedback)
    }

    /// Writes a run folder as `ratingrl train` does: config.json, and
    /// summary.json (snake_case keys) when `finalReturn` is given.
    func writeRun(_ config: TrainingConfig, at path: String, finalReturn: Double?, spearman: Double? = nil,
                  build: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(config).write(to: URL(fileURLWithPath: path + "/config.json"))
        guard let finalReturn else { return }
        var json = """
        {"task": "\(config.task)", "method": "\(config.method)", "seed": \(config.seed), "final_eval_return": \(finalReturn),
         "final_eval_std": 1, "env_steps": \(config.totalSteps), "wall_seconds": 2, "updates": 1, "physics_failures": 0
        """
        if let spearman { json += ", \"final_spearman\": \(spearman)" }
        if let build { json += ", \"build_commit\": \"\(build)\"" }
        json += "}"
        try json.write(toFile: path + "/summary.json", atomically: true, encoding: .utf8)
    }

    /// Two step counts, two class counts, PPO, a copied run, an unfinished
    /// run, a run with another worker count, and two unreadable folders.
    func writeFixture() throws -> String {
        let root = try folder()
        try writeRun(config(method: "ours", steps: 1000, seed: 0), at: root + "/a/ours/n4/seed0", finalReturn: 10, spearman: 0.9)
        try writeRun(config(method: "ours", steps: 1000, seed: 1, workers: 1), at: root + "/a/ours/n4/seed1",
                     finalReturn: 30, spearman: 0.5)
        try writeRun(config(method: "ours", steps: 1000, seed: 0), at: root + "/copy/of/seed0", finalReturn: 10, spearman: 0.9)
        try writeRun(config(method: "ours", steps: 2000, seed: 0), at: root + "/b/ours/n4/seed0", finalReturn: 50)
        try writeRun(config(method: "ours", steps: 1000, classes: 2, seed: 0), at: root + "/a/ours/n2/seed0", finalReturn: 20)
        try writeRun(config(method: "ppo", steps: 1000, seed: 0), at: root + "/a/ppo/seed0", finalReturn: 7)
        try writeRun(config(method: "ours", steps: 1000, seed: 2), at: root + "/a/ours/n4/seed2", finalReturn: nil)
        try FileManager.default.createDirectory(atPath: root + "/broken", withIntermediateDirectories: true)
        try "{not json".write(toFile: root + "/broken/config.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/orphan", withIntermediateDirectories: true)
        try "{}".write(toFile: root + "/orphan/summary.json", atomically: true, encoding: .utf8)
        return root
    }

    func testGroupsByEveryDifferingFieldWithMeanStandardErrorAndMethodOrder() throws {
        let table = try ResultsTable(folder: try writeFixture())
        XCTAssertEqual(table.grouping.columns.map(\.label), ["task", "method", "classes", "steps"])
        XCTAssertEqual(table.rows.map { $0.values.map { $0 ?? "–" } }, [
            ["cartpole-balance", "ppo", "–", "1000"],
            ["cartpole-balance", "ours", "2", "1000"],
            ["cartpole-balance", "ours", "4", "1000"],
            ["cartpole-balance", "ours", "4", "2000"],
        ])
        let ours = table.rows[2]
        XCTAssertEqual(ours.runs.map(\.seed), [0, 1], "the copy is counted once; workers do not split the group")
        XCTAssertEqual(ours.records.map(\.path), ["a/ours/n4/seed0", "a/ours/n4/seed1"])
        XCTAssertEqual(ours.mean, 20)
        XCTAssertEqual(ours.standardError!, 10, accuracy: 1e-12)  // sd √200 / √2
        XCTAssertEqual(ours.meanSpearman!, 0.7, accuracy: 1e-12)
        XCTAssertNil(table.rows[0].meanSpearman)
        XCTAssertNil(table.rows[0].standardError, "one run has no standard error")

        let markdown = table.markdown
        XCTAssertTrue(markdown.hasPrefix("| task | method | classes | steps | runs | final return (mean ± s.e.) | per seed | held-out Spearman |"),
                      markdown)
        XCTAssertTrue(markdown.contains("| cartpole-balance | ours | 4 | 1000 | 2 | 20.0 ± 10.0 | 0: 10.0, 1: 30.0 | 0.70 |"), markdown)
        XCTAssertTrue(markdown.contains("| cartpole-balance | ppo | – | 1000 | 1 | 7.0 ± – | 0: 7.0 | – |"), markdown)
        XCTAssertTrue(markdown.contains("Same for every run: preset quick, α 0.1."), markdown)
        XCTAssertTrue(markdown.hasSuffix("Unfinished (no summary.json):\n- a/ours/n4/seed2 (cartpole-balance ours seed 2)"), markdown)

        XCTAssertEqual(table.unfinished.map(\.path), ["a/ours/n4/seed2"])
        XCTAssertEqual(table.warnings.count, 3, "\(table.warnings)")
        XCTAssertTrue(table.warnings.contains { $0.hasPrefix("skipped broken: config.json is unreadable (not valid JSON") },
                      "\(table.warnings)")
        XCTAssertTrue(table.warnings.contains("skipped orphan: summary.json without config.json"), "\(table.warnings)")
        XCTAssertTrue(table.warnings.contains("copy/of/seed0 repeats seed 0 of a/ours/n4/seed0 with the same configuration; counted once"),
                      "\(table.warnings)")
    }

    func testASpearmanMissingFromSomeRunsIsCountedNotHidden() throws {
        let root = try folder()
        try writeRun(config(method: "rbrl", steps: 1000, seed: 0), at: root + "/seed0", finalReturn: 10, spearman: 0.6)
        try writeRun(config(method: "rbrl", steps: 1000, seed: 1), at: root + "/seed1", finalReturn: 20)
        try writeRun(config(method: "rbrl", steps: 1000, seed: 2), at: root + "/seed2", finalReturn: 30, spearman: 0.2)
        let table = try ResultsTable(folder: root)
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.rows[0].spearmanCount, 2)
        XCTAssertEqual(table.rows[0].meanSpearman!, 0.4, accuracy: 1e-12)
        XCTAssertTrue(table.markdown.contains("| 0: 10.0, 1: 20.0, 2: 30.0 | 0.40 (2 of 3) |"), table.markdown)
        XCTAssertTrue(table.markdown.contains("Held-out Spearman \"k of n\": the mean over the k runs that have one"),
                      table.markdown)
        // A table whose runs all have one (or none) needs no note.
        XCTAssertFalse(try ResultsTable(folder: writeFixture()).markdown.contains("k of n"))
    }

    /// Two sweeps whose run folders share their names (one grid per stop rule)
    /// read as one table, their runs named by root and path.
    func testSeveralRootsReadAsOneTable() throws {
        let ownRule = try folder(), balanced = try folder()
        var balancedRule = config(method: "rbrl", steps: 1000, seed: 0)
        balancedRule.feedback?.training.stopRule = .balancedAccuracy
        try writeRun(config(method: "rbrl", steps: 1000, seed: 0), at: ownRule + "/rbrl/n4/seed0", finalReturn: 10)
        try writeRun(config(method: "ppo", steps: 1000, seed: 0), at: ownRule + "/ppo/seed0", finalReturn: 40)
        try writeRun(balancedRule, at: balanced + "/rbrl/n4/seed0", finalReturn: 30)
        try "{not json".write(toFile: balanced + "/config.json", atomically: true, encoding: .utf8)

        let table = try ResultsTable(folders: [ownRule, balanced])
        XCTAssertEqual(table.grouping.columns.map(\.key), ["task", "method", "feedback.training.stopRule"])
        XCTAssertEqual(table.rows.map(\.mean), [40, 10, 30])
        guard table.rows.count == 3 else { return }
        XCTAssertEqual(table.rows.map { $0.values[2] }, [nil, "accuracy", "balanced-accuracy"])
        XCTAssertEqual(table.rows[1].records.map(\.path), [ownRule + "/rbrl/n4/seed0"])
        XCTAssertEqual(table.rows[2].records.map(\.path), [balanced + "/rbrl/n4/seed0"])
        XCTAssertEqual(table.warnings.count, 1, "\(table.warnings)")
        XCTAssertTrue(table.warnings.first?.hasPrefix(balanced + ": skipped .: config.json is unreadable") == true,
                      "\(table.warnings)")
        // One root keeps paths relative to it.
        XCTAssertEqual(try ResultsTable(folders: [ownRule]).rows.last?.records.map(\.path), ["rbrl/n4/seed0"])
        XCTAssertThrowsError(try ResultsTable(folders: [ownRule, balanced + "/missing"]))
    }

    func testCSVHasKeyPathColumnsAndOneLinePerGroup() throws {
        let table = try ResultsTable(folder: try writeFixture())
        let lines = table.csv.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0], "task,method,feedback.classes,totalSteps,runs,mean,standard_error,seeds,returns,spearman")
        XCTAssertEqual(lines[1], "cartpole-balance,ppo,,1000,1,7.0,,0,7.0,")
        XCTAssertEqual(lines[3], "cartpole-balance,ours,4,1000,2,20.0,10.0,0 1,10.0 30.0,0.7")
    }

    /// Writes evaluations.csv with the given mean returns, every 100 steps.
    func writeEvaluations(_ means: [Double], at path: String) throws {
        let lines = ["env_steps,mean_return,std_return,episodes,returns"]
            + means.enumerated().map { "\(($0.offset + 1) * 100),\($0.element),0,1,\($0.element)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path + "/evaluations.csv", atomically: true, encoding: .utf8)
    }

    func testLateReturnsAverageEachRunsLastEvaluationsThenTheSeeds() throws {
        let root = try folder()
        try writeRun(config(method: "ours", steps: 1000, seed: 0), at: root + "/seed0", finalReturn: 300)
        try writeEvaluations([100, 900, 800, 300], at: root + "/seed0")
        try writeRun(config(method: "ours", steps: 1000, seed: 1), at: root + "/seed1", finalReturn: 500)
        try writeEvaluations([0, 400, 600, 500], at: root + "/seed1")

        let table = try ResultsTable(folder: root, lastEvaluations: 3)
        XCTAssertEqual(table.rows.count, 1)
        XCTAssertEqual(table.rows[0].lateReturns, [2000.0 / 3, 500])
        XCTAssertEqual(table.rows[0].lateMean!, (2000.0 / 3 + 500) / 2, accuracy: 1e-9)
        XCTAssertEqual(table.rows[0].lateStandardError!, (2000.0 / 3 - 500) / 2, accuracy: 1e-9)  // |a − b| / 2 for two
        XCTAssertEqual(table.rows[0].mean, 400, "the final return column is unchanged")
        XCTAssertTrue(table.markdown.hasPrefix(
            "| task | method | runs | final return (mean ± s.e.) | per seed | held-out Spearman | last 3 evaluations (mean ± s.e.) |"),
            table.markdown)
        XCTAssertTrue(table.markdown.contains("| 0: 300.0, 1: 500.0 | – | 583.3 ± 83.3 |"), table.markdown)
        let csv = table.csv.split(separator: "\n").map(String.init)
        XCTAssertTrue(csv[0].hasSuffix(",spearman,late_mean,late_standard_error,late_returns"), csv[0])
        let late = csv[1].split(separator: ",", omittingEmptySubsequences: false).suffix(3).map(String.init)
        XCTAssertEqual(Double(late[0]) ?? 0, 1750.0 / 3, accuracy: 1e-9, csv[1])
        XCTAssertEqual(Double(late[1]) ?? 0, 250.0 / 3, accuracy: 1e-9, csv[1])
        XCTAssertEqual(late[2].split(separator: " ").compactMap { Double($0) }, [2000.0 / 3, 500], csv[1])

        // Without the option nothing is read and the columns stay as they were.
        try FileManager.default.removeItem(atPath: root + "/seed1/evaluations.csv")
        XCTAssertNil(try ResultsTable(folder: root).rows[0].lateReturns)
        XCTAssertThrowsError(try ResultsTable(folder: root, lastEvaluations: 3)) { error in
            XCTAssertEqual("\(error)", "cannot read seed1/evaluations.csv")
        }
        try writeEvaluations([1, 2], at: root + "/seed1")
        XCTAssertThrowsError(try ResultsTable(folder: root, lastEvaluations: 3)) { error in
            XCTAssertEqual("\(error)", "seed1 has 2 evaluations, fewer than the last 3 asked for; ask for at most 2")
        }
    }

    func testAFieldOutsideTheHeadlineBecomesAColumnOnlyWhenItSplitsGroups() throws {
        let root = try folder()
        var fast = config(method: "ours", steps: 1000, seed: 0)
        fast.ppo.learningRate = 1e-3
        try writeRun(fast, at: root + "/fast", finalReturn: 1)
        try writeRun(config(method: "ours", steps: 1000, seed: 0), at: root + "/default", finalReturn: 2)
        try writeRun(config(method: "ppo", steps: 1000, seed: 0), at: root + "/ppo", finalReturn: 3)
        let table = try ResultsTable(folder: root)
        // The reward loss and every feedback field follow from the method and stay out.
        XCTAssertEqual(table.grouping.columns.map(\.key), ["task", "method", "ppo.learningRate"])
        XCTAssertEqual(table.rows.map(\.mean), [3, 2, 1])
        XCTAssertTrue(table.warnings.isEmpty, "\(table.warnings)")
    }

    func testTidyTablesListEveryEvaluationAndMarkCopiesAndUnfinishedRuns() throws {
        let root = try writeFixture()
        let evaluations = "env_steps,mean_return,std_return,episodes,returns\n500,1.5,0.5,2,1 2\n1000,10,1,2,9 11\n"
        for run in ["a/ours/n4/seed0", "copy/of/seed0", "a/ours/n4/seed2"] {
            try evaluations.write(toFile: "\(root)/\(run)/evaluations.csv", atomically: true, encoding: .utf8)
        }
        // One written before each episode's return was recorded.
        try "env_steps,mean_return,std_return,episodes\n500,1.5,0.5,10\n1000,10,1,10\n"
            .write(toFile: "\(root)/b/ours/n4/seed0/evaluations.csv", atomically: true, encoding: .utf8)
        let tables = TidyTables(catalog: try RunCatalog(root: root))
        let lines = tables.runs.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        XCTAssertEqual(tables.runRows, 8)
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows.map { $0["run"]! }, ["a/ours/n4/seed0", "a/ours/n4/seed0", "a/ours/n4/seed2", "a/ours/n4/seed2",
                                                 "b/ours/n4/seed0", "b/ours/n4/seed0", "copy/of/seed0", "copy/of/seed0"])
        XCTAssertEqual(rows.map { $0["env_steps"]! }, Array(repeating: ["500", "1000"], count: 4).flatMap { $0 })
        XCTAssertEqual(rows[0]["mean_return"], "1.5")
        XCTAssertEqual(rows[0]["returns"], "1.0 2.0")
        XCTAssertEqual(rows[4]["returns"], "")
        XCTAssertEqual(rows[0]["finished"], "true")
        XCTAssertEqual(rows[2]["finished"], "false")
        XCTAssertEqual(rows[6]["duplicate_of"], "a/ours/n4/seed0")
        XCTAssertEqual(rows[6]["group"], rows[0]["group"], "a copy belongs to its original's group")
        XCTAssertEqual(rows[2]["group"], rows[0]["group"], "an unfinished seed too")
        XCTAssertNotEqual(rows[4]["group"], rows[0]["group"])
        XCTAssertEqual(rows[4]["variant"], "steps=2000")
        XCTAssertEqual(rows[0]["variant"], "steps=1000")
        XCTAssertEqual(rows[0]["feedback.classes"], "4")
        XCTAssertEqual(rows[0]["ppo.hiddenSizes"], "64x64")
        // The runs without evaluations.csv (ppo, n2, seed1) are named; no feedback.jsonl means no feedback rows.
        XCTAssertEqual(tables.warnings.count, 3, "\(tables.warnings)")
        XCTAssertTrue(tables.warnings.contains("cannot read a/ppo/seed0/evaluations.csv"), "\(tables.warnings)")
        XCTAssertEqual(tables.feedbackRows, 0)
        XCTAssertEqual(tables.feedback.split(separator: "\n").count, 1)
    }

    func testKeptResultsSummarizeAsTheRunsDoWithoutTheirBulk() throws {
        let root = try writeFixture()
        let evaluations = "env_steps,mean_return,std_return,episodes,returns\n500,1.5,0.5,2,1 2\n"
        try evaluations.write(toFile: root + "/a/ours/n4/seed0/evaluations.csv", atomically: true, encoding: .utf8)
        try "{}\n".write(toFile: root + "/a/ours/n4/seed0/ratings.jsonl", atomically: true, encoding: .utf8)
        let destination = try folder() + "/kept"
        let kept = try KeptResults.copy(from: root, to: destination)
        XCTAssertEqual(kept.copied, ["a/ours/n2/seed0", "a/ours/n4/seed0", "a/ours/n4/seed1", "a/ppo/seed0",
                                     "b/ours/n4/seed0", "copy/of/seed0"])
        XCTAssertEqual(kept.unfinished, ["a/ours/n4/seed2"])
        XCTAssertEqual(kept.warnings.count, 2, "\(kept.warnings)")
        XCTAssertEqual(try ResultsTable(folder: destination).csv, try ResultsTable(folder: root).csv)
        XCTAssertEqual(FileManager.default.contents(atPath: destination + "/a/ours/n4/seed0/evaluations.csv"), Data(evaluations.utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination + "/a/ours/n4/seed0/ratings.jsonl"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: destination + "/a/ours/n4/seed2"))
        // Copying again replaces the copies; a destination inside the root is refused.
        XCTAssertEqual(try KeptResults.copy(from: root, to: destination).copied.count, 6)
        XCTAssertThrowsError(try KeptResults.copy(from: root, to: root + "/a/kept")) { error in
            XCTAssert("\(error)".contains("is inside"), "\(error)")
        }
    }

    func testFlatConfigSpellsValuesAsTheyWereWritten() throws {
        let json = #"{"a": {"b": 1, "c": 0.0003, "d": [256, 256], "e": {}, "f": null, "g": true, "h": "x,y"}, "seed": 18446744073709551615}"#
        let flat = try FlatConfig(json: Data(json.utf8))
        XCTAssertEqual(flat.values, ["a.b": "1", "a.c": "0.0003", "a.d": "256x256", "a.e": "{}", "a.g": "true", "a.h": "x,y",
                                     "seed": "18446744073709551615"])
        XCTAssertThrowsError(try FlatConfig(json: Data("[1]".utf8)))
    }

    /// A table whose runs come from different builds says so (and one build does not).
    func testRunsOfDifferentBuildsAreNamedInAWarning() throws {
        let root = try folder()
        try writeRun(config(method: "ppo", steps: 1000, seed: 0), at: root + "/ppo/seed0", finalReturn: 10, build: "1111111111111111")
        try writeRun(config(method: "ppo", steps: 1000, seed: 1), at: root + "/ppo/seed1", finalReturn: 12, build: "1111111111111111")
        XCTAssertEqual(try ResultsTable(folder: root).warnings, [])
        try writeRun(config(method: "ppo", steps: 1000, seed: 2), at: root + "/ppo/seed2", finalReturn: 11,
                     build: "2222222222222222 (dirty)")
        let warnings = try ResultsTable(folder: root).warnings
        XCTAssertEqual(warnings, ["the runs were trained by 2 builds (111111111111, 222222222222); see build_commit in each summary.json"])
    }
}
