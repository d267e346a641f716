import Foundation
import PPO
import Randomness
import RewardLearning
import RunConfiguration

/// Reading what a training run left in its folder, for the commands that use
/// a run (render, view, refit, ratings import, segment-returns).
extension RunDirectory {
    /// The configuration a training run folder records in its `config.json`.
    /// Throws a `RunError` saying what is missing when `folder` is not a run folder.
    public static func configuration(in folder: String) throws -> TrainingConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw RunError("run folder \(folder) does not exist; give --run the folder a `ratingrl train --out` wrote")
        }
        guard isDirectory.boolValue else {
            throw RunError("\(folder) is a file, not a run folder; give --run the folder a `ratingrl train --out` wrote")
        }
        let path = URL(fileURLWithPath: folder).appendingPathComponent("config.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RunError("\(folder) is not a training run folder: it has no readable config.json")
        }
        do { return try JSONDecoder().decode(TrainingConfig.self, from: data) } catch {
            throw RunError("\(path) is not a valid run configuration (\(describe(error)))")
        }
    }

    /// The PPO agent a training run saved in `folder/checkpoint.weights`,
    /// built with the run's configuration `config`.
    public static func agent(in folder: String, config: TrainingConfig, observationSize: Int,
                             actionSize: Int) throws -> PPOAgent {
        var random = SeededRandom(seed: 0)
        let agent = PPOAgent(observationSize: observationSize, actionSize: actionSize, config: config.ppo, random: &random)
        let checkpoint = URL(fileURLWithPath: folder).appendingPathComponent("checkpoint.weights").path
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw RunError("\(folder) has no checkpoint.weights yet; wait for the run's first checkpoint")
        }
        try agent.load(from: checkpoint)
        return agent
    }

    /// The reward-model ensemble a rating-based run saved in
    /// `folder/reward_model.weights`, for inputs of `inputSize` (observation
    /// plus action); nil when the run has none (ppo runs, or before its first
    /// feedback round ends).
    /// - Throws: `RunError` when the file is there but unreadable.
    public static func rewardEnsemble(in folder: String, config: TrainingConfig, inputSize: Int) throws -> RewardEnsemble? {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("reward_model.weights").path
        guard let feedback = config.feedback, FileManager.default.fileExists(atPath: path) else { return nil }
        var random = SeededRandom(seed: 0)
        do {
            let ensemble = try RewardEnsemble(inputSize: inputSize, configuration: feedback.rewardModel, random: &random)
            try ensemble.load(from: path)
            return ensemble
        } catch {
            throw RunError("cannot read the run's reward model \(path): \(error)")
        }
    }

    /// A short description of a decoding or file error.
    package static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): return "not valid JSON: \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let error as RunError: return error.description
        default: return error.localizedDescription
        }
    }
}
