import Foundation
import RunConfiguration
import Training
#if canImport(Glibc)
import Glibc
#endif
import Sweep
import XCTest

/// Run states read from folders, estimates, and the dry-run and status reports.
final class SweepPlanTests: XCTestCase {
    func temporaryRoot() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-sweep-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func plan(root: String) throws -> SweepPlan {
        let text = "tasks: [cartpole-balance]\nmethods: [ppo, ours]\nseeds: [1, 2]\nsteps: 65536"
        return try SweepPlan(grid: SweepGrid(try ConfigValue.parse(text, name: "g"), name: "g"), root: root)
    }

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func testStatesComeFromTheRunFolders() throws {
        let root = temporaryRoot()
        let plan = try plan(root: root)
        XCTAssertEqual(plan.runs.map(\.folder), ["cartpole-balance/ppo/seed1", "cartpole-balance/ppo/seed2",
                                                 "cartpole-balance/ours/n4/seed1", "cartpole-balance/ours/n4/seed2"])
        try write("{}", root + "/cartpole-balance/ppo/seed1/config.json")
        try write("{}", root + "/cartpole-balance/ppo/seed1/summary.json")
        try write("{}", root + "/cartpole-balance/ppo/seed2/config.json")
        try write("update,env_steps,wall_seconds\n1,16384,2\n2,32768,4\n", root + "/cartpole-balance/ppo/seed2/progress.csv")
        let failure = FailureRecord(exitCode: 1, signal: nil, command: ["ratingrl"], lastLines: ["Error: boom"], time: 0)
        try write(String(decoding: try JSONEncoder().encode(failure), as: UTF8.self),
                  root + "/cartpole-balance/ours/n4/seed1/failed.json")
        XCTAssertEqual(plan.runs.map(plan.state(of:)), [.finished, .interrupted, .failed, .new])
        XCTAssertEqual(plan.counts(), [.finished: 1, .interrupted: 1, .failed: 1, .new: 1])

        let status = plan.statusReport()
        XCTAssert(status.hasPrefix("4 runs in \(root): 1 finished, 1 interrupted, 1 failed, 1 not started"), status)
        XCTAssert(status.contains("cartpole-balance/ours/n4/seed1  exit code 1: Error: boom"), status)
        XCTAssert(status.contains("cartpole-balance/ppo/seed2  at 32768 of 65536 steps"), status)
        XCTAssert(status.contains("not started:\n  cartpole-balance/ours/n4/seed2"), status)

        let dry = plan.dryRunReport(jobs: 2)
        let lines = dry.split(separator: "\n").map(String.init)
        XCTAssert(lines[1].hasPrefix("cartpole-balance/ppo/seed1") && lines[1].contains("finished") && lines[1].hasSuffix("-"), dry)
        XCTAssert(lines[2].contains("interrupted"), dry)
        XCTAssert(lines[4].contains("new"), dry)
        XCTAssert(dry.contains("3 runs to train: about ") && dry.contains("with 2 jobs (an estimate"), dry)
        // The interrupted run has half its steps left.
        let half = plan.remainingEstimate(of: plan.runs[1]), whole = plan.remainingEstimate(of: plan.runs[0])
        XCTAssertEqual(whole, 0)
        XCTAssertEqual(half, RunTimeEstimate(plan.runs[1].config).seconds / 2, accuracy: 1e-9)
    }

