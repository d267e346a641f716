import NeuralNet
import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// A diagonal Gaussian policy with a state-independent log standard deviation:
/// an MLP gives the mean action, `logStd` one learnable spread per action.
public final class GaussianPolicy {
    public let mean: MLP
    public var logStd: [Float]
    public var logStdGradient: [Float]

    public init(observationSize: Int, actionSize: Int, hiddenSizes: [Int], activation: Activation,
                logStdInit: Float = 0, random: inout SeededRandom) {
        mean = MLP(inputSize: observationSize, hiddenSizes: hiddenSizes, outputSize: actionSize,
                   hiddenActivation: activation, outputActivation: .identity,
                   initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 0.01),
                   random: &random)
        logStd = [Float](repeating: logStdInit, count: actionSize)
        logStdGradient = [Float](repeating: 0, count: actionSize)
    }

    public var actionSize: Int { logStd.count }

    static let halfLogTwoPi = Float(0.5 * log(2 * Double.pi))

    /// Log-density of `actions` under means `means` (both `rows × actionSize`).
    public func logProbability(actions: Matrix, means: Matrix) -> [Float] {
        let d = actionSize
        var result = [Float](repeating: 0, count: actions.rows)
        let inverseVariance = logStd.map { exp(-2 * $0) }
        let constant = logStd.reduce(0, +) + Float(d) * Self.halfLogTwoPi
        for r in 0..<actions.rows {
            var sum: Float = 0
            for i in 0..<d {
                let z = actions.values[r * d + i] - means.values[r * d + i]
                sum += z * z * inverseVariance[i]
            }
            result[r] = -0.5 * sum - constant
        }
        return result
    }

    /// Entropy of the distribution (the same for every state).
    public var entropy: Float {
        logStd.reduce(0) { $0 + 0.5 + Self.halfLogTwoPi + $1 }
    }

    /// Samples one action per row of `observations` (already normalised), with
    /// its log-density. Noise comes from `random` in row order, so sampling is
    /// reproducible.
    public func sample(_ observations: Matrix, random: inout SeededRandom) -> (actions: Matrix, logProbabilities: [Float]) {
        let means = mean.forward(observations)
        var actions = means
        let std = logStd.map { exp($0) }
        actions.withUnsafeMutableValues { values in
            for r in 0..<means.rows {
                for i in 0..<actionSize {
                    values[r * actionSize + i] += std[i] * Float(random.normal())
                }
            }
        }
        return (actions, logProbability(actions: actions, means: means))
    }

    /// The mean action for each row (the deterministic policy used in evaluation).
    public func meanAction(_ observations: Matrix) -> Matrix { mean.forward(observations) }

    public func zeroGradients() {
        mean.zeroGradients()
        for i in logStdGradient.indices { logStdGradient[i] = 0 }
    }
}
