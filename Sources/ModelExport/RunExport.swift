import Control
import Foundation
import PPO
import RewardLearning
import TensorFiles
import Training

/// What `ratingrl export` writes for a trained run: the policy, the value
/// network, the observation normaliser and (for rating-based runs) the
/// reward-model ensemble, each as a safetensors file, and `model.json`
/// describing them (`ModelManifest`). Read from the run's `config.json`,
/// `checkpoint.weights` and `reward_model.weights`.
public struct RunExport {
    /// File names in an export.
    public static let manifestFile = "model.json", policyFile = "policy.safetensors", valueFile = "value.safetensors",
                      normalizerFile = "normalizer.safetensors", rewardModelFile = "reward_model.safetensors"

    public let manifest: ModelManifest
    /// Every file of the export, `model.json` last.
    public let files: [(name: String, bytes: Data)]

    /// Reads the run in `folder`, building its task from `models` for the observation layout and action bounds.
    /// - Throws: `RunError` (one line saying what is wrong) for a folder that is
    ///   not a run, a run without a checkpoint yet, or unreadable files.
    public init(run folder: String, models: ModelDirectory) throws {
        let config = try RunDirectory.configuration(in: folder)
        let environment = try Suite.make(config.task, models: models)
        let observationSize = environment.observationSpec.size, actionSize = environment.actionSpec.size
        let agent: PPOAgent
        do { agent = try RunDirectory.agent(in: folder, config: config, observationSize: observationSize, actionSize: actionSize) } catch let error as RunError {
            throw error
        } catch {
            throw RunError("cannot read the run's policy \(folder)/checkpoint.weights: \(error)")
        }
        let ensemble = try RunDirectory.rewardEnsemble(in: folder, config: config, inputSize: observationSize + actionSize)
        let metadata = ["format": "ratingrl-export", "task": config.task, "method": config.method.rawValue,
                        "description": "see \(Self.manifestFile) beside this file"]

        let policy = NetworkTensors(agent.policy.mean)
        let gsde = agent.policy.exploration == .stateDependent
        let logStdShape = gsde ? [agent.policy.featureSize, actionSize] : [actionSize]
        let value = NetworkTensors(agent.value)
        let normalizer = agent.normalizer
        // The statistics exactly as the checkpoint holds them (float32), which is what the loaded agent uses.
        let statistics: [Safetensors.Tensor] = [(name: "mean", shape: [observationSize], values: normalizer.mean.map(Float.init)),
                                                 (name: "variance", shape: [observationSize], values: normalizer.variance.map(Float.init))]
        var files: [(name: String, bytes: Data)] = [
            (Self.policyFile, try Safetensors.encode(policy.tensors + [(name: "log_std", shape: logStdShape, values: agent.policy.logStd)],
                                                     metadata: metadata)),
            (Self.valueFile, try Safetensors.encode(value.tensors, metadata: metadata)),
            (Self.normalizerFile, try Safetensors.encode(statistics, metadata: metadata)),
        ]
        var rewardModel: ModelManifest.RewardModelDescription?
        if let ensemble {
            let members = ensemble.memberNetworks.enumerated().map { NetworkTensors($1, prefix: "member\($0)") }
            files.append((Self.rewardModelFile, try Safetensors.encode(members.flatMap(\.tensors), metadata: metadata)))
            rewardModel = ModelManifest.RewardModelDescription(file: Self.rewardModelFile, members: members.map(\.layers))
        }
        let bounds = environment.actionSpec
        manifest = ModelManifest(
            task: config.task, method: config.method.rawValue, seed: config.seed,
            observation: .init(size: observationSize, parts: environment.observationSpec.keys),
            action: .init(size: actionSize, low: bounds.lower, high: bounds.upper),
            normalizer: .init(file: Self.normalizerFile, mean: statistics[0].values.map(Double.init),
                              variance: statistics[1].values.map(Double.init), count: normalizer.count,
                              epsilon: normalizer.epsilon, clip: normalizer.clip),
            policy: .init(network: .init(file: Self.policyFile, input: "normalised observation", output: "mean action",
                                         layers: policy.layers),
                          exploration: gsde ? "gsde" : "state_independent"),
            value: .init(file: Self.valueFile, input: "normalised observation", output: "value estimate", layers: value.layers),
            rewardModel: rewardModel)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        files.append((Self.manifestFile, try encoder.encode(manifest) + Data("\n".utf8)))
        self.files = files
    }
}