    func testConflictingFoldersAreFound() throws {
        let root = temporaryRoot()
        let plan = try plan(root: root)
        XCTAssertEqual(plan.conflicts(), [])
        try write(#"{"task": "walker-walk"}"#, root + "/cartpole-balance/ppo/seed2/request.json")
        XCTAssertEqual(plan.conflicts(), ["cartpole-balance/ppo/seed2: its request.json differs from the grid's"])
        try write(String(decoding: try plan.runs[2].request.prettyJSON(), as: UTF8.self),
                  root + "/cartpole-balance/ours/n4/seed1/request.json")
        XCTAssertEqual(plan.conflicts().count, 1)
    }

    func testSavedGridReloads() throws {
        let root = temporaryRoot()
        let plan = try plan(root: root)
        try plan.saveGrid()
        let loaded = try SweepPlan.load(root: root)
        XCTAssertEqual(loaded.runs, plan.runs)
        // Whole numbers written as 1.0 name the same folders once saved as JSON.
        let text = "tasks: [cartpole-balance]\nmethods: [ours]\nsteps: 10\nstopAccuracy: [0.97, 1.0]"
        let reals = try SweepPlan(grid: SweepGrid(try ConfigValue.parse(text, name: "g"), name: "g"), root: root + "/r")
        try reals.saveGrid()
        XCTAssertEqual(try SweepPlan.load(root: root + "/r").runs.map(\.folder), reals.runs.map(\.folder))
        XCTAssertEqual(reals.runs.map(\.folder).last, "cartpole-balance/ours/n4/stopAccuracy1/seed0")
        XCTAssertThrowsError(try SweepPlan.load(root: root + "/nothing")) { error in
            XCTAssert("\(error)".contains("holds no sweep"), "\(error)")
        }
    }

    func testEstimatesGrowWithStepsAndRatings() throws {
        let text = "tasks: [cartpole-balance, walker-walk]\nmethods: [ppo, ours]\nsteps: 1000000\npreset: [quick, paper]"
        let runs = try SweepGrid(try ConfigValue.parse(text, name: "g"), name: "g").runs()
        for run in runs {
            let estimate = RunTimeEstimate(run.config)
            XCTAssert(estimate.ppoSeconds > 0 && estimate.ppoSeconds.isFinite, "\(run.folder)")
            XCTAssertEqual(estimate.rewardSeconds > 0, run.config.method == .ratings(.ours), "\(run.folder)")
        }
        let quick = runs.first { $0.folder == "walker-walk/ppo/presetquick/seed0" }!
        let paper = runs.first { $0.folder == "walker-walk/ppo/presetpaper/seed0" }!
        XCTAssertGreaterThan(RunTimeEstimate(paper.config).seconds, RunTimeEstimate(quick.config).seconds)
    }
}

/// The commands a sweep gives its children.
final class SweepRunnerTests: XCTestCase {
    func testNewRunsStartFromTheirRequestAndStartedOnesResume() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-sweep-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        let grid = try SweepGrid(try ConfigValue.parse("tasks: [cartpole-balance]\nseeds: [1, 2]\nsteps: 10", name: "g"), name: "g")
        let plan = try SweepPlan(grid: grid, root: root)
        let runner = SweepRunner(plan: plan, executable: "/bin/ratingrl", jobs: 2, extraArguments: ["--models", "/m"],
                                 environment: ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "4"],
                                 output: { _ in })
        XCTAssertEqual(runner.environment, ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_NUM_THREADS": "1",
                                            "RATINGRL_PARENT_PID": "\(getpid())"],
                       "one BLAS thread, and the sweep's pid so that runs stop when it is gone")
        let first = root + "/cartpole-balance/ppo/seed1"
        XCTAssertEqual(runner.command(for: plan.runs[0]),
                       ["/bin/ratingrl", "train", "--config", first + "/request.json", "--out", first, "--quiet", "--models", "/m"])
        let second = root + "/cartpole-balance/ppo/seed2"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        try "{}".write(toFile: second + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(runner.command(for: plan.runs[1]),
                       ["/bin/ratingrl", "train", "--resume", second, "--quiet", "--models", "/m"])
        XCTAssertEqual(plan.state(of: plan.runs[1]), .interrupted)
    }

    func testRunsStartSeedBySeed() throws {
        let text = "tasks: [cartpole-balance, walker-walk]\nmethods: [ppo, ours]\nseeds: [7, 3]\nsteps: 10"
        let runs = try SweepGrid(try ConfigValue.parse(text, name: "g"), name: "g").runs()
        XCTAssertEqual(runs.first?.folder, "cartpole-balance/ppo/seed7")
        XCTAssertEqual(runs[1].folder, "cartpole-balance/ppo/seed3", "listed task by task")
        XCTAssertEqual(SweepRunner.startOrder(runs).map(\.folder), [
            "cartpole-balance/ppo/seed7", "cartpole-balance/ours/n4/seed7", "walker-walk/ppo/seed7", "walker-walk/ours/n4/seed7",
            "cartpole-balance/ppo/seed3", "cartpole-balance/ours/n4/seed3", "walker-walk/ppo/seed3", "walker-walk/ours/n4/seed3",
        ])
    }
}

/// A run another process is training (its folder locked) is reported as running and left alone.
final class RunningRunTests: XCTestCase {
    func testALockedRunFolderIsRunning() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-sweep-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        let grid = try SweepGrid(try ConfigValue.parse("tasks: [cartpole-balance]\nseeds: [1, 2]\nsteps: 10", name: "g"), name: "g")
        let plan = try SweepPlan(grid: grid, root: root)
        let folder = plan.path(of: plan.runs[0])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "{}".write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        XCTAssertEqual(plan.state(of: plan.runs[0]), .interrupted)
        var lock: RunLock? = try RunDirectory(existing: folder).lock()
        XCTAssertEqual(plan.state(of: plan.runs[0]), .running)
        XCTAssert(plan.statusReport().contains("1 running"), plan.statusReport())
        XCTAssertNotNil(lock)
        lock = nil
        XCTAssertEqual(plan.state(of: plan.runs[0]), .interrupted, "the lock goes with its holder")
    }
}
