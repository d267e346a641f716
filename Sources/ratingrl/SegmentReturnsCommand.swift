import ArgumentParser
import Control
import Experiments
import Foundation

struct SegmentReturnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment-returns",
        abstract: "Measure the distribution of true segment returns under a random or a trained policy.",
        discussion: "The measurement behind each task's default G_max, the top of the synthetic rater's scale.")

    @Option(help: "Task to measure.")
    var task: String

    @Option(name: .customLong("run"), help: "A training run folder whose checkpoint gives the (deterministic) policy; random actions if omitted.")
    var runFolder: String?

    @Option(help: "Episodes to roll out.")
    var episodes = 10

    @Option(help: "Segment length in steps.")
    var length = 50

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        _ = try resolveTasks(task)
        let models = try modelOptions.directory()
        let probe = try Suite.make(task, models: models)
        let agent = try runFolder.map {
            try SegmentReturnSurvey.loadAgent(run: $0, observationSize: probe.observationSpec.size, actionSize: probe.actionSpec.size)
        }
        let survey = try SegmentReturnSurvey.measure(task: task, agent: agent, episodes: episodes, segmentLength: length,
                                                     models: models, seed: seed)
        print("\(task), \(survey.policy) policy, \(episodes) episodes, segments of \(length) steps; episode return mean "
              + String(format: "%.1f", survey.episodeReturns.reduce(0, +) / Double(episodes)))
        print("segment return mean " + String(format: "%.2f", survey.mean) + "; "
              + survey.percentiles.map { String(format: "p%.0f %.2f", $0.percent, $0.value) }.joined(separator: "  "))
    }
}
