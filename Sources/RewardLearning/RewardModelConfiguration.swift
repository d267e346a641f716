/// The reward model's architecture, optimiser and loss (docs/method.md §7; RbRL's defaults).
public struct RewardModelConfiguration: Sendable, Equatable, Codable {
    /// Number of ensemble members (3).
    public var memberCount: Int
    /// Hidden-layer widths of each member's MLP (3 × 256).
    public var hiddenSizes: [Int]
    /// Slope of the hidden layers' LeakyReLU for negative inputs (0.01).
    public var leakyReLUSlope: Float
    /// Adam learning rate, for the network weights and for s₁, s₂ (3e-4).
    public var learningRate: Float
    /// The training loss.
    public var objective: RewardObjective

    /// A configuration; the defaults are RbRL's.
    public init(memberCount: Int = 3, hiddenSizes: [Int] = [256, 256, 256], leakyReLUSlope: Float = 0.01,
                learningRate: Float = 3e-4, objective: RewardObjective = RewardObjective()) {
        self.memberCount = memberCount
        self.hiddenSizes = hiddenSizes
        self.leakyReLUSlope = leakyReLUSlope
        self.learningRate = learningRate
        self.objective = objective
    }

    /// Throws `RewardLearningError.invalidSetting` for an unusable value.
    public func validate() throws {
        guard memberCount >= 1 else {
            throw RewardLearningError.invalidSetting(name: "ensemble size", value: "\(memberCount)", allowed: "at least 1")
        }
        guard hiddenSizes.allSatisfy({ $0 > 0 }) else {
            throw RewardLearningError.invalidSetting(name: "hidden sizes", value: "\(hiddenSizes)", allowed: "all positive")
        }
        guard leakyReLUSlope >= 0, leakyReLUSlope.isFinite else {
            throw RewardLearningError.invalidSetting(name: "LeakyReLU slope", value: "\(leakyReLUSlope)", allowed: "finite and ≥ 0")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw RewardLearningError.invalidSetting(name: "learning rate", value: "\(learningRate)", allowed: "positive and finite")
        }
        try objective.validate()
    }
}
