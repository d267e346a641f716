import Control
import Foundation
import PPO
import Randomness

/// The distribution of true returns of length-L segments under a policy:
/// the measurement behind each task's default G_max (the top of the rater's
/// rating scale).
public struct SegmentReturnSurvey: Codable, Sendable {
    public var task: String
    public var policy: String
    public var episodes: Int
    public var segmentLength: Int
    public var mean: Double
    /// Segment-return percentiles, for 0, 5, 25, 50, 75, 95, 99 and 100.
    public var percentiles: [Percentile]

    public struct Percentile: Codable, Sendable {
        public var percent: Double
        public var value: Double
    }
    public var episodeReturns: [Double]

    public static let reportedPercentiles = [0.0, 5, 25, 50, 75, 95, 99, 100]

    /// Rolls out `episodes` whole episodes and takes every length-`segmentLength`
    /// window of each. `agent` nil means uniformly random actions; otherwise the
    /// agent's deterministic policy.
    public static func measure(task: String, agent: PPOAgent?, episodes: Int, segmentLength: Int,
                               models: ModelDirectory, seed: UInt64) throws -> SegmentReturnSurvey {
        let environments = try VectorEnvironment(task: task, count: episodes, models: models, seed: seed,
                                                 workers: ProcessInfo.processInfo.activeProcessorCount)
        var random = SeededRandom(seed: seed &+ 99)
        var observations = try environments.reset()
        var rewards = [[Double]](repeating: [], count: episodes)
        let spec = environments.actionSpec
        for _ in 0..<1000 {
            let actions = agent?.deterministicActions(observations)
                ?? (0..<episodes).map { _ in (0..<spec.size).map { random.uniform(spec.lower[$0], spec.upper[$0]) } }
            let step = try environments.step(actions)
            for e in 0..<episodes { rewards[e].append(step.rewards[e]) }
            observations = step.observations
        }
        var returns: [Double] = []
        for episode in rewards {
            var window = episode.prefix(segmentLength).reduce(0, +)
            returns.append(window)
            for t in segmentLength..<episode.count {
                window += episode[t] - episode[t - segmentLength]
                returns.append(window)
            }
        }
        returns.sort()
        let table = reportedPercentiles.map { p in
            Percentile(percent: p, value: returns[Int((p / 100 * Double(returns.count - 1)).rounded())])
        }
        return SegmentReturnSurvey(task: task, policy: agent == nil ? "random" : "trained", episodes: episodes,
                                   segmentLength: segmentLength, mean: returns.reduce(0, +) / Double(returns.count),
                                   percentiles: table, episodeReturns: rewards.map { $0.reduce(0, +) })
    }

    /// Loads the PPO agent a training run saved (its config.json and checkpoint.weights).
    public static func loadAgent(run folder: String, observationSize: Int, actionSize: Int) throws -> PPOAgent {
        let configURL = URL(fileURLWithPath: folder).appendingPathComponent("config.json")
        let config: TrainingConfig
        do { config = try JSONDecoder().decode(TrainingConfig.self, from: Data(contentsOf: configURL)) } catch {
            throw RunError("cannot read the run's configuration \(configURL.path): \(error)")
        }
        var random = SeededRandom(seed: 0)
        let agent = PPOAgent(observationSize: observationSize, actionSize: actionSize, config: config.ppo, random: &random)
        try agent.load(from: folder + "/checkpoint.weights")
        return agent
    }
}
