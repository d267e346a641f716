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
    /// Throws a `RunError` naming the bad setting when `episodes` is not
    /// positive or `segmentLength` is not between 1 and the episode length.
    public static func measure(task: String, agent: PPOAgent?, episodes: Int, segmentLength: Int,
                               models: ModelDirectory, seed: UInt64) throws -> SegmentReturnSurvey {
        guard episodes >= 1 else { throw RunError(problems(episodes: episodes, segmentLength: 1, episodeSteps: 1)[0]) }
        let environments = try VectorEnvironment(task: task, count: episodes, models: models, seed: seed,
                                                 workers: ProcessInfo.processInfo.activeProcessorCount)
        let episodeSteps = environments.environments[0].stepLimit
        if let problem = problems(episodes: episodes, segmentLength: segmentLength, episodeSteps: episodeSteps).first {
            throw RunError(problem)
        }
        var random = SeededRandom(seed: seed &+ 99)
        var observations = try environments.reset()
        var rewards = [[Double]](repeating: [], count: episodes)
        let spec = environments.actionSpec
        for _ in 0..<episodeSteps {
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

    /// Problems with a survey's settings, each a sentence naming the option
    /// to change; empty when `episodes` ≥ 1 and 1 ≤ `segmentLength` ≤ `episodeSteps`.
    public static func problems(episodes: Int, segmentLength: Int, episodeSteps: Int) -> [String] {
        var problems: [String] = []
        if episodes < 1 { problems.append("--episodes must be at least 1, got \(episodes)") }
        if segmentLength < 1 || segmentLength > episodeSteps {
            problems.append("--length must be between 1 and the episode length \(episodeSteps), got \(segmentLength)")
        }
        return problems
    }
}
