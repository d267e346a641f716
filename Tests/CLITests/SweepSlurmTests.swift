import Foundation
import XCTest

/// `ratingrl sweep --backend slurm` with stand-in sbatch and squeue programs
/// (the real cluster run is scripts/test-slurm.sh, part of `make test`).
extension CommandLineTests {
    /// A folder with executable stand-ins: `programs` maps a name to its shell script body.
    func fakePrograms(_ programs: [String: String]) throws -> String {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, body) in programs {
            let path = folder + "/" + name
            try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return folder
    }

    func pathWith(_ folder: String) -> [String: String] {
        ["PATH": folder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    func testASlurmDryRunPrintsTheJobArrayAndSubmitsNothing() throws {
        let grid = try tinyGrid(seeds: [1, 2])
        let root = temporaryFolder()
        let outcome = try run(["sweep", grid, "--out", root, "--backend", "slurm", "--dry-run", "--partition", "cpu",
                               "--array-limit", "3", "--mem", "4G", "--sbatch-args", "--account=abc --qos=low"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        for line in ["#SBATCH --array=0-1%3", "#SBATCH --partition=cpu", "#SBATCH --mem=4G", "#SBATCH --account=abc",
                     "#SBATCH --qos=low", "#SBATCH --signal=B:TERM@120", "#SBATCH --cpus-per-task=1",
                     "export OPENBLAS_NUM_THREADS=1", "sweep --out \(root) --only \"$run\" --jobs 1",
                     "#   cartpole-balance/ppo/seed1", "#   cartpole-balance/ppo/seed2"] {
            XCTAssert(outcome.output.contains(line), "missing \(line) in:\n\(outcome.output)")
        }
        // Two 4096-step cartpole runs: seconds each, so the limit is the 10-minute floor plus the margin.
        XCTAssert(outcome.output.contains("#SBATCH --time=00:11:00"), outcome.output)
        XCTAssertFalse(fileExists(root), "a dry run writes nothing")
    }

    func testSlurmSubmissionsSkipQueuedRunsAndResubmitFailedOnes() throws {
        let grid = try tinyGrid(seeds: [1, 2])
        let root = temporaryFolder()
        let record = temporaryFolder() + "-sbatch-calls"
        let bin = try fakePrograms([
            "sbatch": "echo \"$@\" >> \(record)\necho '4242;cluster'",
            "squeue": "[ -f \(root)/queued ] && cat \(root)/queued\nexit 0",
        ])
        let submit = try run(["sweep", grid, "--out", root, "--backend", "slurm"], environment: pathWith(bin))
        XCTAssertEqual(submit.status, 0, submit.error)
        XCTAssert(submit.output.contains("submitted 2 runs as Slurm job array 4242"), submit.output)
        XCTAssertEqual(try String(contentsOfFile: root + "/slurm/submit-1.runs", encoding: .utf8),
                       "cartpole-balance/ppo/seed1\ncartpole-balance/ppo/seed2\n")
        XCTAssert(fileExists(root + "/cartpole-balance/ppo/seed1/request.json") && fileExists(root + "/sweep.json"))
        XCTAssertEqual(try String(contentsOfFile: record, encoding: .utf8), "--parsable \(root)/slurm/submit-1.sbatch\n")
        let jobs = try String(contentsOfFile: root + "/slurm/jobs.jsonl", encoding: .utf8)
        XCTAssert(jobs.contains("\"job\":\"4242\""), jobs)

        // While Slurm lists both tasks, nothing is sent again, and --status says where they are.
        try "4242_0 RUNNING\n4242_1 PENDING\n".write(toFile: root + "/queued", atomically: true, encoding: .utf8)
        let again = try run(["sweep", "--out", root, "--backend", "slurm"], environment: pathWith(bin))
        XCTAssertEqual(again.status, 0, again.error)
        XCTAssert(again.output.contains("nothing to submit") && again.output.contains("2 queued or running in Slurm"), again.output)
        let status = try run(["sweep", "--status", root], environment: pathWith(bin))
        XCTAssert(status.output.contains("running in Slurm: 1\n    cartpole-balance/ppo/seed1")
                  && status.output.contains("pending in Slurm: 1\n    cartpole-balance/ppo/seed2"), status.output)

        // Once they have left the queue, one failed: --resubmit-failed sends only it.
        try FileManager.default.removeItem(atPath: root + "/queued")
        try #"{"exitCode": 1, "command": ["ratingrl"], "lastLines": ["boom"], "time": 0}"#
            .write(toFile: root + "/cartpole-balance/ppo/seed2/failed.json", atomically: true, encoding: .utf8)
        let failed = try run(["sweep", "--out", root, "--backend", "slurm", "--resubmit-failed"], environment: pathWith(bin))
        XCTAssertEqual(failed.status, 0, failed.error)
        XCTAssert(failed.output.contains("submitted 1 run as Slurm job array 4242"), failed.output)
        XCTAssertEqual(try String(contentsOfFile: root + "/slurm/submit-2.runs", encoding: .utf8), "cartpole-balance/ppo/seed2\n")
    }

    func testSlurmProblemsAreOneLineErrors() throws {
        let grid = try tinyGrid(seeds: [1])
        let root = temporaryFolder()
        let refusing = try fakePrograms(["sbatch": "echo 'sbatch: error: invalid partition specified: nope' >&2\nexit 1"])
        let empty = try fakePrograms([:])
        let cases: [([String], [String: String], String)] = [
            (["--backend", "slurm"], ["PATH": empty], "sbatch was not found on PATH"),
            (["--backend", "slurm", "--partition", "nope"], pathWith(refusing),
             "sbatch refused the job array (\(root)/slurm/submit-1.sbatch): sbatch: error: invalid partition specified: nope"),
            (["--backend", "cloud"], [:], "The value 'cloud' is invalid for '--backend <backend>'. Please provide one of 'local' and 'slurm'."),
            (["--backend", "slurm", "--cpus-per-task", "0"], [:], "--cpus-per-task must be at least 1"),
            (["--resubmit-failed"], [:], "--resubmit-failed is for --backend slurm"),
        ]
        for (arguments, environment, expected) in cases {
            let outcome = try run(["sweep", grid, "--out", root] + arguments, environment: environment)
            XCTAssertNotEqual(outcome.status, 0, arguments.joined(separator: " "))
            XCTAssert(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1,
                           "\(arguments): \(outcome.error)")
        }
        XCTAssertFalse(fileExists(root + "/slurm/jobs.jsonl"), "a refused submission records no job")
    }
}
