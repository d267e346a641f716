import Control
import Foundation
import NeuralNet
import Randomness
import Ratings

/// Steps of one episode or segment as a checkpoint stores them.
struct Trajectory: Equatable {
    /// Episode id (or, for an unfinished episode, its environment's index).
    var id: Int
    /// First episode step (segments).
    var start: Int
    var observations: [[Double]]
    var actions: [[Double]]
    var rewards: [Double]
    var states: [[Double]]?

    init(id: Int, start: Int, observations: [[Double]], actions: [[Double]], rewards: [Double], states: [[Double]]?) {
        self.id = id; self.start = start; self.observations = observations; self.actions = actions
        self.rewards = rewards; self.states = states
    }

    init(_ episode: Episode) {
        self.init(id: episode.id, start: 0, observations: episode.observations, actions: episode.actions,
                  rewards: episode.rewards, states: episode.states)
    }

    init(_ segment: Segment) {
        self.init(id: segment.episodeID, start: segment.startStep, observations: segment.observations,
                  actions: segment.actions, rewards: segment.rewards, states: segment.states)
    }

    var segment: Segment {
        Segment(episodeID: id, startStep: start, observations: observations, actions: actions, rewards: rewards,
                states: states)
    }
}

extension CheckpointArchive {
    /// Named tensors under `prefix/`, each with its shape.
    mutating func put(tensors: [WeightFile.Tensor], prefix: String) {
        put(prefix + "/names", bytes: Data(tensors.map(\.name).joined(separator: "\n").utf8))
        for tensor in tensors {
            put(prefix + "/" + tensor.name + ".shape", integers: tensor.shape)
            put(prefix + "/" + tensor.name, floats: tensor.values)
        }
    }

    /// The tensors written by `put(tensors:prefix:)`.
    func tensors(prefix: String) throws -> [WeightFile.Tensor] {
        let names = String(decoding: try bytes(prefix + "/names"), as: UTF8.self).split(separator: "\n").map(String.init)
        return try names.map { name in
            (name: name, shape: try integers(prefix + "/" + name + ".shape"), values: try floats(prefix + "/" + name))
        }
    }

    /// Episodes or segments, their steps stored end to end.
    mutating func put(_ name: String, trajectories: [Trajectory]) {
        put(name + ".header", integers: trajectories.flatMap { [$0.id, $0.start, $0.rewards.count, $0.states == nil ? 0 : 1] })
        put(name + ".observations", rows: trajectories.flatMap(\.observations))
        put(name + ".actions", rows: trajectories.flatMap(\.actions))
        put(name + ".rewards", doubles: trajectories.flatMap(\.rewards))
        put(name + ".states", rows: trajectories.flatMap { $0.states ?? [] })
    }

    /// The trajectories written by `put(_:trajectories:)`.
    func trajectories(_ name: String) throws -> [Trajectory] {
        let header = try integers(name + ".header")
        let observations = try rows(name + ".observations"), actions = try rows(name + ".actions")
        let rewards = try doubles(name + ".rewards"), states = try rows(name + ".states")
        guard header.count % 4 == 0 else { throw CheckpointError.damaged(path: source, detail: "\(name) header") }
        var result: [Trajectory] = []
        var step = 0, stateStep = 0
        for t in 0..<(header.count / 4) {
            let length = header[4 * t + 2], hasStates = header[4 * t + 3] == 1
            guard length >= 0, step + length <= rewards.count, step + length <= observations.count,
                  step + length <= actions.count, !hasStates || stateStep + length <= states.count else {
                throw CheckpointError.damaged(path: source, detail: "\(name): step counts do not add up")
            }
            let range = step..<(step + length)
            result.append(Trajectory(id: header[4 * t], start: header[4 * t + 1], observations: Array(observations[range]),
                                     actions: Array(actions[range]), rewards: Array(rewards[range]),
                                     states: hasStates ? Array(states[stateStep..<(stateStep + length)]) : nil))
            step += length
            if hasStates { stateStep += length }
        }
        return result
    }

    /// Environment snapshots: physics state, warm start, time, step count, reset flag, random stream.
    mutating func put(_ name: String, snapshots: [ControlEnvironment.Snapshot]) {
        put(name + ".state", rows: snapshots.map(\.state))
        put(name + ".warmstart", rows: snapshots.map(\.warmstart))
        put(name + ".time", doubles: snapshots.map(\.time))
        put(name + ".counters", integers: snapshots.flatMap { [$0.stepCount, $0.needsReset ? 1 : 0] })
        put(name + ".random", words: snapshots.flatMap(\.random.stateWords))
    }

    func snapshots(_ name: String) throws -> [ControlEnvironment.Snapshot] {
        let states = try rows(name + ".state"), warmstarts = try rows(name + ".warmstart")
        let times = try doubles(name + ".time"), counters = try integers(name + ".counters")
        let words = try self.words(name + ".random")
        let n = states.count
        guard warmstarts.count == n, times.count == n, counters.count == 2 * n, words.count == 6 * n else {
            throw CheckpointError.damaged(path: source, detail: "\(name): environment records disagree")
        }
        return try (0..<n).map { e in
            guard let random = SeededRandom(stateWords: Array(words[(6 * e)..<(6 * e + 6)])) else {
                throw CheckpointError.damaged(path: source, detail: "\(name): bad random state")
            }
            return ControlEnvironment.Snapshot(state: states[e], warmstart: warmstarts[e], time: times[e],
                                               stepCount: counters[2 * e], needsReset: counters[2 * e + 1] == 1,
                                               random: random)
        }
    }
}
