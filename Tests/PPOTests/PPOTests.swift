import NeuralNet
import PPO
import Randomness
import XCTest

final class RolloutBufferTests: XCTestCase {
    /// Generalised advantage estimation on a hand-computed two-environment rollout
    /// with an episode boundary inside it.
    func testAdvantagesMatchHandComputation() {
        var buffer = RolloutBuffer(steps: 3, environments: 2, observationSize: 1, actionSize: 1)
        let rewards: [[Float]] = [[1, 0], [2, 1], [3, 1]]
        let values: [[Float]] = [[0.5, 0.2], [0.4, 0.3], [0.6, 0.1]]
        let starts: [[Bool]] = [[true, true], [false, false], [true, false]]  // env 0 restarts at t = 2
        for t in 0..<3 {
            buffer.store(step: t, observations: [0, 0], actions: [0, 0], rewards: rewards[t], episodeStarts: starts[t],
                         values: values[t], logProbabilities: [0, 0])
        }
        let (gamma, lambda): (Float, Float) = (0.9, 0.8)
        buffer.computeAdvantages(lastValues: [0.7, 0.9], lastEpisodeStarts: [false, true], gamma: gamma, lambda: lambda)

        // Environment 0: step 2 bootstraps from 0.7; step 1 ends an episode (step 2 starts one).
        let a02 = 3 + gamma * 0.7 - 0.6
        let a01: Float = 2 - 0.4
        let a00 = (1 + gamma * 0.4 - 0.5) + gamma * lambda * a01
        // Environment 1: the observation after step 2 starts a new episode, so no bootstrap.
        let a12: Float = 1 - 0.1
        let a11 = (1 + gamma * 0.1 - 0.3) + gamma * lambda * a12
        let a10 = (0 + gamma * 0.3 - 0.2) + gamma * lambda * a11
        let expected = [a00, a10, a01, a11, a02, a12]
        for (got, want) in zip(buffer.advantages, expected) { XCTAssertEqual(got, want, accuracy: 1e-6) }
        for i in 0..<6 { XCTAssertEqual(buffer.returns[i], buffer.advantages[i] + buffer.values[i], accuracy: 1e-6) }
    }

    func testExplainedVarianceIsOneForPerfectValues() {
        var buffer = RolloutBuffer(steps: 4, environments: 1, observationSize: 1, actionSize: 1)
        for t in 0..<4 {
            buffer.store(step: t, observations: [0], actions: [0], rewards: [Float(t)], episodeStarts: [t == 0],
                         values: [0], logProbabilities: [0])
        }
        buffer.computeAdvantages(lastValues: [0], lastEpisodeStarts: [true], gamma: 1, lambda: 1)
        buffer.values = buffer.returns
        XCTAssertEqual(buffer.explainedVariance, 1, accuracy: 1e-6)
    }
}

final class RunningNormalizerTests: XCTestCase {
    func testBatchedUpdatesGiveTheDataMeanAndVariance() {
        var random = SeededRandom(seed: 5)
        let data = (0..<3000).map { _ in [random.normal(mean: 3, standardDeviation: 2), random.uniform(-1, 1)] }
        var normalizer = RunningNormalizer(size: 2)
        for chunk in stride(from: 0, to: data.count, by: 7) { normalizer.update(Array(data[chunk..<min(chunk + 7, data.count)])) }
        for j in 0..<2 {
            let column = data.map { $0[j] }
            let mean = column.reduce(0, +) / Double(column.count)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)
            XCTAssertEqual(normalizer.mean[j], mean, accuracy: 1e-3 * max(1, abs(mean)))
            XCTAssertEqual(normalizer.variance[j], variance, accuracy: 1e-3 * variance)
        }
        XCTAssertEqual(normalizer.count, 3000 + 1e-4, accuracy: 1e-9)
    }

    func testNormalisedValuesAreClipped() {
        var normalizer = RunningNormalizer(size: 1, clip: 10)
        normalizer.update([[0], [0.001], [-0.001]])
        let z = normalizer.normalize([[1000], [-1000], [0]])
        XCTAssertEqual(z.values[0], 10)
        XCTAssertEqual(z.values[1], -10)
    }
}

