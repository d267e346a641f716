import Ratings

/// A named set of rating-loop settings (`feedback.preset`, `--feedback-preset`).
/// A preset's fields sit on top of the method's defaults and below every field
/// a config file or command-line option sets.
public struct FeedbackPreset: Sendable {
    public let name: String
    /// What the preset is, for help texts.
    public let description: String
    /// The `feedback` fields it sets.
    public let fields: ConfigValue

    /// Every preset.
    ///
    /// `rbrl-walker` follows the flags of RbRL's walker_walk scripts
    /// (`--re-max-feed 1000 --re-batch 100 --re-feed-type 1 --unsuper-step
    /// 32000 --re-num-interaction 20000`). RbRL asks for ratings only when an
    /// episode ends and at least 20,000 steps have passed since the last
    /// round; its 32 environments end their 1000-step episodes together,
    /// every 32,000 steps, so its rounds fall every 32,000 steps, the first
    /// right after pre-training. The first round's queries are uniform there
    /// as here (an untrained ensemble's disagreement is noise).
    public static let all = [
        FeedbackPreset(
            name: "rbrl-walker",
            description: "RbRL's walker-walk scripts: 1000 ratings, 100 per round every 32000 steps from 32000, "
                + "disagreement queries after the first round, 32000 steps of unsupervised pre-training",
            fields: .object([
                "schedule": .object([
                    "total": .integer(1000), "perRound": .integer(100),
                    "interval": .integer(32_000), "firstRound": .integer(32_000),
                ]),
                // Encoding a plain enumeration value cannot fail.
                "querySelection": try! ConfigValue(encoding: QuerySelection.disagreement(candidateFactor: 10)),
                "unsupervisedSteps": .integer(32_000),
            ])),
    ]

    public static var names: [String] { all.map(\.name) }

    /// The preset of that name, or nil.
    public static func named(_ name: String) -> FeedbackPreset? { all.first { $0.name == name } }
}
