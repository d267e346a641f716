import Foundation
import Randomness
import Ratings
@testable import RewardLearning

/// Largest |a − n| / (1e-6 + |n|)-style mismatch between analytic and numeric gradients.
func worstMismatch(_ analytic: [Double], _ numeric: [Double], absolute: Double = 1e-7, relative: Double = 1e-5) -> Double {
    zip(analytic, numeric).map { abs($0 - $1) / (absolute + relative * abs($1)) }.max() ?? 0
}

/// A toy control problem with a known reward: 3-dimensional observations
/// following a persistent AR(1) process, 1-dimensional actions, and true reward
/// r = (1 + tanh(1.2·x₀ − 0.8·x₁ + 0.5·a)) / 2 ∈ [0, 1].
enum ToyProblem {
    static let observationSize = 3
    static let actionSize = 1
    static var inputSize: Int { observationSize + actionSize }

    static func reward(observation x: [Double], action a: [Double]) -> Double {
        (1 + tanh(1.2 * x[0] - 0.8 * x[1] + 0.5 * a[0])) / 2
    }

    /// An episode store filled with `episodes` episodes of `length` steps.
    static func store(episodes: Int, length: Int, segmentLength: Int, random: inout SeededRandom) throws -> EpisodeStore {
        var store = try EpisodeStore(capacity: episodes, segmentLength: segmentLength)
        for _ in 0..<episodes {
            var x = (0..<observationSize).map { _ in random.normal() }
            var observations: [[Double]] = [], actions: [[Double]] = [], rewards: [Double] = []
            for _ in 0..<length {
                let a = [random.uniform(-1, 1)]
                observations.append(x)
                actions.append(a)
                rewards.append(reward(observation: x, action: a))
                x = x.map { 0.95 * $0 + 0.3 * random.normal() }
            }
            try store.add(observations: observations, actions: actions, rewards: rewards)
        }
        return store
    }

    /// The reward model's inputs: raw observation (already unit-scale) and action.
    static func features(_ segment: Segment) -> [Float] {
        RewardFeatures.concatenated(segment)
    }
}
