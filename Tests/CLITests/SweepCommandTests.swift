import Foundation
import XCTest

/// `ratingrl sweep`: real sweeps of tiny cartpole runs, as a user would run them.
extension CommandLineTests {
    /// A grid of `seeds` quick cartpole ppo runs of 2 rollouts each.
    func tinyGrid(seeds: [Int], steps: Int = 4096, extra: String = "") throws -> String {
        try temporaryFile("grid.yaml", contents: """
            tasks: [cartpole-balance]
            methods: [ppo]
            seeds: \(seeds)
            steps: \(steps)
            evaluationEpisodes: 1
            \(extra)
            """)
    }

    func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func testSweepTrainsRunsSideBySideAndSkipsFinishedOnes() throws {
        let grid = try tinyGrid(seeds: [1, 2])
        let root = temporaryFolder()
        let dry = try run(["sweep", grid, "--out", root, "--dry-run", "--jobs", "2"])
        XCTAssertEqual(dry.status, 0, dry.error)
        XCTAssert(dry.output.contains("cartpole-balance/ppo/seed1") && dry.output.contains("cartpole-balance/ppo/seed2"), dry.output)
        XCTAssert(dry.output.contains("2 runs to train: about"), dry.output)
        XCTAssertFalse(fileExists(root), "a dry run starts nothing")

        let outcome = try run(["sweep", grid, "--out", root, "--jobs", "2"])
        XCTAssertEqual(outcome.status, 0, outcome.error + outcome.output)
        for seed in [1, 2] {
            let folder = root + "/cartpole-balance/ppo/seed\(seed)"
            XCTAssert(fileExists(folder + "/summary.json"), "seed \(seed): \(outcome.output)")
            XCTAssert(fileExists(folder + "/request.json") && fileExists(folder + "/train.log"))
            let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) as! [String: Any]
            XCTAssertEqual(config["seed"] as? Int, seed)
            XCTAssertEqual(config["workers"] as? Int, 1)
        }
        XCTAssert(fileExists(root + "/sweep.json"))
        XCTAssert(outcome.output.contains("finished cartpole-balance/ppo/seed1"), outcome.output)
        XCTAssert(outcome.output.contains("sweep: 2 finished, 0 failed"), outcome.output)