final class PPOLossTests: XCTestCase {
    func makeAgent(entropy: Float = 0.01, gsde: Bool = false) -> PPOAgent {
        var config = PPOConfig.quick
        config.hiddenSizes = [6]
        config.entropyCoefficient = entropy
        config.gsde = gsde
        var random = SeededRandom(seed: 11)
        let agent = PPOAgent(observationSize: 3, actionSize: 2, config: config, random: &random)
        // Spread the policy so log-probabilities vary noticeably with the parameters.
        for i in agent.policy.mean.parameters.indices { agent.policy.mean.parameters[i] *= 20 }
        agent.policy.logStd = agent.policy.logStd.indices.map { [-0.3, 0.2, 0.1, -0.5][$0 % 4] }
        return agent
    }

    func makeMinibatch(agent: PPOAgent) -> PPOMinibatch {
        var random = SeededRandom(seed: 12)
        let m = 8
        let observations = Matrix(rows: m, columns: 3, values: (0..<(m * 3)).map { _ in Float(random.normal()) })
        let (actions, logProbabilities) = agent.policy.sample(observations, random: &random)
        // Old log-probabilities a little off, so some ratios fall outside the clip range.
        let old = logProbabilities.map { $0 + Float(random.normal(mean: 0, standardDeviation: 0.3)) }
        var advantages = (0..<m).map { _ in Float(random.normal()) }
        normalizeAdvantages(&advantages)
        return PPOMinibatch(observations: observations, actions: actions, oldLogProbabilities: old,
                            advantages: advantages, returns: (0..<m).map { _ in Float(random.normal()) })
    }

    /// The hand-written gradients of the whole loss (clipped surrogate, value
    /// and entropy terms) against central finite differences in every parameter group.
    func testGradientsMatchFiniteDifferences() {
        checkGradients(gsde: false)
    }

    /// The same with generalised state-dependent exploration (gSDE), whose
    /// variance depends on the policy's last hidden features.
    func testStateDependentExplorationGradientsMatchFiniteDifferences() {
        checkGradients(gsde: true)
    }

    func checkGradients(gsde: Bool) {
        let agent = makeAgent(gsde: gsde)
        let minibatch = makeMinibatch(agent: agent)
        let clipRange: Float = 0.2
        var policyCache = MLP.Cache(), valueCache = MLP.Cache()
        agent.policy.zeroGradients()
        agent.value.zeroGradients()
        let loss = ppoLoss(agent: agent, minibatch: minibatch, clipRange: clipRange, policyCache: &policyCache, valueCache: &valueCache)
        XCTAssertGreaterThan(loss.clipFraction, 0, "the test should exercise clipped samples")
        XCTAssertLessThan(loss.clipFraction, 1)

        func total() -> Double {
            var pc = MLP.Cache(), vc = MLP.Cache()
            let saved = (agent.policy.mean.gradients, agent.policy.logStdGradient, agent.value.gradients)
            defer { (agent.policy.mean.gradients, agent.policy.logStdGradient, agent.value.gradients) = saved }
            return ppoLoss(agent: agent, minibatch: minibatch, clipRange: clipRange, policyCache: &pc, valueCache: &vc).total
        }
        func check(_ label: String, _ parameter: ReferenceWritableKeyPath<PPOAgent, Float>, analytic: Float) {
            let h: Float = 1e-3
            let original = agent[keyPath: parameter]
            agent[keyPath: parameter] = original + h
            let plus = total()
            agent[keyPath: parameter] = original - h
            let minus = total()
            agent[keyPath: parameter] = original
            let numeric = (plus - minus) / Double(2 * h)
            XCTAssertEqual(Double(analytic), numeric, accuracy: 2e-3 + 2e-2 * abs(numeric), label)
        }
        // gSDE's features enter the variance without a gradient (detached, as in
        // SB3), so finite differences apply only to parameters after them: the
        // output layer. Hidden layers are checked through the mean in the
        // state-independent case.
        let firstChecked = gsde ? agent.policy.mean.layers.last!.weightOffset : 0
        for i in stride(from: firstChecked, to: agent.policy.mean.parameterCount, by: 3) {
            check("policy parameter \(i)", \.policy.mean.parameters[i], analytic: agent.policy.mean.gradients[i])
        }
        for i in agent.policy.logStd.indices { check("log std \(i)", \.policy.logStd[i], analytic: agent.policy.logStdGradient[i]) }
        for i in stride(from: 0, to: agent.value.parameterCount, by: 2) {
            check("value parameter \(i)", \.value.parameters[i], analytic: agent.value.gradients[i])
        }
    }

