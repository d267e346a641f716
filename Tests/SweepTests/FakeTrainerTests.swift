import Foundation
import Processes
import RunConfiguration
import Sweep
import XCTest

/// The sweep's side of the run-folder contract, with a stand-in for
/// `ratingrl train` (a shell script) so every path runs in milliseconds:
/// finished runs, failures, resuming, and a signal forwarded to a child
/// that checkpoints and exits 130 as `train` does.
final class FakeTrainerTests: XCTestCase {
    /// A fake `train`: records its arguments in $CALLS; `--resume DIR` finishes
    /// the run; `--config FILE --out DIR` finishes seed1, fails seed2 (exit 3)
    /// and runs seed3 until SIGINT, then exits 130.
    static let script = """
        #!/bin/sh
        echo "$*" >> "$CALLS"
        if [ "$2" = "--resume" ]; then echo '{}' > "$3/summary.json"; exit 0; fi
        dir="$5"
        echo '{}' > "$dir/config.json"
        case "$dir" in
          */seed1) echo '{}' > "$dir/summary.json"; exit 0 ;;
          */seed2) echo "training..."; echo "Error: something broke"; exit 3 ;;
          */seed3) trap 'echo "checkpointed at SIGINT"; exit 130' INT; touch "$dir/started"
                   while true; do sleep 0.05; done ;;
        esac
        """

    var root = ""
    var calls = ""
    var executable = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-fake-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let rootPath = root
        addTeardownBlock { try? FileManager.default.removeItem(atPath: rootPath) }
        executable = root + "/fake-ratingrl"
        try Self.script.write(toFile: executable, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: executable)
        calls = root + "/calls"
    }

    func runner(seeds: [Int], jobs: Int = 2, output: @escaping @Sendable (String) -> Void = { _ in },
                quietInterval: TimeInterval = 600) throws -> SweepRunner {
        let text = "tasks: [cartpole-balance]\nseeds: \(seeds)\nsteps: 10"
        let plan = try SweepPlan(grid: SweepGrid(try ConfigValue.parse(text, name: "g"), name: "g"), root: root + "/runs")
        return SweepRunner(plan: plan, executable: executable, jobs: jobs,
                           environment: ["CALLS": calls, "PATH": "/usr/bin:/bin"], output: output,
                           quietInterval: quietInterval)
    }

    func callLines() -> [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).sorted()
    }

    func testFinishedFailedAndResumedRuns() throws {
        let sweep = try runner(seeds: [1, 2])
        let watch = SignalWatch(signals: [SIGUSR2])
        let outcome = sweep.run(signals: watch)
        XCTAssertEqual(outcome, SweepRunner.Outcome(finished: 1, failed: 1, unfinished: 0, stoppedBy: nil))
        let runs = root + "/runs/cartpole-balance/ppo"
        XCTAssertEqual(callLines(), [
            "train --config \(runs)/seed1/request.json --out \(runs)/seed1 --quiet",
            "train --config \(runs)/seed2/request.json --out \(runs)/seed2 --quiet",
        ])
        let record = try XCTUnwrap(FailureRecord.read(folder: runs + "/seed2"))
        XCTAssertEqual(record.exitCode, 3)
        XCTAssertEqual(record.lastLines, ["training...", "Error: something broke"])
        XCTAssertEqual(sweep.plan.runs.map(sweep.plan.state(of:)), [.finished, .failed])
        let request = try JSONDecoder().decode(ConfigValue.self, from: Data(contentsOf: URL(fileURLWithPath: runs + "/seed2/request.json")))
        XCTAssertEqual(request, sweep.plan.runs[1].request)

        // The failed run wrote config.json, so the rerun resumes it; seed1 is skipped.
        try FileManager.default.removeItem(atPath: calls)
        let again = sweep.run(signals: watch)
        XCTAssertEqual(again, SweepRunner.Outcome(finished: 2, failed: 0, unfinished: 0, stoppedBy: nil))
        XCTAssertEqual(callLines(), ["train --resume \(runs)/seed2 --quiet"])
        XCTAssertNil(FailureRecord.read(folder: runs + "/seed2"), "a retried run drops its old failure")
    }

    func testASignalIsForwardedAndTheStoppedRunIsNotAFailure() throws {
        let lines = LockedBox<[String]>([])
        let sweep = try runner(seeds: [3, 1], jobs: 1, output: { line in lines.update { $0.append(line) } }, quietInterval: 0.5)
        let folder = root + "/runs/cartpole-balance/ppo/seed3"
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<SweepRunner.Outcome?>(nil)
        let watch = SignalWatch(signals: [SIGINT])
        DispatchQueue.global().async {
            result.value = sweep.run(signals: watch)
            done.signal()
        }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: folder + "/started") && Date() < deadline { usleep(20_000) }
        // Off a terminal, a long run still shows progress every quietInterval.
        while lines.value.filter({ $0.hasPrefix("runs: 0 done, 1 running") }).count < 3 && Date() < deadline { usleep(50_000) }
        XCTAssertGreaterThanOrEqual(lines.value.filter { $0.hasPrefix("runs: 0 done, 1 running") }.count, 3, "\(lines.value)")
        kill(getpid(), SIGINT)
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the sweep did not stop")
        XCTAssertEqual(result.value, SweepRunner.Outcome(finished: 0, failed: 0, unfinished: 2, stoppedBy: SIGINT),
                       "seed3 stopped, seed1 never started")
        let log = try String(contentsOfFile: folder + "/train.log", encoding: .utf8)
        XCTAssert(log.contains("checkpointed at SIGINT"), "the child got the signal: \(log)")
        XCTAssertEqual(sweep.plan.state(of: sweep.plan.runs[0]), .interrupted)
        XCTAssertEqual(sweep.plan.state(of: sweep.plan.runs[1]), .new)
    }
}

/// A value shared with the sweep's thread (its output lines, its outcome).
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
    func update(_ change: (inout Value) -> Void) { lock.lock(); change(&stored); lock.unlock() }
}
