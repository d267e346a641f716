import ArgumentParser
import Ratings
import RewardLearning
import RunConfiguration

/// Command-line settings of the rating and reward-learning loop; each one
/// given overrides the same field of a config file (nil: not given). Which
/// field each sets is `ConfigField.all`'s (read by `configFields(of:)`).
struct FeedbackOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A named set of rating-loop settings under the options given: \(FeedbackPreset.all.map { "\($0.name) (\($0.description))" }.joined(separator: "; ")).", valueName: "name"))
    var feedbackPreset: FeedbackPreset?

    @Option(parsing: .unconditional, help: "Rating classes n (2-6; default 4).")
    var classes: Int?

    @Option(parsing: .unconditional, help: "G_max: segment return at the top of the uniform rating scale (default: the task's measured default).")
    var maxReturn: Double?

    @Option(help: "Rating scale: uniform (n equal bins of [0, G_max]; the default) or task (the task's fixed boundaries, geometric from what a random policy earns to what PPO earns by the end of the rating window).")
    var ratingScale: RatingScaleRule?

    @Option(parsing: .unconditional, help: "Scale alpha of the regression target log(1 + alpha*L*y) (default 0.1).")
    var alpha: Double?

    @Option(parsing: .unconditional, help: "Total ratings over the run (default 2000).")
    var ratings: Int?

    @Option(parsing: .unconditional, help: "Ratings per feedback round (default 100).")
    var ratingsPerRound: Int?

    @Option(parsing: .unconditional, help: "Environment steps between feedback rounds (default 32000).")
    var roundInterval: Int?

    @Option(parsing: .unconditional, help: "Environment steps before the first feedback round (default 32000).")
    var firstRound: Int?

    @Option(parsing: .unconditional, help: "Reward-model training epochs per round, fewer if --stop-accuracy is reached (default 100).")
    var rewardEpochs: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop a round's reward training after an epoch whose training accuracy (as --stop-rule measures it) exceeds this (default 0.97; 1: never stop early).",
                               discussion: "With a skewed rating histogram (e.g. nearly all class 0 early in walker-walk) plain accuracy passes 0.97 after one epoch; balanced accuracy does not."))
    var stopAccuracy: Double?

    @Option(help: "What the early stop reads: balanced-accuracy (mean recall over the classes present; never stops while one class is present; the default of ours and its ablations), accuracy (RbRL's; rbrl's default) or balanced-accuracy-or-one-class (as balanced-accuracy, but one class present stops after --min-reward-epochs).")
    var stopRule: RewardTrainingSettings.StopRule?

    @Option(parsing: .unconditional, help: "Reward-model epochs per round before the early stop may fire (default 1).")
    var minRewardEpochs: Int?

    @Option(help: ArgumentHelp("Learn from the ratings in this database (ratingrl rate) instead of the synthetic rater: all of them from the first round on.", valueName: "file"))
    var ratingsDb: String?

    @Flag(help: "With --ratings-db: learn online; each round's chosen segments go to the database and the run waits until people have rated them (in `ratingrl rate --db F`).")
    var wait = false

    @Option(help: "Query selection: uniform (default) or disagreement (10x candidates, keep the highest ensemble std).")
    var query: QuerySelection.Kind?

    @Option(parsing: .unconditional, help: "Unsupervised pre-training steps on a k-NN (k = 5) state-entropy bonus before the learned reward (default 0: off; RbRL uses 32000).")
    var unsupervisedSteps: Int?

    @Option(parsing: .unconditional, help: "Noisy rater: Boltzmann rationality beta around the true class (default: off).")
    var raterBeta: Double?

    @Option(parsing: .unconditional, help: "Noisy rater: probability of a uniformly random wrong class (default 0).")
    var raterMistakeRate: Double?

    @Option(parsing: .unconditional, help: "Noisy rater: myopic discount gamma (default 1: not myopic).")
    var raterGamma: Double?

    @Option(parsing: .unconditional, help: "Noisy rater: probability of skipping a segment (default 0).")
    var raterSkip: Double?
}
