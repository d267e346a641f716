import Control
import Foundation
import ModelExport
import PPO
import PythonCheck
import RunConfiguration
import Training
import XCTest

/// `ratingrl export`'s files, loaded by python/ratingrl_export.py: on 1,000
/// observations recorded from a trained run's policy, Python's actions,
/// values and learned rewards equal Swift's to 1e-5.
final class ModelExportTests: XCTestCase {
    let tolerance = 1e-5

    func models() throws -> ModelDirectory {
        try ModelDirectory(path: ProjectPython.repositoryRoot + "/models")
    }

    /// A ppo run on walker-walk (6 actions) with ReLU layers and gSDE.
    func ppoConfig() -> TrainingConfig {
        // Unannealed, as the preset was when this test was written: its policy's means then leave [-1, 1] on
        // some recorded states, which the clipping check needs (with the annealed rates none did).
        var ppo = PPOConfig.quickUnannealed
        ppo.environments = 4
        ppo.stepsPerRollout = 64
        ppo.epochs = 2
        ppo.hiddenSizes = [32, 32]
        ppo.activation = .relu
        ppo.gsde = true
        return TrainingConfig(task: "walker-walk", totalSteps: 2048, seed: 2, preset: "quick", ppo: ppo,
                              evaluationEpisodes: 1, workers: 2)
    }

    /// What Swift computes for the recorded steps, and what Python printed for them.
    struct Outputs: Decodable {
        var meanActions: [[Double]]
        var actions: [[Double]]
        var values: [Double]
        var rewards: [Double]?
    }

    /// `steps` steps of the run's deterministic policy in a fresh environment of its task:
    /// the raw observations and the actions applied (clipped to the bounds).
    func record(_ agent: PPOAgent, task: String, steps: Int) throws -> (observations: [[Double]], actions: [[Double]]) {
        let environments = try VectorEnvironment(task: task, count: 1, models: models(), seed: 99, workers: 1)
        var observation = try environments.reset()
        var recorded: (observations: [[Double]], actions: [[Double]]) = ([], [])
        for _ in 0..<steps {
            let step = try environments.step(agent.deterministicActions(observation))
            recorded.observations.append(observation[0])
            recorded.actions.append(step.actions[0])
            observation = step.observations
        }
        return recorded
    }

    /// Trains `config`, exports it, and compares Swift and Python on 1,000 recorded steps.
    /// - Returns: the export's manifest and Swift's outputs, for checks of their own.
    @discardableResult
    func checkExport(of config: TrainingConfig) throws -> (manifest: ModelManifest, swift: Outputs) {
        let run = temporaryRunFolder(), scratch = temporaryRunFolder(), out = scratch + "/export"
        _ = try TrainingRun.run(config, models: models(), directory: RunDirectory(path: run, overwrite: false))
        let export = try RunExport(run: run, models: models())
        try ExportFolder(path: out, overwrite: false).write(export.files)

        let environment = try Suite.make(config.task, models: models())
        let (o, a) = (environment.observationSpec.size, environment.actionSpec.size)
        let agent = try RunDirectory.agent(in: run, config: config, observationSize: o, actionSize: a)
        let steps = try record(agent, task: config.task, steps: 1000)
        // Observations far outside what training saw: the normaliser's clip and the action bounds both act.
        let observations = steps.observations + steps.observations.prefix(100).map { $0.map { 50 * $0 } }
        let actions = steps.actions + steps.actions.prefix(100)

        let normalized = agent.normalizer.normalize(observations)
        let means = agent.deterministicActions(observations)
        let bounds = environment.actionSpec
        let swift = Outputs(
            meanActions: means,
            actions: means.map { mean in mean.indices.map { min(max(mean[$0], bounds.lower[$0]), bounds.upper[$0]) } },
            values: agent.values(normalized).map(Double.init),
            rewards: try RunDirectory.rewardEnsemble(in: run, config: config, inputSize: o + a).map { ensemble in
                LearnedReward(ensemble: ensemble).rewards(rawObservations: observations, normalizedObservations: normalized,
                                                          actions: actions, trueRewards: [])
            })

        let input = scratch + "/steps.json"
        try JSONSerialization.data(withJSONObject: ["observations": observations, "actions": actions]).write(to: URL(fileURLWithPath: input))
        let python = try ProjectPython.json(Outputs.self, """
            import json, sys
            import numpy as np
            from ratingrl_export import load
            model = load(sys.argv[1])
            with open(sys.argv[2]) as file:
                steps = json.load(file)
            observations, actions = np.array(steps["observations"]), np.array(steps["actions"])
            print(json.dumps({"meanActions": model.mean_action(observations).tolist(), "actions": model.action(observations).tolist(),
                              "values": model.value(observations).tolist(),
                              "rewards": model.reward(observations, actions).tolist() if model.has_reward_model else None}))
            """, arguments: [out, input])

        func compare(_ name: String, _ swift: [Double], _ python: [Double]) {
            XCTAssertEqual(swift.count, python.count, name)
            let largest = zip(swift, python).map { abs($0 - $1) }.max() ?? 0
            print("\(config.method) \(config.task): \(name) differ by at most \(largest) over \(swift.count) values")
            XCTAssertLessThanOrEqual(largest, tolerance, "\(name): Python differs from Swift by \(largest)")
        }
        compare("mean actions", swift.meanActions.flatMap { $0 }, python.meanActions.flatMap { $0 })
        compare("clipped actions", swift.actions.flatMap { $0 }, python.actions.flatMap { $0 })
        compare("values", swift.values, python.values)
        XCTAssertEqual(swift.rewards == nil, python.rewards == nil, "a reward model in one and not the other")
        if let rewards = swift.rewards, let pythonRewards = python.rewards { compare("learned rewards", rewards, pythonRewards) }
        return (export.manifest, swift)
    }

