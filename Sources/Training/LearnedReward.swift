import NeuralNet
import PPO
import RewardLearning

/// The policy's reward from the reward model: the ensemble mean of r̂ on
/// concat(normalised observation, action), computed when each step is collected.
public final class LearnedReward: RewardSource {
    public let ensemble: RewardEnsemble

    public init(ensemble: RewardEnsemble) { self.ensemble = ensemble }

    public func rewards(rawObservations: [[Double]], normalizedObservations: Matrix, actions: [[Double]],
                        trueRewards: [Double]) -> [Double] {
        let o = normalizedObservations.columns
        let d = actions.first?.count ?? 0
        var inputs = [Float]()
        inputs.reserveCapacity(actions.count * (o + d))
        for r in 0..<actions.count {
            inputs += normalizedObservations.values[(r * o)..<((r + 1) * o)]
            inputs += actions[r].map(Float.init)
        }
        return ensemble.predictReward(Matrix(rows: actions.count, columns: o + d, values: inputs)).map(Double.init)
    }
}
