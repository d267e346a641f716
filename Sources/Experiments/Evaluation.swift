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