        // A rerun finds both finished and trains nothing.
        let summary = root + "/cartpole-balance/ppo/seed1/summary.json"
        let before = try FileManager.default.attributesOfItem(atPath: summary)[.modificationDate] as? Date
        let again = try run(["sweep", grid, "--out", root])
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssert(again.output.contains("2 already finished; training 0"), again.output)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: summary)[.modificationDate] as? Date, before)

        let status = try run(["sweep", "--status", root])
        XCTAssertEqual(status.status, 0, status.error)
        XCTAssert(status.output.contains("2 runs in \(root): 2 finished, 0 interrupted, 0 failed, 0 not started"), status.output)
    }

    func testAFailedRunIsRecordedWhileTheOthersFinishAndRetriedByARerun() throws {
        let grid = try tinyGrid(seeds: [1, 2])
        let root = temporaryFolder()
        // A stray file in seed 2's folder makes its `train` refuse to start.
        let blocked = root + "/cartpole-balance/ppo/seed2"
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
        try "stray".write(toFile: blocked + "/progress.csv", atomically: true, encoding: .utf8)

        let outcome = try run(["sweep", grid, "--out", root, "--jobs", "2"])
        XCTAssertEqual(outcome.status, 1, outcome.output)
        XCTAssert(fileExists(root + "/cartpole-balance/ppo/seed1/summary.json"), outcome.output)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: blocked + "/failed.json"))) as! [String: Any]
        XCTAssertEqual(record["exitCode"] as? Int, 1)
        XCTAssert((record["lastLines"] as? [String])?.joined().contains("already holds a run") == true, "\(record)")
        XCTAssert(outcome.output.contains("FAILED cartpole-balance/ppo/seed2"), outcome.output)
        XCTAssert(outcome.output.contains("sweep: 1 finished, 1 failed"), outcome.output)

        let status = try run(["sweep", "--status", root])
        XCTAssert(status.output.contains("1 finished, 0 interrupted, 1 failed, 0 not started"), status.output)
        XCTAssert(status.output.contains("cartpole-balance/ppo/seed2  exit code 1: Error:"), status.output)
        let dry = try run(["sweep", grid, "--out", root, "--dry-run"])
        XCTAssert(dry.output.contains("cartpole-balance/ppo/seed2") && dry.output.contains("failed"), dry.output)

        try FileManager.default.removeItem(atPath: blocked + "/progress.csv")
        let retry = try run(["sweep", grid, "--out", root, "--jobs", "2"])
        XCTAssertEqual(retry.status, 0, retry.output + retry.error)
        XCTAssert(retry.output.contains("1 already finished; training 1"), retry.output)
        XCTAssert(fileExists(blocked + "/summary.json"))
        XCTAssertFalse(fileExists(blocked + "/failed.json"), "a retried run drops its old failure")
    }

    func testBadGridsStartNothing() throws {
        let cases: [(String, String)] = [
            ("tasks: [cartpole-balance]\nsteps: 10\nfeedbak: {classes: 3}", "unknown field 'feedbak'"),
            ("tasks: [cartpole-balance, cartpole-fly]\nsteps: 10", "unknown task 'cartpole-fly'"),
            ("tasks: [cartpole-balance]\nmethods: [ppo, worst]\nsteps: 10", "method 'worst' is not available"),
            ("tasks: [cartpole-balance]\nseeds: []\nsteps: 10", "seed is an empty list"),
        ]
        for (text, expected) in cases {
            let root = temporaryFolder()
            let outcome = try run(["sweep", try temporaryFile("grid.yaml", contents: text), "--out", root])
            XCTAssertNotEqual(outcome.status, 0, text)
            XCTAssert(outcome.error.contains(expected), "for \(text): \(outcome.error)")
            XCTAssertFalse(fileExists(root), "\(text): started something")
        }
        let unknown = try run(["sweep", "--grid", "huge", "--out", temporaryFolder()])
        XCTAssert(unknown.error.contains("The value 'huge' is invalid for '--grid <grid>'. Please provide one of 'paper' and 'smoke'."), unknown.error)
        let noStatus = try run(["sweep", "--status", temporaryFolder()])
        XCTAssert(noStatus.error.contains("holds no sweep"), noStatus.error)
    }

    func testPaperGridDryRunCountsEveryRunOnce() throws {
        let outcome = try run(["sweep", "--grid", "paper", "--out", temporaryFolder(), "--dry-run", "--jobs", "2"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssert(outcome.output.contains("1560 runs in"), String(outcome.output.suffix(400)))
        XCTAssert(outcome.output.contains("quadruped-walk/ours-reg/n6/seed6789"))
        XCTAssert(outcome.output.contains("1560 runs to train: about"), String(outcome.output.suffix(400)))
    }

    func testSIGTERMStopsTheSweepWith143() throws {
        let grid = try tinyGrid(seeds: [1], steps: 2048 * 40)
        let root = temporaryFolder()
        let (process, folder) = try startSweep(grid: grid, root: root)
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 143)
        XCTAssertFalse(fileExists(folder + "/summary.json"))
        XCTAssertFalse(fileExists(folder + "/failed.json"))
    }

    /// Starts a one-job sweep and returns once its run has written two progress rows.
    func startSweep(grid: String, root: String) throws -> (Process, String) {
        let process = try launchSweep(grid: grid, root: root, jobs: 1)
        let folder = root + "/cartpole-balance/ppo/seed1"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let rows = (try? String(contentsOfFile: folder + "/progress.csv", encoding: .utf8))?.split(separator: "\n").count ?? 0
            if rows >= 3 { break }
            usleep(50_000)
        }
        return (process, folder)
    }

    /// `ratingrl sweep GRID --out ROOT --jobs N`, started and left running, its output discarded.
    func launchSweep(grid: String, root: String, jobs: Int) throws -> Process {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        process.arguments = ["sweep", grid, "--out", root, "--jobs", String(jobs)]
        process.currentDirectoryURL = Self.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGINT to a sweep stops its child and leaves the run resumable; with
    /// `train --resume` (the run-state work), a rerun finishes it.
    func testInterruptedSweepStopsItsChildrenAndARerunResumes() throws {
        let grid = try tinyGrid(seeds: [1], steps: 2048 * 40, extra: "checkpointInterval: 2048")
        let root = temporaryFolder()
        let (process, folder) = try startSweep(grid: grid, root: root)
        process.interrupt()  // SIGINT
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssert(fileExists(folder + "/config.json"))
        XCTAssertFalse(fileExists(folder + "/summary.json"), "the run was stopped before its end")
        XCTAssertFalse(fileExists(folder + "/failed.json"), "a stopped run is not a failed one")
        let status = try run(["sweep", "--status", root])
        XCTAssert(status.output.contains("0 finished, 1 interrupted, 0 failed"), status.output)

        let help = try run(["train", "--help"])
        try XCTSkipUnless(help.output.contains("--resume"), "train --resume is not built yet; the rerun half needs it")
        let rerun = try run(["sweep", grid, "--out", root, "--jobs", "1"])
        XCTAssertEqual(rerun.status, 0, rerun.output + rerun.error)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))) as! [String: Any]
        XCTAssertEqual(summary["env_steps"] as? Int, 2048 * 40)
    }
}
