import Foundation
import PythonCheck
import XCTest

/// `tensorboard --logdir ROOT` on a sweep: TensorBoard's own multiplexer
/// finds one run per run folder and reads its curves while the sweep trains,
/// and after the sweep is stopped and rerun, every update appears once.
extension CommandLineTests {
    /// Train-loss steps per run, as TensorBoard reads every run under `root`.
    func tensorBoardSteps(_ root: String) throws -> [String: [Int]] {
        try ProjectPython.json([String: [Int]].self, """
            import json, sys
            from tensorboard.backend.event_processing.event_multiplexer import EventMultiplexer
            runs = EventMultiplexer(size_guidance={"scalars": 0})
            runs.AddRunsFromDirectory(sys.argv[1])
            runs.Reload()
            print(json.dumps({run: [e.step for e in runs.Scalars(run, "train/value_loss")]
                              for run, tags in runs.Runs().items() if "train/value_loss" in tags["scalars"]}))
            """, arguments: [root])
    }

    func testATwoRunSweepIsWatchableInTensorBoardWhileItTrainsAndAfterARerun() throws {
        let grid = try tinyGrid(seeds: [1, 2], steps: 2048 * 40, extra: "checkpointInterval: 2048")
        let root = temporaryFolder()
        let process = try launchSweep(grid: grid, root: root, jobs: 2)
        let runs = ["cartpole-balance/ppo/seed1/tb", "cartpole-balance/ppo/seed2/tb"]

        // Both runs' curves, read while both still train.
        var live: [String: [Int]] = [:]
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && process.isRunning {
            live = try tensorBoardSteps(root)
            if runs.allSatisfy({ (live[$0]?.count ?? 0) >= 2 }) { break }
            usleep(200_000)
        }
        XCTAssert(process.isRunning, "the sweep ended before both runs were read")
        XCTAssertEqual(Set(live.keys), Set(runs), "\(live)")
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)

        let rerun = try run(["sweep", grid, "--out", root, "--jobs", "2"])
        XCTAssertEqual(rerun.status, 0, rerun.output + rerun.error)
        let finished = try tensorBoardSteps(root)
        for run in runs {
            let folder = root + "/" + run.dropLast(2)  // without "tb"
            let progress = try String(contentsOfFile: folder + "progress.csv", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { Int($0.split(separator: ",")[1])! }
            XCTAssertEqual(progress.count, 40)
            XCTAssertEqual(finished[run], progress, "\(run): every update once, in order")
            XCTAssertEqual(Array(finished[run]!.prefix(live[run]!.count)), live[run], "\(run): what was seen live stays")
        }
    }
}
