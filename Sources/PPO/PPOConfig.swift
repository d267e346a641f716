import Control

/// Every PPO hyperparameter, with Stable-Baselines3's meaning. Presets give
/// the paper's configuration and a quick one; every field can be overridden.
public struct PPOConfig: Codable, Sendable, Equatable {
    /// Parallel environments per rollout.
    public var environments: Int
    /// Steps per environment per rollout.
    public var stepsPerRollout: Int
    public var minibatchSize: Int
    public var epochs: Int
    public var learningRate: Float
    /// Clip range of the surrogate objective at the start of training.
    public var clipRange: Float
    /// Anneal the clip range linearly to 0 over training (the paper's setting).
    public var annealClipRange: Bool
    /// Anneal the learning rate linearly to 0 over training (CleanRL's default;
    /// SB3's linear schedule), so late updates cannot undo what was learned.
    public var annealLearningRate: Bool
    public var gamma: Float
    public var gaeLambda: Float
    public var entropyCoefficient: Float
    public var valueCoefficient: Float
    public var maxGradientNorm: Float
    public var adamEpsilon: Float
    /// Hidden layer widths of both the policy and the value network (separate networks).
    public var hiddenSizes: [Int]
    /// The activation after every hidden layer of both networks.
    public var activation: HiddenActivation
    public var logStdInit: Float
    /// Generalised state-dependent exploration (gSDE) instead of a state-independent log-std.
    public var gsde: Bool
    /// With gSDE, steps between redraws of the exploration matrices (RbRL: 4).
    public var gsdeResampleEvery: Int
    /// Observations are normalised by running statistics and clipped to ±this.
    public var observationClip: Double

    public init(environments: Int, stepsPerRollout: Int, minibatchSize: Int, epochs: Int, learningRate: Float,
                annealLearningRate: Bool = false, clipRange: Float, annealClipRange: Bool, gamma: Float,
                gaeLambda: Float, entropyCoefficient: Float,
                valueCoefficient: Float, maxGradientNorm: Float, adamEpsilon: Float, hiddenSizes: [Int],
                activation: HiddenActivation, logStdInit: Float, gsde: Bool, gsdeResampleEvery: Int, observationClip: Double) {
        self.environments = environments; self.stepsPerRollout = stepsPerRollout; self.minibatchSize = minibatchSize
        self.epochs = epochs; self.learningRate = learningRate; self.annealLearningRate = annealLearningRate
        self.clipRange = clipRange
        self.annealClipRange = annealClipRange; self.gamma = gamma; self.gaeLambda = gaeLambda
        self.entropyCoefficient = entropyCoefficient; self.valueCoefficient = valueCoefficient
        self.maxGradientNorm = maxGradientNorm; self.adamEpsilon = adamEpsilon; self.hiddenSizes = hiddenSizes
        self.activation = activation; self.logStdInit = logStdInit; self.gsde = gsde
        self.gsdeResampleEvery = gsdeResampleEvery; self.observationClip = observationClip
    }

