import ArgumentParser
import Control
import Foundation
import Ratings
import RewardLearning
import Training

struct RefitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refit",
        abstract: "Train a new reward model on a finished run's ratings, with its own or another loss, and score how it ranks test segments.",
        discussion: """
        The run's rated segments are replayed from its ratings.jsonl and trained on round by round, in the order the run received them, with the run's reward-model and training settings except for --method and --stop-rule. After each round the model is scored by the rank (Spearman) and linear (Pearson) correlation of its predicted segment returns with the true ones over the test segments: the rated segments of each --test run, or, without --test, every fifth of the run's own ratings (which are then not trained on).

        In a run, each method's policy decides which segments get rated; a refit holds the ratings fixed, so it tells whether one loss ranks the same segments better than another. Observations are normalised with statistics of the training segments, not with the run's policy normaliser of the time, so a refit with the run's own method does not repeat the run's numbers exactly.
        """)

    @Option(name: .customLong("run"), help: ArgumentHelp("A training run folder whose ratings.jsonl is trained on.", valueName: "dir"))
    var runFolder: String

    @Option(name: .long, help: ArgumentHelp("Reward loss. Default: the run's.", valueName: "method"))
    var method: RewardLoss?

    @Option(name: .long, help: ArgumentHelp(
        "Early-stop rule. Default: the run's, or the method's default when --method names another method.",
        valueName: "rule"))
    var stopRule: RewardTrainingSettings.StopRule?

    @Option(name: .long, help: ArgumentHelp("A run of the same task whose rated segments (whatever their ratings) are the test set (repeatable).", valueName: "dir"))
    var test: [String] = []

    @Option(parsing: .unconditional, help: "Seed of the new reward model's initialisation and minibatch order.", transform: parseSeed)
    var seed: UInt64 = 0

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        do {
            let config = try RunDirectory.configuration(in: runFolder)
            guard let feedback = config.ratingFeedback else {
                throw RunError("\(runFolder) is a \(config.method) run, which rates nothing; give a run of a rating method")
            }
            var model = feedback.rewardModel, training = feedback.training
            if let loss = method, loss != model.objective.loss {
                model.objective.loss = loss
                training.stopRule = loss.defaultStopRule
            }
            if let stopRule { training.stopRule = stopRule }

            let environment = try Suite.make(config.task, models: try modelOptions.directory())
            var rounds = try RewardRefit.ratedSegments(ofRun: runFolder, in: environment)
            var testSegments: [Segment] = []
            for other in test {
                let otherConfig = try RunDirectory.configuration(in: other)
                guard otherConfig.task == config.task else {
                    throw RunError("--test \(other) is a \(otherConfig.task) run; \(runFolder) trains \(config.task)")
                }
                testSegments += try RewardRefit.ratedSegments(ofRun: other, in: environment).joined().map(\.segment)
            }
            let testSource: String
            if test.isEmpty {
                (rounds, testSegments) = RewardRefit.holdingOut(every: 5, of: rounds)
                testSource = "every fifth of its ratings"
            } else {
                testSource = "the rated segments of " + test.joined(separator: ", ")
            }
            let refit = try RewardRefit(rounds: rounds, test: testSegments, classes: feedback.classes,
                                        clip: config.ppo.observationClip)
            let trained = refit.rounds.reduce(0) { $0 + $1.count }
            print("refit of \(runFolder) (\(config.task), n = \(feedback.classes)): \(model.objective.loss.rawValue) under the "
                  + "\(training.stopRule.rawValue) rule, seed \(seed); \(trained) ratings in \(refit.rounds.count) rounds; "
                  + "tested on \(testSegments.count) segments (\(testSource))")
            print(Self.header)
            let reports = try refit.train(model: model, settings: training, seed: seed) { report in
                print(Self.line(report))
                fflush(nil)
            }
            let last = reports[reports.count - 1]
            if last.heldOutPredictionsConstant == true {
                printError("warning: the last reward model gives every test segment the same return (saturated); no rank correlation exists")
            }
            let epochs = reports.reduce(0) { $0 + $1.epochs }
            let seconds: Double = reports.reduce(0) { $0 + $1.seconds }
            let correlations = "test Spearman \(Self.format(last.spearman, 3)), Pearson \(Self.format(last.pearson, 3))"
            print("final: \(correlations); \(epochs) epochs, \(String(format: "%.0f", seconds)) s of reward training")
        } catch {
            throw CleanExit.failure(error)
        }
    }

    static let header = "round  ratings  histogram              epochs  accuracy  balanced  w_reg  w_cls  test Spearman  Pearson"

    static func format(_ value: Double?, _ digits: Int) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "–"
    }

    /// One round's report as a row under `header`.
    static func line(_ report: TrainingReport) -> String {
        let histogram = "[" + report.ratingHistogram.map(String.init).joined(separator: ", ") + "]"
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        return pad("\(report.round)", 7) + pad("\(report.segmentCount)", 9) + pad(histogram, 23) + pad("\(report.epochs)", 8)
            + pad(format(report.mean.accuracy, 3), 10) + pad(format(report.mean.balancedAccuracy, 3), 10)
            + pad(format(report.mean.regressionWeight, 2), 7) + pad(format(report.mean.classificationWeight, 2), 7)
            + pad(format(report.spearman, 3), 15) + format(report.pearson, 3)
    }
}
