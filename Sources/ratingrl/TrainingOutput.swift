import ArgumentParser
import Foundation
import RewardLearning
import Training

/// Prints a run's events: a progress line at most every two seconds and at
/// every evaluation, and feedback rounds as they start and train.
final class TrainingOutput {
    private let quiet: Bool
    private var lastPrinted = -Double.infinity
    private var lastEpochPrinted = Date.distantPast
    private var warnedConstantReward = false

    init(quiet: Bool) { self.quiet = quiet }

    func handle(_ event: TrainingEvent) {
        switch event {
        case let .checkpointRejected(reason):
            warn("warning: \(reason); trying the previous checkpoint")
        case let .restarted(reason):
            warn("warning: \(reason); starting the run again from its first step")
        case let .resumed(envSteps, checkpoint):
            say("resuming at step \(envSteps) from \((checkpoint as NSString).lastPathComponent)")
        case let .blasKernelChanged(previous, current):
            warn("warning: this run was trained so far with OpenBLAS's \(previous) kernel and goes on with \(current), so it will not repeat an uninterrupted run (its summary records both); to continue it identically, stop and resume with OPENBLAS_CORETYPE=\(previous)")
        case let .roundStarted(round, rounds, ratings, buffered, envSteps):
            say("feedback round \(round + 1)/\(rounds) at step \(envSteps): rating \(ratings) segments, then training the reward model on \(buffered)")
            lastEpochPrinted = Date()
        case let .roundEpoch(round, epoch, epochs, accuracy):
            guard Date().timeIntervalSince(lastEpochPrinted) >= 2 else { return }
            lastEpochPrinted = Date()
            say(String(format: "  round %d: epoch %d/%d, training accuracy %.3f", round + 1, epoch, epochs, accuracy))
        case let .update(progress):
            guard progress.evaluation != nil || progress.feedback != nil || progress.wallSeconds - lastPrinted >= 2 else { return }
            lastPrinted = progress.wallSeconds
            // %ld: Int is 64 bits (%d would print a step count past 2^31 cut to 32 bits).
            var line = String(format: "[%3.0f%%] steps %ld/%ld  %.0f steps/s  ETA %@",
                              100 * Double(progress.envSteps) / Double(progress.totalSteps), progress.envSteps,
                              progress.totalSteps, progress.stepsPerSecond, formatDuration(progress.secondsRemaining))
            if progress.rewardTrainingSeconds > 0 && progress.rewardTrainingSecondsLeft == nil { line += " + reward training" }
            if let recent = progress.recentReturn { line += String(format: "  train return %.1f", recent) }
            if let evaluation = progress.evaluation { line += String(format: "  eval return %.1f", evaluation.meanReturn) }
            if let round = progress.feedback {
                line += String(format: "  round %d: %d ratings, accuracy %.2f", round.round + 1, round.segmentCount, round.mean.accuracy)
                if let spearman = round.spearman { line += String(format: ", spearman %.2f", spearman) }
            }
            say(line)
            if let round = progress.feedback, round.heldOutPredictionsConstant == true, !warnedConstantReward {
                warnedConstantReward = true
                warn(Self.constantRewardWarning(round))
            }
        }
    }

    private func say(_ line: String) {
        guard !quiet else { return }
        print(line)
        fflush(nil)
    }

    private func warn(_ line: String) { printError(line) }

    /// Said once per run, at the first round whose reward model gives every
    /// held-out segment the same return.
    static func constantRewardWarning(_ round: TrainingReport) -> String {
        "warning: round \(round.round + 1): the reward model predicts the same return for all \(round.heldOutCount)"
            + " held-out segments (its outputs are constant, e.g. saturated), so the policy trains on a constant reward."
            + " Rating histogram \(round.ratingHistogram), \(round.epochs) epochs. RbRL's classification loss sees returns"
            + " only through a min-max normalisation and can do this on ratings that are nearly all one class;"
            + " --stop-rule accuracy (feedback.training.stopRule in a config) stops such rounds after an epoch or two."
    }

    /// The final line of a finished run.
    static func summaryLine(_ summary: TrainingSummary) -> String {
        var result = String(format: "final_eval_return %.1f ± %.1f  env_steps %ld  wall %.1f s", summary.finalEvalReturn,
                            summary.finalEvalStd, summary.envSteps, summary.wallSeconds)
        if let ratings = summary.ratings { result += "  ratings \(ratings)" }
        if let spearman = summary.finalSpearman { result += String(format: "  learned-vs-true spearman %.3f", spearman) }
        if let pearson = summary.finalPearson { result += String(format: " pearson %.3f", pearson) }
        if let seconds = summary.rewardTrainingSeconds { result += String(format: "  reward training %.0f s", seconds) }
        return result
    }
}

/// Runs `body` (a training run) with SIGINT/SIGTERM turned into a checkpoint
/// and exit 130/143, and prints its final line.
func runTraining(quiet: Bool, _ body: (TrainingOutput, () -> Bool) throws -> TrainingSummary) throws {
    let monitor = InterruptMonitor()
    let output = TrainingOutput(quiet: quiet)
    let summary: TrainingSummary
    do {
        summary = try body(output, { monitor.stopRequested })
    } catch let interrupted as RunInterrupted {
        print(interrupted.description)
        fflush(nil)
        throw ExitCode(monitor.exitStatus)
    } catch let error as RunError {
        throw ValidationFailure(message: error.description)
    } catch let error as CheckpointError {
        throw ValidationFailure(message: error.description)
    }
    print(TrainingOutput.summaryLine(summary))
}