    func testNoPolicyGradientWhenEverySampleIsClippedAgainstItsAdvantage() {
        let agent = makeAgent(entropy: 0)
        var minibatch = makeMinibatch(agent: agent)
        var cache = MLP.Cache(), valueCache = MLP.Cache()
        let current = agent.policy.logProbability(actions: minibatch.actions, means: agent.policy.mean.forward(minibatch.observations))
        // Ratio 2 with positive advantages: the clipped objective is the minimum everywhere.
        minibatch.oldLogProbabilities = current.map { $0 - log(2) }
        minibatch.advantages = minibatch.advantages.map { abs($0) + 0.1 }
        agent.policy.zeroGradients()
        let loss = ppoLoss(agent: agent, minibatch: minibatch, clipRange: 0.2, policyCache: &cache, valueCache: &valueCache)
        XCTAssertEqual(loss.clipFraction, 1)
        XCTAssert(agent.policy.mean.gradients.allSatisfy { $0 == 0 })
        XCTAssert(agent.policy.logStdGradient.allSatisfy { $0 == 0 })
    }

    /// gSDE noise φ(s)·W with W ~ N(0, e^{2·logStd}) has per-action variance
    /// Σᵢ φᵢ²·e^{2·logStdᵢⱼ}: check it empirically over many redraws.
    func testStateDependentNoiseHasTheStatedVariance() {
        let agent = makeAgent(gsde: true)
        let observation = Matrix(rows: 1, columns: 3, values: [0.3, -0.2, 0.5])
        var random = SeededRandom(seed: 2)
        let mean = agent.policy.meanAction(observation)
        var sums = [Double](repeating: 0, count: 2)
        let draws = 20_000
        for _ in 0..<draws {
            agent.policy.resampleExploration(environments: 1, random: &random)
            let (action, _) = agent.policy.sample(observation, random: &random)
            for j in 0..<2 { sums[j] += pow(Double(action[0, j] - mean[0, j]), 2) }
        }
        var cache = MLP.Cache()
        _ = agent.policy.mean.forward(observation, cache: &cache)
        let features = cache.output(ofLayer: agent.policy.mean.layers.count - 2)
        for j in 0..<2 {
            var expected = 0.0
            for i in 0..<agent.policy.featureSize {
                expected += Double(features[0, i] * features[0, i]) * exp(2 * Double(agent.policy.logStd[i * 2 + j]))
            }
            XCTAssertEqual(sums[j] / Double(draws), expected, accuracy: 0.05 * expected)
        }
    }

    func testLogProbabilityOfAGaussian() {
        let agent = makeAgent()
        let means = Matrix(rows: 1, columns: 2, values: [0.5, -1])
        let actions = Matrix(rows: 1, columns: 2, values: [1, 0])
        let sigma = agent.policy.logStd.map { Double(exp($0)) }
        var expected = 0.0
        for (i, (a, mu)) in zip([1.0, 0.0], [0.5, -1.0]).enumerated() {
            expected += -0.5 * pow((a - mu) / sigma[i], 2) - log(sigma[i]) - 0.5 * log(2 * Double.pi)
        }
        XCTAssertEqual(Double(agent.policy.logProbability(actions: actions, means: means)[0]), expected, accuracy: 1e-5)
    }

