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

    /// Times `agentSteps` environment steps with uniform random actions, and the
    /// same agent steps as raw `mj_step` calls (× substeps) on a second
    /// simulation of the model that restarts each episode from the initial
    /// state the environment drew, so both sides simulate alike. The two sides
    /// alternate over `rounds` rounds and each keeps its fastest round, which
    /// damps the drift of a shared machine.
    public static func measure(task name: String, models: ModelDirectory, agentSteps: Int,
                               rounds: Int = 3, seed: UInt64 = 0) throws -> EnvironmentBenchmark {
        let environment = try Suite.make(name, models: models, seed: seed)
        var random = SeededRandom(seed: seed &+ 1)
        let actions = (0..<1000).map { _ in (0..<environment.actionSpec.size).map { _ in random.uniform(-1, 1) } }
        let raw = try SimulationData(model: environment.physics.model)
        let substeps = environment.task.substeps
        let stepsPerRound = max(1, agentSteps / max(rounds, 1))
        var bestEnvironment = Double.infinity, bestRaw = Double.infinity

        for _ in 0..<max(rounds, 1) {
            // Environment side.
            _ = try environment.reset(seed: nil)
            var initialStates = [environment.physics.data.state]
            var start = DispatchTime.now().uptimeNanoseconds
            for t in 0..<stepsPerRound {
                if try environment.step(actions[t % actions.count]).isLast {
                    _ = try environment.reset(seed: nil)
                    initialStates.append(environment.physics.data.state)
                }
            }
            bestEnvironment = min(bestEnvironment, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)

            // Raw side: same controls, same episode starts.
            try restart(raw, from: initialStates[0])
            let ctrl = raw.ctrl
            start = DispatchTime.now().uptimeNanoseconds
            for t in 0..<stepsPerRound {
                let action = actions[t % actions.count]
                for i in 0..<ctrl.count { ctrl[i] = action[i] }
                for _ in 0..<substeps { raw.step() }
                if (t + 1) % environment.stepLimit == 0 {
                    try restart(raw, from: initialStates[(t + 1) / environment.stepLimit])
                }
            }
            bestRaw = min(bestRaw, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return EnvironmentBenchmark(task: name, substeps: substeps,
                                    environmentStepsPerSecond: Double(stepsPerRound) / bestEnvironment,
                                    rawPhysicsStepsPerSecond: Double(stepsPerRound * substeps) / bestRaw)
    }

    private static func restart(_ data: SimulationData, from state: [Double]) throws {
        data.reset()
        try data.setState(state)
        data.forward()
    }
}
