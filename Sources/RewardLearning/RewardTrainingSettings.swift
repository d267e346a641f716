/// How long one feedback round trains the reward model (docs/method.md §7; RbRL's defaults).
public struct RewardTrainingSettings: Sendable, Equatable, Codable {
    /// What the early stop compares with `stopAccuracy`.
    public enum StopRule: String, Sendable, Equatable, Codable, CaseIterable {
        /// RbRL's: the fraction of segments classified correctly. Nearly all
        /// segments in one class (walker early on) pass 0.97 after one epoch.
        case accuracy
        /// The mean over the classes present of each class's recall, which
        /// predicting the majority class everywhere cannot raise above
        /// 1/(classes present); with a single class present it never stops
        /// early (every segment is trivially "right", and nothing certifies
        /// that the model has learned anything).
        case balancedAccuracy = "balanced-accuracy"
        /// As `balancedAccuracy`, except that a buffer whose ratings are all
        /// one class stops after `minimumEpochs`: there is nothing to tell
        /// apart, and more epochs only pull every predicted return together.
        case balancedAccuracyOrOneClass = "balanced-accuracy-or-one-class"
    }

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
    /// The measure the early stop reads: balanced accuracy by default (RbRL:
    /// plain accuracy, which a skewed rating histogram fools; see docs/results.md,
    /// "The stop rule and the walker question"). Runs take their method's `RewardLoss.defaultStopRule`.
    public var stopRule: StopRule
    /// Epochs trained before the early stop may fire (1: RbRL's rule).
    public var minimumEpochs: Int

    /// Settings; the defaults are RbRL's except the stop rule (and 2 row splits).
    public init(epochs: Int = 100, batchSize: Int = 128, stopAccuracy: Double = 0.97, rowSplits: Int = 2,
                stopRule: StopRule = .balancedAccuracy, minimumEpochs: Int = 1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.stopAccuracy = stopAccuracy
        self.rowSplits = rowSplits
        self.stopRule = stopRule
        self.minimumEpochs = minimumEpochs
    }

    enum CodingKeys: String, CodingKey { case epochs, batchSize, stopAccuracy, rowSplits, stopRule, minimumEpochs }

    /// Reads settings; the stop rule and minimum epochs, absent from older run
    /// folders, take the values those runs had (RbRL's).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(epochs: try c.decode(Int.self, forKey: .epochs), batchSize: try c.decode(Int.self, forKey: .batchSize),
                  stopAccuracy: try c.decode(Double.self, forKey: .stopAccuracy),
                  rowSplits: try c.decode(Int.self, forKey: .rowSplits),
                  stopRule: try c.decodeIfPresent(StopRule.self, forKey: .stopRule) ?? .accuracy,
                  minimumEpochs: try c.decodeIfPresent(Int.self, forKey: .minimumEpochs) ?? 1)
    }

    /// Whether training stops after `epochs` epochs that reached these
    /// accuracies on a buffer holding `classesPresent` distinct ratings.
    public func stops(afterEpochs epochs: Int, accuracy: Double, balancedAccuracy: Double, classesPresent: Int) -> Bool {
        guard epochs >= minimumEpochs else { return false }
        switch stopRule {
        case .accuracy: return accuracy > stopAccuracy
        case .balancedAccuracy: return classesPresent >= 2 && balancedAccuracy > stopAccuracy
        case .balancedAccuracyOrOneClass: return classesPresent < 2 || balancedAccuracy > stopAccuracy
        }
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
        guard minimumEpochs >= 1 else {
            throw RewardLearningError.invalidSetting(name: "minimum reward epochs", value: "\(minimumEpochs)", allowed: "at least 1")
        }
        guard (0...1).contains(stopAccuracy) else {
            throw RewardLearningError.invalidSetting(name: "stop accuracy", value: "\(stopAccuracy)",
                                                     allowed: "between 0 and 1 (1: never stop early)")
        }
    }
}
