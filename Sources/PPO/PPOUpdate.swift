import NeuralNet
import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// Averages over one PPO update (all epochs and minibatches).
public struct PPOUpdateStatistics: Sendable, Codable {
    public var policyLoss: Double = 0
    public var valueLoss: Double = 0
    public var entropy: Double = 0
    public var approximateKL: Double = 0
    public var clipFraction: Double = 0
    public var explainedVariance: Double = 0
    public var minibatches = 0
}

/// The PPO update of Stable-Baselines3, top to bottom: for each epoch, a fresh
/// shuffle of the rollout into minibatches; per minibatch, advantages
/// normalised, the clipped surrogate, value and entropy losses, their
/// gradients by hand, one global gradient-norm clip over policy, log-std and
/// value parameters, and an Adam step.
public func ppoUpdate(agent: PPOAgent, buffer: RolloutBuffer, clipRange: Float,
                      random: inout SeededRandom) -> PPOUpdateStatistics {
    let config = agent.config
    let policy = agent.policy
    let (n, b) = (buffer.count, config.minibatchSize)
    var statistics = PPOUpdateStatistics()
    var policyCache = MLP.Cache(), valueCache = MLP.Cache()
    var indices = Array(0..<n)

    for _ in 0..<config.epochs {
        shuffle(&indices, random: &random)
        var start = 0
        while start < n {
            let rows = Array(indices[start..<min(start + b, n)])
            start += b
            guard rows.count > 1 else { continue }
            var minibatch = PPOMinibatch(buffer: buffer, rows: rows)
            normalizeAdvantages(&minibatch.advantages)

            policy.zeroGradients()
            agent.value.zeroGradients()
            let loss = ppoLoss(agent: agent, minibatch: minibatch, clipRange: clipRange,
                               policyCache: &policyCache, valueCache: &valueCache)

            // One global clip over every parameter, then Adam.
            clipGradientNorm(of: [policy.mean, agent.value], and: &policy.logStdGradient, maxNorm: config.maxGradientNorm)
            agent.policyOptimizer.step(parameters: &policy.mean.parameters, gradients: policy.mean.gradients)
            agent.logStdOptimizer.step(parameters: &policy.logStd, gradients: policy.logStdGradient)
            agent.valueOptimizer.step(parameters: &agent.value.parameters, gradients: agent.value.gradients)

            statistics.policyLoss += loss.policy
            statistics.valueLoss += loss.value
            statistics.approximateKL += loss.approximateKL
            statistics.clipFraction += loss.clipFraction
            statistics.entropy += loss.entropy
            statistics.minibatches += 1
        }
    }
    let count = Double(max(statistics.minibatches, 1))
    statistics.policyLoss /= count
    statistics.valueLoss /= count
    statistics.approximateKL /= count
    statistics.clipFraction /= count
    statistics.entropy /= count
    statistics.explainedVariance = Double(buffer.explainedVariance)
    return statistics
}

/// One minibatch of a rollout.
public struct PPOMinibatch {
    public var observations: Matrix
    public var actions: Matrix
    public var oldLogProbabilities: [Float]
    public var advantages: [Float]
    public var returns: [Float]

    public init(observations: Matrix, actions: Matrix, oldLogProbabilities: [Float], advantages: [Float], returns: [Float]) {
        self.observations = observations; self.actions = actions; self.oldLogProbabilities = oldLogProbabilities
        self.advantages = advantages; self.returns = returns
    }

    /// Gathers `rows` of `buffer`.
    init(buffer: RolloutBuffer, rows: [Int]) {
        let (o, d) = (buffer.observationSize, buffer.actionSize)
        var observations = [Float](), actions = [Float]()
        observations.reserveCapacity(rows.count * o)
        actions.reserveCapacity(rows.count * d)
        for i in rows {
            observations += buffer.observations[(i * o)..<((i + 1) * o)]
            actions += buffer.actions[(i * d)..<((i + 1) * d)]
        }
        self.init(observations: Matrix(rows: rows.count, columns: o, values: observations),
                  actions: Matrix(rows: rows.count, columns: d, values: actions),
                  oldLogProbabilities: rows.map { buffer.logProbabilities[$0] },
                  advantages: rows.map { buffer.advantages[$0] }, returns: rows.map { buffer.returns[$0] })
    }
}

/// The parts of the PPO loss on one minibatch.
public struct PPOLoss {
    /// −mean min(A·r, A·clip(r)).
    public var policy: Double
    /// mean (V − R)².
    public var value: Double
    public var entropy: Double
    public var approximateKL: Double
    public var clipFraction: Double
    /// policy + c_v·value − c_e·entropy: what the gradients are of.
    public var total: Double
}