    func testCheckpointRoundTripAndMismatch() throws {
        let agent = makeAgent()
        agent.normalizer.update([[1, 2, 3], [2, 3, 4]])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ppo-\(UUID().uuidString).weights").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try agent.save(to: path)
        let copy = makeAgent()
        for i in copy.policy.mean.parameters.indices { copy.policy.mean.parameters[i] = 0 }
        try copy.load(from: path)
        XCTAssertEqual(copy.policy.mean.parameters, agent.policy.mean.parameters)
        XCTAssertEqual(copy.value.parameters, agent.value.parameters)
        XCTAssertEqual(copy.policy.logStd, agent.policy.logStd)
        XCTAssertEqual(copy.deterministicActions([[0.1, 0.2, 0.3]]), agent.deterministicActions([[0.1, 0.2, 0.3]]))

        var random = SeededRandom(seed: 1)
        var other = PPOConfig.quick
        other.hiddenSizes = [7]
        let mismatched = PPOAgent(observationSize: 3, actionSize: 2, config: other, random: &random)
        XCTAssertThrowsError(try mismatched.load(from: path)) { error in
            XCTAssert("\(error)".contains("shape"), "\(error)")
        }
    }

    /// The learning rate an update is given is the one its Adam steps use: at
    /// 0 (the end of an annealed run) nothing moves; at the preset's rate
    /// every network does.
    func testAnUpdateStepsWithTheLearningRateItIsGiven() {
        var random = SeededRandom(seed: 13)
        var buffer = RolloutBuffer(steps: 16, environments: 2, observationSize: 3, actionSize: 2)
        for t in 0..<16 {
            buffer.store(step: t, observations: (0..<6).map { _ in Float(random.normal()) },
                         actions: (0..<4).map { _ in Float(random.normal()) },
                         rewards: [Float(random.normal()), Float(random.normal())], episodeStarts: [t == 0, t == 0],
                         values: [0, 0], logProbabilities: [-1, -1])
        }
        buffer.computeAdvantages(lastValues: [0, 0], lastEpisodeStarts: [false, false], gamma: 0.99, lambda: 0.95)
        for (learningRate, moves) in [(Float(0), false), (PPOConfig.quick.learningRate, true)] {
            let agent = makeAgent()
            let (policy, value, logStd) = (agent.policy.mean.parameters, agent.value.parameters, agent.policy.logStd)
            agent.setLearningRate(learningRate)
            var shuffling = SeededRandom(seed: 14)
            _ = ppoUpdate(agent: agent, buffer: buffer, clipRange: 0.2, random: &shuffling)
            XCTAssertEqual(agent.policy.mean.parameters != policy, moves, "policy, learning rate \(learningRate)")
            XCTAssertEqual(agent.value.parameters != value, moves, "value, learning rate \(learningRate)")
            XCTAssertEqual(agent.policy.logStd != logStd, moves, "log-std, learning rate \(learningRate)")
        }
    }

