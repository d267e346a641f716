/// One rollout of `steps` × `environments` transitions, with generalised
/// advantage estimates. Row `t * environments + e` holds environment e's
/// transition at step t. Observations are stored normalised, as the policy
/// saw them; actions are the sampled (unclipped) ones.
public struct RolloutBuffer {
    public let steps: Int
    public let environments: Int
    public let observationSize: Int
    public let actionSize: Int

    public var observations: [Float]
    public var actions: [Float]
    public var rewards: [Float]
    /// 1 where the transition is the first of an episode.
    public var episodeStarts: [Float]
    public var values: [Float]
    public var logProbabilities: [Float]
    public var advantages: [Float]
    public var returns: [Float]

    public init(steps: Int, environments: Int, observationSize: Int, actionSize: Int) {
        self.steps = steps
        self.environments = environments
        self.observationSize = observationSize
        self.actionSize = actionSize
        let n = steps * environments
        observations = [Float](repeating: 0, count: n * observationSize)
        actions = [Float](repeating: 0, count: n * actionSize)
        rewards = [Float](repeating: 0, count: n)
        episodeStarts = rewards
        values = rewards
        logProbabilities = rewards
        advantages = rewards
        returns = rewards
    }

    public var count: Int { steps * environments }

    /// Stores step `t` of every environment.
    public mutating func store(step t: Int, observations obs: [Float], actions act: [Float], rewards r: [Float],
                               episodeStarts starts: [Bool], values v: [Float], logProbabilities lp: [Float]) {
        let base = t * environments
        observations.replaceSubrange((base * observationSize)..<((base + environments) * observationSize), with: obs)
        actions.replaceSubrange((base * actionSize)..<((base + environments) * actionSize), with: act)
        for e in 0..<environments {
            rewards[base + e] = r[e]
            episodeStarts[base + e] = starts[e] ? 1 : 0
            values[base + e] = v[e]
            logProbabilities[base + e] = lp[e]
        }
    }

    /// Generalised advantage estimation (λ-returns) over the rollout, as
    /// Stable-Baselines3 computes it. `lastValues` are the value estimates of the
    /// observations after the last step and `lastEpisodeStarts` whether each of
    /// those begins a new episode. Time-limit truncation is handled before this,
    /// by adding γ·V(final observation) to the last reward of the ended episode.
    public mutating func computeAdvantages(lastValues: [Float], lastEpisodeStarts: [Bool], gamma: Float, lambda: Float) {
        var lastAdvantage = [Float](repeating: 0, count: environments)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            for e in 0..<environments {
                let i = t * environments + e
                let nextNonTerminal: Float
                let nextValue: Float
                if t == steps - 1 {
                    nextNonTerminal = lastEpisodeStarts[e] ? 0 : 1
                    nextValue = lastValues[e]
                } else {
                    nextNonTerminal = 1 - episodeStarts[i + environments]
                    nextValue = values[i + environments]
                }
                let delta = rewards[i] + gamma * nextValue * nextNonTerminal - values[i]
                lastAdvantage[e] = delta + gamma * lambda * nextNonTerminal * lastAdvantage[e]
                advantages[i] = lastAdvantage[e]
            }
        }
        for i in 0..<count { returns[i] = advantages[i] + values[i] }
    }

    /// 1 − Var(returns − values) / Var(returns): how much of the return the
    /// value function explains (1 is perfect, ≤ 0 is no better than a constant).
    public var explainedVariance: Float {
        func variance(_ x: [Float]) -> Double {
            let mean = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
            return x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(x.count)
        }
        let total = variance(returns)
        guard total > 0 else { return .nan }
        return Float(1 - variance(zip(returns, values).map { $0 - $1 }) / total)
    }
}
