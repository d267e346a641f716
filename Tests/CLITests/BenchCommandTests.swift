import Foundation
import XCTest

/// `ratingrl bench …`: one command group for every measurement, and the
/// frame options (`FrameOptions`) that every rendering command shares.
final class BenchCommandTests: XCTestCase {
    func run(_ arguments: [String]) throws -> CommandLineTests.Outcome {
        try CommandLineTests.run(arguments, environment: ["OPENBLAS_NUM_THREADS": "1"])
    }

    /// `--help` text with its line wrapping undone.
    func help(_ command: [String]) throws -> String {
        let outcome = try run(command + ["--help"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        return outcome.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func testBenchListsEveryMeasurementWithWhatItMeasures() throws {
        let page = try help(["bench"])
        let text = try XCTUnwrap(page.range(of: "SUBCOMMANDS:").map { page[$0.upperBound...] }, page)
        for (name, measures) in [("env", "raw mj_step"), ("nn", "sgemm"), ("reward", "rated segments"),
                                 ("render", "frames/s"), ("ppo", "rollout and update"), ("rate", "ratings committed per second")] {
            let line = try XCTUnwrap(text.range(of: " \(name) "), "bench --help lacks \(name): \(text)")
            XCTAssert(text[line.upperBound...].prefix(200).contains(measures), "bench \(name)'s abstract: \(text)")
        }
        let root = try help([])
        XCTAssert(root.contains(" bench "), root)
        XCTAssertFalse(root.contains("bench-"), "the old spellings stay out of --help: \(root)")
    }

    func testEveryRenderingCommandTakesTheSameFrameOptions() throws {
        for (command, width, height) in [(["render"], 320, 240), (["view"], 640, 480), (["rate"], 480, 360), (["bench", "render"], 320, 240)] {
            let text = try help(command)
            for option in ["--camera <camera> Camera: a model camera's name or index, 'track' (follows the root body) or 'free'. Default: the task's.",
                           "--width <width> Frame width in pixels (1 to 8192). (default: \(width))",
                           "--height <height> Frame height in pixels (1 to 8192). (default: \(height))",
                           "--quality <quality> fast (no shadows, reflections, skybox) or quality. (values: fast, quality; default: quality)"] {
                XCTAssert(text.contains(option), "\(command) --help lacks \(option): \(text)")
            }
        }
        let outcome = try run(["bench", "render", "--task", "cartpole-balance", "--width", "0"])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines),
                       "Error: --width and --height must be between 1 and 8192 pixels, got 0x240")
    }

    func testSmallBenchmarksRunAndPrintTheirTables() throws {
        let reward = try run(["bench", "reward", "--segments", "4,8", "--epochs", "1", "--input-size", "3", "--length", "5", "--members", "1"])
        XCTAssertEqual(reward.status, 0, reward.error)
        let lines = reward.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, reward.output)
        XCTAssert(lines[1].hasPrefix("ensemble 1 × MLP(3 → 256 → 256 → 256 → 1), L = 5, batch 128, loss ours, 2 row splits"), reward.output)
        XCTAssert(lines[3].hasPrefix("       4       1  "), reward.output)
        XCTAssert(lines[4].hasPrefix("       8       1  "), reward.output)
        XCTAssertNotNil(lines[5].range(of: #"^reward round, by buffer size: \d+%, \d+% of single-thread sgemm peak \d+\.\d GFLOP/s .*; \d+%, \d+% of \d+\.\d GFLOP/s \(320×256·256×256, its own\)$"#,
                                       options: .regularExpression), reward.output)
        XCTAssert(lines[6].hasPrefix("predictReward, 32 rows: "), reward.output)

        let env = try run(["bench", "env", "--task", "cartpole-balance", "--steps", "200", "--rounds", "1"])
        XCTAssertEqual(env.status, 0, env.error)
        XCTAssert(env.output.contains("\ncartpole-balance "), env.output)

        let ppo = try run(["bench", "ppo", "--help"])
        XCTAssertEqual(ppo.status, 0, ppo.error)
        XCTAssert(ppo.output.contains("USAGE: ratingrl bench ppo"), ppo.output)
    }
}