/// Evaluates the PPO loss on `minibatch` and ADDS its gradients to the policy
/// mean network's, the log-std's and the value network's gradient buffers.
/// Advantages are used as given (normalise them first).
public func ppoLoss(agent: PPOAgent, minibatch: PPOMinibatch, clipRange: Float,
                    policyCache: inout MLP.Cache, valueCache: inout MLP.Cache) -> PPOLoss {
    let config = agent.config
    let policy = agent.policy
    let (m, d) = (minibatch.observations.rows, agent.actionSize)
    let actions = minibatch.actions.values

    // Policy: clipped surrogate objective.
    let means = policy.mean.forward(minibatch.observations, cache: &policyCache)
    // gSDE's φ², squared once for the variances and their gradient.
    let squaredFeatures = policy.exploration == .stateDependent
        ? GaussianPolicy.squared(policyCache.output(ofLayer: policy.mean.layers.count - 2)) : nil
    let variances = policy.variances(squaredFeatures: squaredFeatures, rows: m)
    let logProbabilities = GaussianPolicy.logProbability(actions: minibatch.actions, means: means, variances: variances)
    var meanGradient = Matrix(rows: m, columns: d)
    // d loss / d variance, per row and action; turned into log-std gradients below.
    var varianceGradient = [Float](repeating: 0, count: m * d)
    var policyLoss: Double = 0, kl: Double = 0, clipped = 0
    for j in 0..<m {
        let advantage = minibatch.advantages[j]
        let logRatio = logProbabilities[j] - minibatch.oldLogProbabilities[j]
        let ratio = exp(logRatio)
        let unclippedObjective = advantage * ratio
        let clippedObjective = advantage * min(max(ratio, 1 - clipRange), 1 + clipRange)
        policyLoss -= Double(min(unclippedObjective, clippedObjective))
        kl += Double((ratio - 1) - logRatio)
        if abs(ratio - 1) > clipRange { clipped += 1 }
        // d(−min)/d log π is −A·r where the unclipped term is the minimum, 0 where clipping holds.
        let gradientLogProbability = unclippedObjective <= clippedObjective ? -advantage * ratio / Float(m) : 0
        for i in 0..<d {
            let k = j * d + i
            let z = actions[k] - means.values[k]
            meanGradient[j, i] = gradientLogProbability * z / variances[k]
            varianceGradient[k] = gradientLogProbability * (z * z / variances[k] - 1) / (2 * variances[k])
                // Entropy bonus: loss −c·mean H, with dH/dσ² = 1/(2σ²).
                - config.entropyCoefficient / (2 * variances[k] * Float(m))
        }
    }
    policy.mean.backward(meanGradient, cache: policyCache)
    accumulateLogStdGradient(policy: policy, varianceGradient: varianceGradient, variances: variances, squaredFeatures: squaredFeatures)

    // Value function: mean squared error to the λ-returns.
    let predicted = agent.value.forward(minibatch.observations, cache: &valueCache)
    var valueGradient = Matrix(rows: m, columns: 1)
    var valueLoss: Double = 0
    for j in 0..<m {
        let error = predicted.values[j] - minibatch.returns[j]
        valueLoss += Double(error * error)
        valueGradient[j, 0] = config.valueCoefficient * 2 * error / Float(m)
    }
    agent.value.backward(valueGradient, cache: valueCache)

    let entropy = Double(GaussianPolicy.entropy(variances: variances, rows: m))
    policyLoss /= Double(m)
    valueLoss /= Double(m)
    return PPOLoss(policy: policyLoss, value: valueLoss, entropy: entropy, approximateKL: kl / Double(m),
                   clipFraction: Double(clipped) / Double(m),
                   total: policyLoss + Double(config.valueCoefficient) * valueLoss - Double(config.entropyCoefficient) * entropy)
}

/// Chain rule from per-entry variances to the log standard deviations:
/// σ² = e^{2s} (state-independent) or σⱼ² = Σᵢ φᵢ²·e^{2sᵢⱼ} + ε (gSDE).
func accumulateLogStdGradient(policy: GaussianPolicy, varianceGradient: [Float], variances: [Float], squaredFeatures: Matrix?) {
    let d = policy.actionSize
    let rows = varianceGradient.count / d
    switch policy.exploration {
    case .stateIndependent:
        for k in 0..<varianceGradient.count {
            policy.logStdGradient[k % d] += varianceGradient[k] * 2 * variances[k]
        }
    case .stateDependent:
        // d loss/d logStdᵢⱼ = 2·exp(2·logStdᵢⱼ)·Σ_r φ²ᵣᵢ·(d loss/d σ²ᵣⱼ): the sums are
        // one sgemm, (f × rows φ²ᵀ) · (rows × d variance gradients).
        let f = policy.featureSize
        var sums = Matrix(rows: f, columns: d)
        multiply(squaredFeatures!, transposed: true, by: Matrix(rows: rows, columns: d, values: varianceGradient),
                 alpha: 2, beta: 0, into: &sums)
        for k in policy.logStdGradient.indices { policy.logStdGradient[k] += sums.values[k] * exp(2 * policy.logStd[k]) }
    }
}

/// (a − mean) / (std + 1e-8), with the unbiased standard deviation, as SB3 does per minibatch.
public func normalizeAdvantages(_ advantages: inout [Float]) {
    let m = Float(advantages.count)
    let mean = advantages.reduce(0, +) / m
    let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
    let scale = 1 / (variance.squareRoot() + 1e-8)
    for i in advantages.indices { advantages[i] = (advantages[i] - mean) * scale }
}

/// Fisher–Yates shuffle driven by the project's seeded generator.
func shuffle(_ values: inout [Int], random: inout SeededRandom) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
        let j = Int(random.next() % UInt64(i + 1))
        values.swapAt(i, j)
    }
}
