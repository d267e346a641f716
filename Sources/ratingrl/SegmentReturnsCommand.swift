import ArgumentParser
import Control
import Foundation
import Training

struct SegmentReturnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment-returns",
        abstract: "Measure the distribution of true segment returns under a random or a trained policy.",
        discussion: "The measurement behind each task's default G_max, the top of the synthetic rater's scale.")

    @Option(help: "Task to measure (with --run: taken from the run's config.json if omitted).")
    var task: String?

    @Option(name: .customLong("run"), help: "A training run folder whose checkpoint gives the (deterministic) policy; random actions if omitted.")
    var runFolder: String?

    // `.unconditional` lets negative numbers through to the range checks below.
    @Option(parsing: .unconditional, help: "Episodes to roll out.")
    var episodes = 10

    @Option(parsing: .unconditional, help: "Segment length in steps (at most an episode, 1000).")
    var length = 50

    @Option(parsing: .unconditional, help: "Random seed.", transform: parseSeed)
    var seed: UInt64 = 0

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let run = try runFolder.map { folder in
            do { return (folder: folder, config: try RunDirectory.configuration(in: folder)) } catch {
                throw CleanExit.failure(error)
            }
        }
        let task = try surveyedTask(runTask: run?.config.task)
        _ = try resolveTasks(task)
        let models = try modelOptions.directory()
        let probe = try Suite.make(task, models: models)
        if let problem = SegmentReturnSurvey.problems(episodes: episodes, segmentLength: length,
                                                      episodeSteps: probe.stepLimit).first {
            throw ValidationFailure(message: problem)
        }
        let agent = try run.map { run in
            do {
                return try RunDirectory.agent(in: run.folder, config: run.config,
                                              observationSize: probe.observationSpec.size,
                                              actionSize: probe.actionSpec.size)
            } catch { throw CleanExit.failure(error) }
        }
        let survey = try SegmentReturnSurvey.measure(task: task, agent: agent, episodes: episodes, segmentLength: length,
                                                     models: models, seed: seed)
        print("\(task), \(survey.policy) policy, \(episodes) episodes, segments of \(length) steps; episode return mean "
              + String(format: "%.1f", survey.episodeReturns.reduce(0, +) / Double(episodes)))
        print("segment return mean " + String(format: "%.2f", survey.mean) + "; "
              + survey.percentiles.map { String(format: "p%.0f %.2f", $0.percent, $0.value) }.joined(separator: "  "))
    }

    /// --task, or the run's task; both given must agree.
    func surveyedTask(runTask: String?) throws -> String {
        switch (task, runTask) {
        case let (given?, recorded?) where given != recorded:
            throw ValidationFailure(message: "--task \(given) disagrees with the run's task \(recorded) (its config.json); drop --task")
        case let (given?, _): return given
        case let (nil, recorded?): return recorded
        case (nil, nil): throw ValidationFailure(message: "give --task (or --run with a training run folder, whose task is used)")
        }
    }
}
