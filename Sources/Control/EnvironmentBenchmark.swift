import Foundation
import MuJoCo
import Randomness

/// Throughput of one task's environment next to raw `mj_step` on the same
/// model, measured back to back in one process.
public struct EnvironmentBenchmark: Sendable, Codable {
    public let task: String
    public let substeps: Int
    /// Agent steps per second through `ControlEnvironment.step`.
    public let environmentStepsPerSecond: Double
    /// `mj_step` calls per second with the same controls and no observation or reward.
    public let rawPhysicsStepsPerSecond: Double

    /// The environment's speed as a fraction of what the physics alone allows
    /// (raw steps/s ÷ substeps). 1 means observation and reward cost nothing.
    public var ratio: Double { environmentStepsPerSecond / (rawPhysicsStepsPerSecond / Double(substeps)) }

    /// Runs `agentSteps` environment steps with uniform random actions, then
    /// the same number of agent steps as raw `mj_step` calls (× substeps) on a
    /// second simulation of the model, restarting each episode from the same
    /// initial state the environment drew, so both sides simulate alike.
    public static func measure(task name: String, models: ModelDirectory, agentSteps: Int, seed: UInt64 = 0) throws -> EnvironmentBenchmark {
        let environment = try Suite.make(name, models: models, seed: seed)
        var random = SeededRandom(seed: seed &+ 1)
        let actions = (0..<1000).map { _ in (0..<environment.actionSpec.size).map { _ in random.uniform(-1, 1) } }

        _ = try environment.reset(seed: seed)
        var initialStates = [environment.physics.data.state]
        var start = DispatchTime.now().uptimeNanoseconds
        for t in 0..<agentSteps {
            let step = try environment.step(actions[t % actions.count])
            if step.isLast {
                _ = try environment.reset(seed: nil)
                initialStates.append(environment.physics.data.state)
            }
        }
        let environmentSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        let substeps = environment.task.substeps
        let raw = try SimulationData(model: environment.physics.model)
        try raw.setState(initialStates[0])
        raw.forward()
        let ctrl = raw.ctrl
        start = DispatchTime.now().uptimeNanoseconds
        for t in 0..<agentSteps {
            let action = actions[t % actions.count]
            for i in 0..<ctrl.count { ctrl[i] = action[i] }
            for _ in 0..<substeps { raw.step() }
            if (t + 1) % environment.stepLimit == 0 {
                raw.reset()
                try raw.setState(initialStates[(t + 1) / environment.stepLimit])
                raw.forward()
            }
        }
        let rawSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return EnvironmentBenchmark(task: name, substeps: substeps,
                                    environmentStepsPerSecond: Double(agentSteps) / environmentSeconds,
                                    rawPhysicsStepsPerSecond: Double(agentSteps * substeps) / rawSeconds)
    }
}
