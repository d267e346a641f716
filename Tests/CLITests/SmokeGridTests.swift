import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The experiment tooling end to end: the built-in smoke grid through
/// `sweep --jobs 2`, killed outright part-way, rerun to the end, then
/// `summarize` and `plot` over it.
extension CommandLineTests {
    /// Waits until no process holds the lock of any run folder below `root`.
    func waitUntilUnlocked(_ root: String) {
        let deadline = Date().addingTimeInterval(60)
        let locks = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix("/.lock") }.map { root + "/" + $0 }
        for path in locks {
            let descriptor = open(path, O_RDWR)
            guard descriptor >= 0 else { continue }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 && Date() < deadline { usleep(50_000) }
            close(descriptor)
        }
    }

    func testSmokeGridKilledPartWayFinishesOnRerunAndIsSummarizedAndPlotted() throws {
        let root = temporaryFolder("smoke")
        let sweep = Process()
        sweep.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        sweep.arguments = ["sweep", "--grid", "smoke", "--out", root, "--jobs", "2"]
        sweep.currentDirectoryURL = Self.repositoryRoot
        sweep.standardOutput = FileHandle.nullDevice
        sweep.standardError = FileHandle.nullDevice
        try sweep.run()
        // Kill it outright once a rating run has rated (its first round's ratings are written).
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline && sweep.isRunning {
            let rated = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                .contains { $0.hasSuffix("ratings.jsonl") && ((try? FileManager.default.attributesOfItem(atPath: root + "/" + $0))?[.size] as? Int ?? 0) > 0 }
            if rated { break }
            usleep(50_000)
        }
        XCTAssert(sweep.isRunning, "the sweep ended before it could be killed")
        kill(sweep.processIdentifier, SIGKILL)
        sweep.waitUntilExit()
        // Its runs notice that their sweep is gone, checkpoint and stop.
        waitUntilUnlocked(root)
        let status = try run(["sweep", "--status", root])
        XCTAssertEqual(status.status, 0, status.error)
        XCTAssertFalse(status.output.contains("8 finished"), "the sweep was killed before its end: \(status.output)")

        let rerun = try run(["sweep", "--grid", "smoke", "--out", root, "--jobs", "2"])
        XCTAssertEqual(rerun.status, 0, rerun.output + rerun.error)
        let after = try run(["sweep", "--status", root])
        XCTAssert(after.output.contains("8 finished"), after.output)

        let table = try run(["summarize", root])
        XCTAssertEqual(table.status, 0, table.error)
        for row in ["| cartpole-balance | ppo |", "| cartpole-balance | ours |", "| walker-walk | ppo |", "| walker-walk | ours |"] {
            XCTAssert(table.output.contains(row), "no row \(row): \(table.output)")
        }
        XCTAssertEqual(table.output.components(separatedBy: " | 2 | ").count - 1, 4, "4 groups of 2 seeds: \(table.output)")

        let figures = temporaryFolder("smoke-figures")
        let plot = try run(["plot", root, "--out", figures])
        XCTAssertEqual(plot.status, 0, plot.output + plot.error)
        for name in ["fig2_learning_curves", "fig3_final_returns", "aggregate_iqm"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: figures + "/" + name + ".png"))?[.size] as? Int ?? 0
            XCTAssertGreaterThan(size, 5000, "\(name).png")
        }

        // The kept result files summarise as the runs do.
        let kept = temporaryFolder("smoke-kept")
        let keep = try run(["keep", root, "--to", kept])
        XCTAssertEqual(keep.status, 0, keep.error)
        XCTAssert(keep.output.hasPrefix("kept 8 finished runs of \(root) in \(kept)"), keep.output)
        XCTAssertEqual(try run(["summarize", kept, "--format", "csv"]).output, try run(["summarize", root, "--format", "csv"]).output)
        let keptFiles = FileManager.default.enumerator(atPath: kept)?.allObjects as? [String] ?? []
        XCTAssertFalse(keptFiles.contains { $0.hasSuffix("checkpoint.weights") || $0.hasSuffix("ratings.jsonl") }, "\(keptFiles)")
        // A sweep whose root starts from the kept copy has nothing left to train.
        let fromKept = try run(["sweep", "--grid", "smoke", "--out", kept, "--dry-run"])
        XCTAssertEqual(fromKept.status, 0, fromKept.error)
        XCTAssert(fromKept.output.contains("8 finished"), fromKept.output)
        let empty = temporaryFolder("smoke-empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let nothing = try run(["keep", empty, "--to", kept])
        XCTAssertNotEqual(nothing.status, 0)
        XCTAssert(nothing.error.contains("no finished runs"), nothing.error)
    }
}
