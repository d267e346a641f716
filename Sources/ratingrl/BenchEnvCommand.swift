import ArgumentParser
import Control
import Foundation

struct BenchEnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Environment steps/s next to raw mj_step throughput, per task, in one run.",
        discussion: "ratio = env steps/s ÷ (raw mj_step/s ÷ substeps); 1.0 means observation and reward cost nothing. Build with -c release for meaningful numbers.")

    @Option(help: "A task, a comma-separated list, or 'all' for the six benchmark tasks.")
    var task = "all"

    // `.unconditional` lets negative numbers through to the range checks.
    @Option(parsing: .unconditional, help: "Agent steps timed per task and side, split over the rounds.")
    var steps = 30_000

    @Option(parsing: .unconditional, help: "Rounds alternating environment and raw physics; each side keeps its fastest.")
    var rounds = 3

    @Option(help: "Write the results as JSON to this file as well.")
    var json: String?

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        guard steps >= rounds else { throw ValidationError("--steps must be at least --rounds (\(rounds)), got \(steps)") }
    }

    func run() throws {
        let tasks = try resolveTasks(task)
        let models = try modelOptions.directory()
        print("task                  substeps   env steps/s   raw mj_step/s   raw/substeps   ratio")
        var results: [EnvironmentBenchmark] = []
        for name in tasks {
            let result = try EnvironmentBenchmark.measure(task: name, models: models, agentSteps: steps, rounds: rounds)
            results.append(result)
            print(pad(name, 22), pad("\(result.substeps)", 8, right: true),
                  pad(String(format: "%.0f", result.environmentStepsPerSecond), 13, right: true),
                  pad(String(format: "%.0f", result.rawPhysicsStepsPerSecond), 15, right: true),
                  pad(String(format: "%.0f", result.rawPhysicsStepsPerSecond / Double(result.substeps)), 14, right: true),
                  pad(String(format: "%.3f", result.ratio), 7, right: true))
            fflush(nil)
        }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeOutput(try encoder.encode(results), to: json)
        }
    }
}
