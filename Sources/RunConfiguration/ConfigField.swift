/// A field of `config.json` that has a name of its own: an option of
/// `ratingrl train` and, for the common ones, a short name accepted at the top
/// level of configuration and grid files. `ConfigField.all` is the one list of
/// them: the command line, config files and sweep grids all read it.
public struct ConfigField: Sendable, Equatable {
    /// The option's name as its property is spelled (`ratingsPerRound` is
    /// `--ratings-per-round`).
    public let option: String
    /// The field of `config.json` it sets.
    public let path: [String]
    /// Its name at the top level of configuration and grid files, if it has one.
    public let shorthand: String?
    /// How the option's value is written into `config.json`.
    public let form: Form

    /// How an option's value is written into `config.json`.
    public enum Form: Sendable, Equatable {
        /// As given.
        case plain
        /// A file's path, made absolute and standardised (the run may start elsewhere).
        case filePath
    }

    public init(_ option: String, _ path: [String], shorthand: String? = nil, form: Form = .plain) {
        self.option = option
        self.path = path
        self.shorthand = shorthand
        self.form = form
    }

    /// A field whose shorthand is its option's name.
    static func short(_ option: String, _ path: [String], form: Form = .plain) -> ConfigField {
        ConfigField(option, path, shorthand: option, form: form)
    }

    /// Every field with a name of its own: first those with shorthands (in the
    /// order messages list them), then the options that have none.
    public static let all: [ConfigField] = [
        ConfigField("task", ["task"], shorthand: "tasks"),
        ConfigField("method", ["method"], shorthand: "methods"),
        ConfigField("seed", ["seed"], shorthand: "seeds"),
        short("steps", ["totalSteps"]),
        short("classes", ["feedback", "classes"]),
        short("maxReturn", ["feedback", "maxReturn"]),
        short("alpha", ["feedback", "rewardModel", "objective", "regression", "scale"]),
        short("ratings", ["feedback", "schedule", "total"]),
        short("ratingsPerRound", ["feedback", "schedule", "perRound"]),
        short("roundInterval", ["feedback", "schedule", "interval"]),
        short("firstRound", ["feedback", "schedule", "firstRound"]),
        short("rewardEpochs", ["feedback", "training", "epochs"]),
        short("stopAccuracy", ["feedback", "training", "stopAccuracy"]),
        short("query", ["feedback", "querySelection"]),
        short("unsupervisedSteps", ["feedback", "unsupervisedSteps"]),
        short("ratingsDb", ["feedback", "ratingsDatabase"], form: .filePath),
        short("feedbackPreset", ["feedback", "preset"]),
        short("ratingScale", ["feedback", "scale"]),
        ConfigField("preset", ["preset"]),
        ConfigField("evalEvery", ["evaluationInterval"]),
        ConfigField("evalEpisodes", ["evaluationEpisodes"]),
        ConfigField("checkpointEvery", ["checkpointInterval"]),
        ConfigField("workers", ["workers"]),
        ConfigField("stopRule", ["feedback", "training", "stopRule"]),
        ConfigField("minRewardEpochs", ["feedback", "training", "minimumEpochs"]),
        ConfigField("wait", ["feedback", "waitForRatings"]),
        ConfigField("raterBeta", ["feedback", "noise", "boltzmannBeta"]),
        ConfigField("raterMistakeRate", ["feedback", "noise", "mistakeRate"]),
        ConfigField("raterGamma", ["feedback", "noise", "myopicGamma"]),
        ConfigField("raterSkip", ["feedback", "noise", "skipProbability"]),
    ]

    /// The field of the option with this property name, or nil.
    public static func option(_ name: String) -> ConfigField? {
        all.first { $0.option == name }
    }

    /// The option as typed on the command line: `--ratings-per-round`.
    public var flag: String {
        "--" + option.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
    }
}