    func testPythonActsAsTheSwiftPolicyOfAPPORun() throws {
        let (manifest, swift) = try checkExport(of: ppoConfig())
        XCTAssert(swift.meanActions.joined().contains { abs($0) > 1 }, "no action reaches the bounds: clipping is not checked")
        XCTAssertEqual(manifest.observation.parts, [ObservationKey("orientations", 14), ObservationKey("height", 1), ObservationKey("velocity", 9)])
        XCTAssertEqual(manifest.action.size, 6)
        XCTAssertEqual(manifest.policy.exploration, "gsde")
        XCTAssertEqual(manifest.policy.network.layers.map(\.activation), ["relu", "relu", "identity"])
        XCTAssertEqual(manifest.policy.network.layers.map(\.outputs), [32, 32, 6])
        XCTAssertNil(manifest.rewardModel, "a ppo run learns from the true reward")
    }

    func testPythonActsAndRewardsAsSwiftForARatingRun() throws {
        let config = ResumeTests.ratingConfig()
        let (manifest, swift) = try checkExport(of: config)
        let reward = try XCTUnwrap(manifest.rewardModel)
        XCTAssertEqual(reward.members.count, config.feedback!.rewardModel.memberCount)
        XCTAssertEqual(reward.members[0].map(\.activation), ["leaky_relu", "tanh"])
        XCTAssertEqual(reward.members[0].first?.inputs, 5 + 1, "normalised observation and action")
        XCTAssertGreaterThan(Set(try XCTUnwrap(swift.rewards)).count, 100, "the learned reward should vary over the steps")
    }

    // MARK: Where an export is written

    let files: [(name: String, bytes: Data)] = [("policy.safetensors", Data("new policy".utf8)), ("model.json", Data("{}".utf8))]

    func contents(_ folder: String) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try FileManager.default.contentsOfDirectory(atPath: folder).map { name in
            (name, (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "<folder>")
        })
    }

    func testANewFolderIsMadeWholeAndAFullOneOnlyWithOverwrite() throws {
        let root = temporaryRunFolder(), out = root + "/a/b"
        try ExportFolder(path: out, overwrite: false).write(files)
        XCTAssertEqual(try contents(out), ["policy.safetensors": "new policy", "model.json": "{}"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root + "/a"), ["b"], "no staging folder left")

        try "mine".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExportFolder(path: out, overwrite: false)) { error in
            XCTAssert("\(error)".contains("\(out) is not empty (model.json, notes.txt, policy.safetensors); give another --out, or --overwrite"), "\(error)")
        }
        let newer: [(name: String, bytes: Data)] = [("policy.safetensors", Data("newer".utf8)), ("model.json", Data("[]".utf8))]
        try ExportFolder(path: out, overwrite: true).write(newer)
        XCTAssertEqual(try contents(out), ["policy.safetensors": "newer", "model.json": "[]", "notes.txt": "mine"], "other files are kept")

        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: false)
        try ExportFolder(path: root + "/empty", overwrite: false).write(files)
        XCTAssertEqual(try contents(root + "/empty").count, 2)
        XCTAssertThrowsError(try ExportFolder(path: out + "/notes.txt", overwrite: true)) { error in
            XCTAssert("\(error)".contains("is a file; give --out a folder"), "\(error)")
        }
    }

    func testAFailedWriteLeavesNothingOfItsOwnBehind() throws {
        let root = temporaryRunFolder(), out = root + "/export"
        try FileManager.default.createDirectory(atPath: out + "/model.json/in the way", withIntermediateDirectories: true)
        try "mine".write(toFile: out + "/notes.txt", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExportFolder(path: out, overwrite: true).write(files)) { error in
            XCTAssert("\(error)".contains("cannot write \(out)/model.json"), "\(error)")
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: out)), ["model.json", "notes.txt", "policy.safetensors"],
                       "no temporary files left, nothing of the user's removed")
        XCTAssertEqual(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8), "mine")

        try "a file".write(toFile: root + "/file", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ExportFolder(path: root + "/file/export", overwrite: false).write(files)) { error in
            XCTAssert("\(error)".contains("cannot create \(root)/file"), "\(error)")
        }
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: root)), ["export", "file"])
    }
}
