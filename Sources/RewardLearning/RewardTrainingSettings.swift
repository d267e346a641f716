/// How long one feedback round trains the reward model (METHOD.md §6 defaults).
public struct RewardTrainingSettings: Sendable, Equatable, Codable {
    /// Most passes over the label buffer (100).
    public var epochs: Int
    /// Segments per minibatch (128); the last minibatch of an epoch holds the remainder.
    public var batchSize: Int
    /// Stop after an epoch whose training accuracy, averaged over members,
    /// exceeds this (0.97); in [0, 1], and 1 never stops early.
    public var stopAccuracy: Double
    /// Number of parallel parts each member's minibatch is split into (2: with
    /// 3 members, 6 equal parts keep 2 or 3 cores evenly busy). Results are
    /// reproducible for a given value; different values differ only by Float
    /// rounding of the summed gradients.
    public var rowSplits: Int

    /// Settings; the defaults are RbRL's (and 2 row splits).
    public init(epochs: Int = 100, batchSize: Int = 128, stopAccuracy: Double = 0.97, rowSplits: Int = 2) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.stopAccuracy = stopAccuracy
        self.rowSplits = rowSplits
    }

    /// Throws `RewardLearningError.invalidSetting` for an unusable value.
    public func validate() throws {
        guard epochs >= 1 else {
            throw RewardLearningError.invalidSetting(name: "reward epochs", value: "\(epochs)", allowed: "at least 1")
        }
        guard batchSize >= 1 else {
            throw RewardLearningError.invalidSetting(name: "batch size", value: "\(batchSize)", allowed: "at least 1")
        }
        guard rowSplits >= 1 else {
            throw RewardLearningError.invalidSetting(name: "row splits", value: "\(rowSplits)", allowed: "at least 1")
        }
        guard (0...1).contains(stopAccuracy) else {
            throw RewardLearningError.invalidSetting(name: "stop accuracy", value: "\(stopAccuracy)",
                                                     allowed: "between 0 and 1 (1: never stop early)")
        }
    }
}
