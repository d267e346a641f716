import Control
import Foundation
import NeuralNet
import PPO
import Randomness

/// End-to-end PPO throughput on one task, split into rollout and update, in
/// process CPU time (core-seconds) as well as wall time, next to the
/// single-thread sgemm peak measured in the same process.
public struct PPOBenchmark: Codable, Sendable {
    public var task: String
    public var config: PPOConfig
    public var updates: Int
    public var envSteps: Int
    public var wallSeconds: Double
    public var rolloutWallSeconds: Double
    public var updateWallSeconds: Double
    public var rolloutCPUSeconds: Double
    public var updateCPUSeconds: Double
    /// Floating-point operations of the update phase (forward ×3 for forward + backward, both networks).
    public var updateGFLOP: Double
    public var sgemmPeakGFLOPS: Double
    public var openBLASCore: String

    public var stepsPerSecond: Double { Double(envSteps) / wallSeconds }
    public var updateGFLOPS: Double { updateGFLOP / updateWallSeconds }
    /// Update throughput as a fraction of single-thread sgemm peak.
    public var updateEfficiency: Double { updateGFLOPS / sgemmPeakGFLOPS }
    /// Core-minutes a run of `steps` environment steps would take at this rate.
    public func coreMinutes(forSteps steps: Int) -> Double {
        (rolloutCPUSeconds + updateCPUSeconds) / Double(envSteps) * Double(steps) / 60
    }

    /// Collects and learns for `updates` PPO updates (no files written).
    /// Throws a `RunError` unless `updates` and `workers` are at least 1.
    public static func measure(task: String, config: PPOConfig, updates: Int, models: ModelDirectory,
                               workers: Int, seed: UInt64 = 0) throws -> PPOBenchmark {
        guard updates >= 1 else { throw RunError("updates must be at least 1, got \(updates)") }
        guard workers >= 1 else { throw RunError("workers must be at least 1, got \(workers)") }
        let peakBefore = SgemmBenchmark.peakGFLOPS()
        var random = SeededRandom(seed: seed)
        let session = try PPOSession(task: task, config: config, models: models, workers: workers, random: &random)
        let agent = session.agent
        var result = PPOBenchmark(task: task, config: config, updates: updates, envSteps: 0, wallSeconds: 0,
                                  rolloutWallSeconds: 0, updateWallSeconds: 0, rolloutCPUSeconds: 0, updateCPUSeconds: 0,
                                  updateGFLOP: 0, sgemmPeakGFLOPS: 0, openBLASCore: openBLASCoreName())
        let flopsPerSample = 3 * (agent.policy.mean.forwardFLOPs(rows: 1) + agent.value.forwardFLOPs(rows: 1))
        for _ in 0..<updates {
            let (w0, c0) = (wallSeconds(), BenchmarkClock.processorSeconds())
            let steps = try session.collect()
            let (w1, c1) = (wallSeconds(), BenchmarkClock.processorSeconds())
            _ = session.update(clipRange: config.clipRange, learningRate: config.learningRate)
            let (w2, c2) = (wallSeconds(), BenchmarkClock.processorSeconds())
            result.rolloutWallSeconds += w1 - w0
            result.updateWallSeconds += w2 - w1
            result.rolloutCPUSeconds += c1 - c0
            result.updateCPUSeconds += c2 - c1
            result.envSteps += steps
            result.updateGFLOP += flopsPerSample * Double(steps * config.epochs) / 1e9
        }
        result.wallSeconds = result.rolloutWallSeconds + result.updateWallSeconds
        result.sgemmPeakGFLOPS = max(peakBefore, SgemmBenchmark.peakGFLOPS())
        return result
    }

    static func wallSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