    /// Reads a configuration; fields added after a run was written (gSDE, learning-rate annealing) take
    /// their defaults, so older run folders stay readable.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: FieldKey.self)
        var config = PPOConfig.quick  // storage only: every field is read or defaulted below
        for field in Self.fields { try field.decode(&config, container) }
        self = config
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for field in Self.fields { try field.encode(self, &container) }
    }

    /// The paper's configuration (docs/method.md §9, after the RbRL code lineage),
    /// with RbRL's gSDE exploration redrawn every 4 steps.
    public static let paper = PPOConfig(
        environments: 32, stepsPerRollout: 500, minibatchSize: 64, epochs: 20, learningRate: 5e-5,
        clipRange: 0.4, annealClipRange: true, gamma: 0.99, gaeLambda: 0.92, entropyCoefficient: 0,
        valueCoefficient: 0.5, maxGradientNorm: 0.5, adamEpsilon: 1e-5, hiddenSizes: [256, 256, 256],
        activation: .tanh, logStdInit: 0, gsde: true, gsdeResampleEvery: 4, observationClip: 10)

    /// The paper's quadruped variant: 16 environments, minibatch 128, λ 0.9.
    public static let paperQuadruped: PPOConfig = {
        var config = paper
        config.environments = 16
        config.minibatchSize = 128
        config.gaeLambda = 0.9
        return config
    }()

    /// A smaller, faster setting: SB3's PPO defaults with 8 environments and a 64-64 network,
    /// with the clip range and the learning rate annealed linearly to 0 over the run. Without the
    /// annealing its policies collapsed late (cartpole-balance ended at 438 and 305 in 2 of 5 held-out
    /// seeds); with it, PPO on the true reward ends within 10 % of its best evaluation in at least
    /// 4 of 5 held-out seeds on every task and cartpole-balance at 984 or more in 5 of 5
    /// (docs/results.md, "The study's protocol").
    public static let quick = PPOConfig(
        environments: 8, stepsPerRollout: 256, minibatchSize: 64, epochs: 10, learningRate: 3e-4,
        annealLearningRate: true, clipRange: 0.2, annealClipRange: true, gamma: 0.99, gaeLambda: 0.95, entropyCoefficient: 0,
        valueCoefficient: 0.5, maxGradientNorm: 0.5, adamEpsilon: 1e-5, hiddenSizes: [64, 64],
        activation: .tanh, logStdInit: 0, gsde: false, gsdeResampleEvery: 4, observationClip: 10)

    /// A named starting configuration; the raw value is its name in config.json and `--preset`.
    public enum Preset: String, CaseIterable, Sendable {
        case quick, paper
    }

    /// The preset for a task: `.paper` picks the quadruped variant for quadruped tasks.
    public static func preset(_ preset: Preset, task: String) -> PPOConfig {
        switch preset {
        case .paper: Suite.traits(of: task)?.usesQuadrupedPPOVariant == true ? paperQuadruped : paper
        case .quick: quick
        }
    }

    /// The preset of that name for a task, or nil for an unknown name.
    public static func preset(_ name: String, task: String) -> PPOConfig? {
        Preset(rawValue: name).map { preset($0, task: task) }
    }

    public static let presetNames = Preset.allCases.map(\.rawValue)

    /// Transitions per rollout (Int.max for sizes too large to count, which `problems` rejects).
    public var rolloutSize: Int {
        let (size, overflow) = environments.multipliedReportingOverflow(by: stepsPerRollout)
        return overflow ? Int.max : size
    }

    /// A field override that could not be applied.
    public struct OverrideError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The names `set(_:to:)` accepts: the JSON keys of this configuration.
    public static let fieldNames = fields.map(\.name)

    /// Sets one field from text, e.g. `set("learningRate", to: "1e-4")` or
    /// `set("hiddenSizes", to: "256x256")`.
    public mutating func set(_ name: String, to text: String) throws {
        guard let field = Self.fields.first(where: { $0.name == name }) else {
            throw OverrideError(description: "unknown field '\(name)'; fields: \(Self.fieldNames.joined(separator: ", "))")
        }
        try field.set(&self, text)
    }

    /// Problems with the configuration, each a sentence; empty when valid.
    public var problems: [String] {
        var problems: [String] = []
        let counts: [(name: String, value: Int, range: ClosedRange<Int>)] = [
            ("environments", environments, 1...1024), ("steps per rollout", stepsPerRollout, 1...1_000_000),
            ("epochs", epochs, 1...10_000), ("hidden layers", hiddenSizes.count, 1...16),
        ] + hiddenSizes.map { ("hidden sizes", $0, 1...65_536) }
        problems += rangeProblems(counts)
        guard problems.isEmpty else { return problems }
        if rolloutSize > 10_000_000 { problems.append("a rollout (environments × steps per rollout) must hold at most 10000000 transitions, got \(rolloutSize)") }
        if minibatchSize < 2 || minibatchSize > rolloutSize {
            problems.append("minibatch size must be between 2 and environments × steps per rollout (\(rolloutSize))")
        }
        if !(learningRate > 0 && learningRate <= 1) { problems.append("learning rate must be above 0 and at most 1, got \(learningRate)") }
        if !(clipRange > 0) || !clipRange.isFinite { problems.append("clip range must be positive and finite") }
        if !(0...1).contains(gamma) || !(0...1).contains(gaeLambda) { problems.append("gamma and GAE lambda must be in [0, 1]") }
        for (name, value) in [("entropy coefficient", entropyCoefficient), ("value coefficient", valueCoefficient)]
        where !(value >= 0) || !value.isFinite {
            problems.append("\(name) must be finite and at least 0, got \(value)")
        }
        for (name, value) in [("max gradient norm", maxGradientNorm), ("Adam epsilon", adamEpsilon)] where !(value > 0) || !value.isFinite {
            problems.append("\(name) must be positive and finite, got \(value)")
        }
        if !(-20...20).contains(logStdInit) { problems.append("logStdInit must be between -20 and 20, got \(logStdInit)") }
        if !(observationClip > 0) || !observationClip.isFinite { problems.append("observation clip must be positive and finite, got \(observationClip)") }
        if gsde && !(1...1_000_000).contains(gsdeResampleEvery) { problems.append("gsdeResampleEvery must be between 1 and 1000000, got \(gsdeResampleEvery)") }
        return problems
    }
}
