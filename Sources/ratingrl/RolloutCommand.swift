import ArgumentParser
import Control
import Foundation
import Randomness

struct RolloutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll out a uniformly random policy and print episode returns and speed.")

    @Option(help: "A task, a comma-separated list, or 'all' for the six benchmark tasks.")
    var task = "all"

    // `.unconditional` lets negative numbers through to the range check.
    @Option(parsing: .unconditional, help: "Episodes per task.")
    var episodes = 1

    @Option(parsing: .unconditional, help: "Random seed (initial states and actions).", transform: parseSeed)
    var seed: UInt64 = 0

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
    }

    func run() throws {
        let tasks = try resolveTasks(task)
        let models = try modelOptions.directory()
        print("task                   episode   return   env steps/s")
        for name in tasks {
            let environment = try Suite.make(name, models: models, seed: seed)
            var random = SeededRandom(seed: seed &+ 7919)
            for episode in 0..<episodes {
                let start = DispatchTime.now().uptimeNanoseconds
                var step = try environment.reset(seed: nil)
                var total = 0.0, steps = 0
                while !step.isLast {
                    let action = (0..<environment.actionSpec.size).map { _ in random.uniform(-1, 1) }
                    step = try environment.step(action)
                    total += step.reward
                    steps += 1
                }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                print(pad(name, 22), pad("\(episode)", 8, right: true), pad(String(format: "%.1f", total), 8, right: true),
                      pad(String(format: "%.0f", Double(steps) / seconds), 13, right: true))
            }
        }
    }
}
