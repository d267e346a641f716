import Control
import PPO

/// Mean true return of the deterministic policy (mean action, clipped) over
/// whole episodes, with the observation normaliser frozen.
public struct Evaluation: Sendable, Codable {
    public let meanReturn: Double
    public let standardDeviation: Double
    public let returns: [Double]

    /// Runs `environments.count` episodes in parallel, one per environment,
    /// each from the environment's next initial state.
    public static func run(agent: PPOAgent, environments: VectorEnvironment) throws -> Evaluation {
        var observations = try environments.reset()
        var totals = [Double](repeating: 0, count: environments.count)
        var finished = [Bool](repeating: false, count: environments.count)
        while !finished.allSatisfy({ $0 }) {
            let step = try environments.step(agent.deterministicActions(observations))
            for e in 0..<environments.count where !finished[e] {
                totals[e] += step.rewards[e]
                if step.dones[e] { finished[e] = true }
            }
            observations = step.observations
        }
        let mean = totals.reduce(0, +) / Double(totals.count)
        let variance = totals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(totals.count)
        return Evaluation(meanReturn: mean, standardDeviation: variance.squareRoot(), returns: totals)
    }
}

/// The environments a run evaluates its policy in. With fixed starts, every
/// evaluation puts them back as they were before their first reset, so each
/// evaluation plays the same initial states (common random numbers: two
/// evaluations of a run differ only by the policy).
public final class Evaluator {
    public let environments: VectorEnvironment
    private let starts: [ControlEnvironment.Snapshot]?

    public init(environments: VectorEnvironment, fixedStarts: Bool) {
        self.environments = environments
        starts = fixedStarts ? environments.snapshots() : nil
    }

    /// One evaluation of `agent`'s deterministic policy.
    public func evaluate(_ agent: PPOAgent) throws -> Evaluation {
        if let starts { try environments.restore(starts, observations: Array(repeating: [], count: starts.count)) }
        return try Evaluation.run(agent: agent, environments: environments)
    }
}

/// One row of a run's `evaluations.csv`.
public struct EvaluationPoint: Sendable, Equatable {
    public var envSteps: Int
    public var meanReturn: Double
    public var stdReturn: Double
    public var episodes: Int
    /// Each episode's return; nil in files written before they were recorded.
    public var returns: [Double]? = nil

    public init(envSteps: Int, meanReturn: Double, stdReturn: Double, episodes: Int, returns: [Double]? = nil) {
        self.envSteps = envSteps; self.meanReturn = meanReturn; self.stdReturn = stdReturn; self.episodes = episodes
        self.returns = returns
    }

    /// The columns of `evaluations.csv`, in order; files written before
    /// `returns` was recorded have only the first four.
    public static let columns = ["env_steps", "mean_return", "std_return", "episodes", "returns"]
}
