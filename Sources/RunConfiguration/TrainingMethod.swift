import RewardLearning

/// Where a run's policy gets its reward: PPO on the task's true reward, or a
/// reward model learned from ratings with a given loss (docs/method.md §6).
///
/// The raw value is the method's one name everywhere: `method` in config.json
/// and grids, a run folder's component, a results column and `--method`:
/// "ppo", or the loss's name ("rbrl", "ours", "ours-equal", "ours-cls", "ours-reg").
public enum TrainingMethod: Hashable, Sendable {
    /// PPO on the true reward; no ratings, no reward model.
    case ppo
    /// PPO on a reward model trained from ratings with this loss.
    case ratings(RewardLoss)

    /// The reward model's loss; nil for `ppo`.
    public var loss: RewardLoss? {
        if case .ratings(let loss) = self { return loss }
        return nil
    }

    /// Whether the method learns from ratings (and so needs a feedback configuration).
    public var learnsFromRatings: Bool { loss != nil }
}

extension TrainingMethod: RawRepresentable, CaseIterable, CustomStringConvertible {
    /// `ppo`, then the rating methods in `RewardLoss` order.
    public static let allCases: [TrainingMethod] = [.ppo] + RewardLoss.allCases.map(TrainingMethod.ratings)

    public init?(rawValue: String) {
        if rawValue == "ppo" {
            self = .ppo
        } else if let loss = RewardLoss(rawValue: rawValue) {
            self = .ratings(loss)
        } else {
            return nil
        }
    }

    public var rawValue: String { loss?.rawValue ?? "ppo" }

    public var description: String { rawValue }
}

extension TrainingMethod: Codable {
    /// Reads the method's name; an unknown name is an error naming the valid ones.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let method = TrainingMethod(rawValue: name) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.unknownMessage(name))
        }
        self = method
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The message for a name that is no method.
    public static func unknownMessage(_ name: String) -> String {
        "method '\(name)' is not available; valid: \(allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
