import Control
import Dispatch
import NeuralNet

/// Several copies of one task stepped together, in parallel across cores.
/// An environment whose episode ends is reset at once, as Stable-Baselines3's
/// vectorised environments do; its final observation is reported separately.
public final class VectorEnvironment {
    /// What one vectorised step returns.
    public struct Step {
        /// The next observation of every environment (after a reset where an episode ended).
        public var observations: [[Double]]
        public var rewards: [Double]
        /// True where the episode ended at this step (always a time-limit truncation
        /// for the suite's tasks, or a physics failure).
        public var dones: [Bool]
        /// The observation the ended episode finished on, where `dones` is true.
        public var terminalObservations: [[Double]?]
        /// The actions applied: the given ones clipped to the action bounds.
        public var actions: [[Double]]
        /// Episodes whose simulation became unstable this step (they were reset).
        public var failures: Int
    }

    public let environments: [ControlEnvironment]
    public let workerCount: Int
    /// The environments as handed to worker threads (each to exactly one worker per step).
    private let workerEnvironments: [UncheckedEnvironment]
    /// The latest observation of every environment.
    public private(set) var observations: [[Double]] = []
    public var count: Int { environments.count }
    public var actionSpec: ActionSpec { environments[0].actionSpec }
    public var observationSize: Int { environments[0].observationSpec.size }

    /// `count` environments of `task`, environment i seeded with `seed + i`.
    public init(task: String, count: Int, models: ModelDirectory, seed: UInt64, workers: Int) throws {
        precondition(count > 0, "VectorEnvironment needs at least one environment")
        environments = try (0..<count).map { try Suite.make(task, models: models, seed: seed &+ UInt64($0)) }
        workerEnvironments = environments.map(UncheckedEnvironment.init)
        workerCount = max(1, min(workers, count))
    }

    /// Starts a new episode in every environment.
    public func reset() throws -> [[Double]] {
        observations = try environments.map { try $0.reset(seed: nil).observation.values }
        return observations
    }

    /// Every environment's snapshot, for a checkpoint.
    public func snapshots() -> [ControlEnvironment.Snapshot] { environments.map { $0.snapshot() } }

    /// Restores every environment from `snapshots` and the latest observations
    /// from `observations` (as `observations` read when the snapshots were taken).
    public func restore(_ snapshots: [ControlEnvironment.Snapshot], observations: [[Double]]) throws {
        guard snapshots.count == count, observations.count == count else {
            throw ControlError.invalidInput("checkpoint holds \(snapshots.count) environments; this run has \(count)")
        }
        for (environment, snapshot) in zip(environments, snapshots) { try environment.restore(snapshot) }
        self.observations = observations
    }

    /// Applies one action per environment (clipped to the action bounds first).
    public func step(_ actions: [[Double]]) throws -> Step {
        let n = count
        let results = ParallelResults<Result<Outcome, Error>>(count: n)
        let boxes = workerEnvironments
        let bounds = actionSpec
        let previous = observations
        let workers = workerCount
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: n, by: workers) {
                results[i] = Self.stepOne(boxes[i].environment, action: actions[i], bounds: bounds,
                                          previousObservation: previous[i])
            }
        }
        var step = Step(observations: [], rewards: [], dones: [], terminalObservations: [], actions: [], failures: 0)
        step.observations.reserveCapacity(n)
        for i in 0..<n {
            switch results[i]! {
            case let .success(outcome):
                step.observations.append(outcome.observation)
                step.rewards.append(outcome.reward)
                step.dones.append(outcome.terminal != nil)
                step.terminalObservations.append(outcome.terminal)
                step.actions.append(outcome.action)
                if outcome.failed { step.failures += 1 }
            case let .failure(error):
                throw error
            }
        }
        observations = step.observations
        return step
    }

    private struct Outcome: Sendable {
        var action: [Double]
        var observation: [Double]
        var reward: Double
        var terminal: [Double]?
        var failed: Bool
    }

    private static func stepOne(_ environment: ControlEnvironment, action: [Double], bounds: ActionSpec,
                                previousObservation: [Double]) -> Result<Outcome, Error> {
        var clipped = action
        for j in clipped.indices { clipped[j] = min(max(clipped[j], bounds.lower[j]), bounds.upper[j]) }
        do {
            let timeStep: TimeStep
            do {
                timeStep = try environment.step(clipped)
            } catch ControlError.physicsDiverged {
                // An unstable simulation ends the episode where it stood; training goes on.
                let restart = try environment.reset(seed: nil)
                return .success(Outcome(action: clipped, observation: restart.observation.values, reward: 0,
                                        terminal: previousObservation, failed: true))
            }
            if timeStep.isLast {
                let restart = try environment.reset(seed: nil)
                return .success(Outcome(action: clipped, observation: restart.observation.values, reward: timeStep.reward,
                                        terminal: timeStep.observation.values, failed: false))
            }
            return .success(Outcome(action: clipped, observation: timeStep.observation.values, reward: timeStep.reward,
                                    terminal: nil, failed: false))
        } catch {
            return .failure(error)
        }
    }
}

/// An environment handed to exactly one worker thread per step.
private struct UncheckedEnvironment: @unchecked Sendable {
    let environment: ControlEnvironment
}
