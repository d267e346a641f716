import NeuralNet
import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// A diagonal Gaussian policy: an MLP gives the mean action; the spread is
/// either one learnable log standard deviation per action (state-independent),
/// or generalised state-dependent exploration (gSDE, as in Stable-Baselines3):
/// noise = φ(s)·W with φ the policy's last hidden features (no gradient) and W
/// drawn from N(0, exp(logStd)²) per environment, redrawn every k steps, so
/// σⱼ(s)² = Σᵢ φᵢ(s)²·exp(2·logStdᵢⱼ) + 1e-6.
public final class GaussianPolicy {
    public enum Exploration: Sendable, Equatable {
        case stateIndependent
        case stateDependent
    }

    public let mean: MLP
    public let exploration: Exploration
    /// `actionSize` entries, or `featureSize × actionSize` (row-major) with gSDE.
    public var logStd: [Float]
    public var logStdGradient: [Float]
    /// gSDE's exploration matrices, one per environment (`featureSize × actionSize`).
    public private(set) var explorationMatrices: [[Float]] = []

    static let gsdeEpsilon: Float = 1e-6
    static let halfLogTwoPi = Float(0.5 * log(2 * Double.pi))

    public init(observationSize: Int, actionSize: Int, hiddenSizes: [Int], activation: Activation,
                exploration: Exploration = .stateIndependent, logStdInit: Float = 0, random: inout SeededRandom) {
        mean = MLP(inputSize: observationSize, hiddenSizes: hiddenSizes, outputSize: actionSize,
                   hiddenActivation: activation, outputActivation: .identity,
                   initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 0.01),
                   random: &random)
        self.exploration = exploration
        let count = exploration == .stateIndependent ? actionSize : hiddenSizes.last! * actionSize
        logStd = [Float](repeating: logStdInit, count: count)
        logStdGradient = [Float](repeating: 0, count: count)
    }

    public var actionSize: Int { mean.outputSize }
    /// Width of the features gSDE scales its noise by (the last hidden layer).
    public var featureSize: Int { mean.layers[mean.layers.count - 1].inputSize }

    /// Per-row, per-action variance for the given squared features φ² (gSDE;
    /// `squared(_:)` of the features) or the shared one.
    func variances(squaredFeatures: Matrix?, rows: Int) -> [Float] {
        let d = actionSize
        switch exploration {
        case .stateIndependent:
            let shared = logStd.map { exp(2 * $0) }
            return (0..<(rows * d)).map { shared[$0 % d] }
        case .stateDependent:
            // One sgemm: (rows × f squared features) · (f × d exp(2·logStd)), plus ε.
            var result = Matrix(rows: rows, columns: d, repeating: Self.gsdeEpsilon)
            multiply(squaredFeatures!, by: Matrix(rows: featureSize, columns: d, values: logStd.map { exp(2 * $0) }),
                     beta: 1, into: &result)
            return result.values
        }
    }

    /// φ², entry by entry.
    static func squared(_ features: Matrix) -> Matrix {
        Matrix(rows: features.rows, columns: features.columns, values: features.values.map { $0 * $0 })
    }

    /// Log-density of `actions` under means `means` and per-entry `variances`.
    static func logProbability(actions: Matrix, means: Matrix, variances: [Float]) -> [Float] {
        let d = actions.columns
        return (0..<actions.rows).map { r in
            var sum: Float = 0
            for j in 0..<d {
                let k = r * d + j
                let z = actions.values[k] - means.values[k]
                sum += -0.5 * z * z / variances[k] - 0.5 * log(variances[k]) - halfLogTwoPi
            }
            return sum
        }
    }

    /// Log-density of `actions` under means `means` with the state-independent spread.
    public func logProbability(actions: Matrix, means: Matrix) -> [Float] {
        precondition(exploration == .stateIndependent, "gSDE log-densities need the features; use ppoLoss")
        return Self.logProbability(actions: actions, means: means, variances: variances(squaredFeatures: nil, rows: actions.rows))
    }

    /// Mean entropy over rows of the per-entry `variances`.
    static func entropy(variances: [Float], rows: Int) -> Float {
        variances.reduce(0) { $0 + 0.5 + halfLogTwoPi + 0.5 * log($1) } / Float(max(rows, 1))
    }

    /// Redraws gSDE's exploration matrices, one per environment.
    public func resampleExploration(environments: Int, random: inout SeededRandom) {
        guard exploration == .stateDependent else { return }
        let std = logStd.map { exp($0) }
        explorationMatrices = (0..<environments).map { _ in std.map { $0 * Float(random.normal()) } }
    }

    /// Samples one action per row of `observations` (already normalised; with
    /// gSDE, row e uses environment e's exploration matrix), with log-densities.
    /// Noise comes from `random` in row order, so sampling is reproducible.
    public func sample(_ observations: Matrix, random: inout SeededRandom) -> (actions: Matrix, logProbabilities: [Float]) {
        let d = actionSize
        switch exploration {
        case .stateIndependent:
            let means = mean.forward(observations)
            var actions = means
            let std = logStd.map { exp($0) }
            actions.withUnsafeMutableValues { values in
                for r in 0..<means.rows {
                    for j in 0..<d { values[r * d + j] += std[j] * Float(random.normal()) }
                }
            }
            return (actions, logProbability(actions: actions, means: means))
        case .stateDependent:
            if explorationMatrices.count != observations.rows {
                resampleExploration(environments: observations.rows, random: &random)
            }
            var cache = MLP.Cache()
            let means = mean.forward(observations, cache: &cache)
            let features = cache.output(ofLayer: mean.layers.count - 2)
            let f = featureSize
            var actions = means
            actions.withUnsafeMutableValues { values in
                for r in 0..<means.rows {
                    let matrix = explorationMatrices[r]
                    for i in 0..<f {
                        let phi = features.values[r * f + i]
                        for j in 0..<d { values[r * d + j] += phi * matrix[i * d + j] }
                    }
                }
            }
            let logProbabilities = Self.logProbability(actions: actions, means: means,
                                                       variances: variances(squaredFeatures: Self.squared(features), rows: means.rows))
            return (actions, logProbabilities)
        }
    }

    /// The mean action for each row (the deterministic policy used in evaluation).
    public func meanAction(_ observations: Matrix) -> Matrix { mean.forward(observations) }

    /// Entropy of the state-independent distribution (the same for every state).
    public var entropy: Float {
        precondition(exploration == .stateIndependent, "gSDE's entropy depends on the state")
        return Self.entropy(variances: variances(squaredFeatures: nil, rows: 1), rows: 1)
    }

    public func zeroGradients() {
        mean.zeroGradients()
        for i in logStdGradient.indices { logStdGradient[i] = 0 }
    }
}
