import ArgumentParser
import Experiments
import Ratings
import RewardLearning

/// Command-line settings of the rating and reward-learning loop.
struct FeedbackOptions: ParsableArguments {
    @Option(help: "Rating classes n (2-6).")
    var classes = 4

    @Option(help: "G_max: segment return at the top of the rating scale (default: the task's measured default).")
    var maxReturn: Double?

    @Option(help: "Scale alpha of the regression target log(1 + alpha*L*y).")
    var alpha = 0.1

    @Option(help: "Total ratings over the run.")
    var ratings = 2000

    @Option(help: "Ratings per feedback round.")
    var ratingsPerRound = 100

    @Option(help: "Environment steps between feedback rounds.")
    var roundInterval = 32_000

    @Option(help: "Environment steps before the first feedback round.")
    var firstRound = 32_000

    @Option(help: "Reward-model training epochs per round (fewer if --stop-accuracy is reached).")
    var rewardEpochs = 100

    @Option(help: ArgumentHelp("Stop a round's reward training after an epoch whose training accuracy exceeds this (1: never stop early).",
                               discussion: "With a skewed rating histogram (e.g. nearly all class 0 early in walker-walk) plain accuracy passes 0.97 after one epoch."))
    var stopAccuracy = 0.97

    @Option(help: "What the early stop reads: accuracy (RbRL) or balanced-accuracy (mean recall over the classes present).")
    var stopRule = "accuracy"

    @Option(help: "Reward-model epochs per round before the early stop may fire.")
    var minRewardEpochs = 1

    @Option(help: "Query selection: uniform or disagreement (10x candidates, keep the highest ensemble std).")
    var query = "uniform"

    @Option(help: "Unsupervised pre-training steps on a k-NN (k = 5) state-entropy bonus before the learned reward (0: off; RbRL uses 32000).")
    var unsupervisedSteps = 0

    @Option(help: "Noisy rater: Boltzmann rationality beta around the true class (off by default).")
    var raterBeta: Double?

    @Option(help: "Noisy rater: probability of a uniformly random wrong class.")
    var raterMistakeRate = 0.0

    @Option(help: "Noisy rater: myopic discount gamma (1 = not myopic).")
    var raterGamma = 1.0

    @Option(help: "Noisy rater: probability of skipping a segment.")
    var raterSkip = 0.0

    func config(task: String, loss: RewardLoss) throws -> FeedbackConfig {
        var config = FeedbackConfig(task: task, loss: loss, classes: classes)
        if let maxReturn { config.maxReturn = maxReturn }
        config.rewardModel.objective.regression = RegressionTerm(scale: alpha)
        config.schedule = FeedbackSchedule(total: ratings, perRound: ratingsPerRound, interval: roundInterval, firstRound: firstRound)
        config.training.epochs = rewardEpochs
        config.training.stopAccuracy = stopAccuracy
        guard let rule = RewardTrainingSettings.StopRule(rawValue: stopRule) else {
            throw ValidationFailure(message: "--stop-rule must be one of \(RewardTrainingSettings.StopRule.allCases.map(\.rawValue).joined(separator: ", ")), got '\(stopRule)'")
        }
        config.training.stopRule = rule
        config.training.minimumEpochs = minRewardEpochs
        config.unsupervisedSteps = unsupervisedSteps
        switch query {
        case "uniform": config.querySelection = .uniform
        case "disagreement": config.querySelection = .disagreement(candidateFactor: 10)
        default: throw ValidationFailure(message: "--query must be uniform or disagreement, got '\(query)'")
        }
        config.noise = RaterNoise(boltzmannBeta: raterBeta, mistakeRate: raterMistakeRate, myopicGamma: raterGamma,
                                  skipProbability: raterSkip)
        return config
    }
}