    /// Runs written before learning-rate annealing existed read as "not annealed"
    /// (they trained without it, whatever the preset says now); the field is set
    /// like any other. The quick preset anneals it, the paper preset does not.
    func testLearningRateAnnealingReadsAsOffInOlderRunsAndIsSetLikeAnyField() throws {
        XCTAssertTrue(PPOConfig.quick.annealLearningRate)
        XCTAssertFalse(PPOConfig.paper.annealLearningRate)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(PPOConfig.paper)) as! [String: Any]
        XCTAssertEqual(json["annealLearningRate"] as? Bool, false)
        json["annealLearningRate"] = nil
        let old = try JSONDecoder().decode(PPOConfig.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old, PPOConfig.paper)
        var quickJSON = try JSONSerialization.jsonObject(with: JSONEncoder().encode(PPOConfig.quick)) as! [String: Any]
        quickJSON["annealLearningRate"] = nil
        let olderQuick = try JSONDecoder().decode(PPOConfig.self, from: JSONSerialization.data(withJSONObject: quickJSON))
        XCTAssertFalse(olderQuick.annealLearningRate)
        var config = PPOConfig.quick
        try config.set("annealLearningRate", to: "false")
        XCTAssertFalse(config.annealLearningRate)
        try config.set("annealLearningRate", to: "true")
        XCTAssertTrue(config.annealLearningRate)
        XCTAssertThrowsError(try config.set("annealLearningRate", to: "yes"))
    }

    /// config.json, `--set` and `fieldNames` read one list of fields: every name
    /// `fieldNames` gives is a key of config.json and a key `set` takes; a run
    /// written before gSDE and annealing existed reads with their defaults; a
    /// missing field of the original ones is an error naming it.
    func testFieldNamesCodingKeysAndSetAgree() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(PPOConfig.paperQuadruped)) as! [String: Any]
        XCTAssertEqual(Set(json.keys), Set(PPOConfig.fieldNames))
        XCTAssertEqual(PPOConfig.fieldNames.count, 20)
        XCTAssertEqual(try JSONDecoder().decode(PPOConfig.self, from: JSONEncoder().encode(PPOConfig.paperQuadruped)),
                       PPOConfig.paperQuadruped)
        var old = json
        for name in ["annealLearningRate", "gsde", "gsdeResampleEvery"] { old[name] = nil }
        var expected = PPOConfig.paperQuadruped
        expected.gsde = false
        let decoded = try JSONDecoder().decode(PPOConfig.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(decoded, expected)
        var missing = json
        missing["gaeLambda"] = nil
        XCTAssertThrowsError(try JSONDecoder().decode(PPOConfig.self, from: JSONSerialization.data(withJSONObject: missing))) { error in
            guard case DecodingError.keyNotFound(let key, _)? = error as? DecodingError else { return XCTFail("\(error)") }
            XCTAssertEqual(key.stringValue, "gaeLambda")
        }
        var config = PPOConfig.quick
        for (name, text) in [("environments", "3"), ("learningRate", "1e-4"), ("hiddenSizes", "32x16"), ("observationClip", "5")] {
            try config.set(name, to: text)
        }
        XCTAssertEqual([config.environments, config.hiddenSizes.count, Int(config.observationClip)], [3, 2, 5])
        XCTAssertEqual(config.learningRate, 1e-4)
        XCTAssertThrowsError(try config.set("learningrate", to: "1")) { error in
            XCTAssertEqual("\(error)", "unknown field 'learningrate'; fields: " + PPOConfig.fieldNames.joined(separator: ", "))
        }
        XCTAssertThrowsError(try config.set("gamma", to: "1e39")) { error in
            XCTAssertEqual("\(error)", "gamma takes a finite number, got '1e39'")
        }
        XCTAssertThrowsError(try config.set("hiddenSizes", to: "32xa")) { error in
            XCTAssertEqual("\(error)", "hiddenSizes takes widths joined by x, e.g. 256x256x256")
        }
    }
}

final class HiddenActivationTests: XCTestCase {
    /// config.json's `ppo.activation` and `--set activation=` name the activation.
    func testNamesRoundTripAndAnUnknownOneIsRefused() throws {
        XCTAssertEqual(HiddenActivation.allCases.map(\.rawValue), ["tanh", "relu"])
        XCTAssertEqual(HiddenActivation.tanh.function, .tanh)
        XCTAssertEqual(HiddenActivation.relu.function, .relu)
        for activation in HiddenActivation.allCases {
            var config = PPOConfig.quick
            try config.set("activation", to: activation.rawValue)
            XCTAssertEqual(config.activation, activation)
            let json = try JSONEncoder().encode(config)
            XCTAssert(String(decoding: json, as: UTF8.self).contains(#""activation":"\#(activation.rawValue)""#))
            XCTAssertEqual(try JSONDecoder().decode(PPOConfig.self, from: json), config)
        }
        var config = PPOConfig.quick
        XCTAssertThrowsError(try config.set("activation", to: "sigmoid")) { error in
            XCTAssertEqual("\(error)", "activation takes tanh or relu, got 'sigmoid'")
        }
    }
}
