import ArgumentParser
import Foundation
import PPO
import Training

struct BenchPPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ppo",
        abstract: "PPO's rollout and update time on a task, next to this machine's sgemm peak, and the core-minutes of a run.",
        discussion: "Prints env steps/s, the update's GFLOP/s as a share of single-thread sgemm peak, and the core-minutes a run of --estimate-steps would take. Build with -c release.")

    @Option(help: "Task to train on.")
    var task = "cartpole-balance"

    @Option(help: "Hyperparameter preset.")
    var preset = PPOConfig.Preset.quick

    @Option(help: "Override preset fields: comma-separated key=value (see `ratingrl train --help`).")
    var set: String?

    // `.unconditional` lets negative numbers through to the range checks.
    @Option(parsing: .unconditional, help: "PPO updates to time (at least 1).")
    var updates = 3

    @Option(parsing: .unconditional, help: "Environment steps of the run to estimate core-minutes for.")
    var estimateSteps = 4_000_000

    @Option(parsing: .unconditional, help: "Threads stepping environments.")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Also write the result as JSON here.")
    var json: String?

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard updates >= 1 else { throw ValidationError("--updates must be at least 1, got \(updates)") }
        guard estimateSteps >= 1 else { throw ValidationError("--estimate-steps must be at least 1, got \(estimateSteps)") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() throws {
        _ = try resolveTasks(task)
        let config = try resolvePPOConfig(preset: preset, task: task, overrides: set)
        let result = try PPOBenchmark.measure(task: task, config: config, updates: updates,
                                              models: try modelOptions.directory(), workers: workers)
        print(String(format: "%@ (%@): %d steps in %.1f s = %.0f env steps/s; rollout %.1f s, update %.1f s",
                     task, preset.rawValue, result.envSteps, result.wallSeconds, result.stepsPerSecond,
                     result.rolloutWallSeconds, result.updateWallSeconds))
        print(String(format: "update %.1f GFLOP/s = %.0f%% of single-thread sgemm peak %.1f GFLOP/s (OpenBLAS core %@)",
                     result.updateGFLOPS, 100 * result.updateEfficiency, result.sgemmPeakGFLOPS, result.openBLASCore))
        print(String(format: "estimated %.1f core-minutes for %d env steps", result.coreMinutes(forSteps: estimateSteps), estimateSteps))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeOutput(try encoder.encode(result), to: json)
        }
    }
}
