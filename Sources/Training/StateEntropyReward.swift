import NeuralNet
import PPO
#if canImport(Glibc)
import Glibc
#endif

/// An intrinsic reward for unsupervised pre-training (as RbRL and PEBBLE use
/// before any rating exists): log(1 + distance to the k-th nearest neighbour)
/// of each new normalised observation among recently visited ones, a
/// particle estimate of state entropy that rewards going where the agent has
/// not been.
public final class StateEntropyReward: RewardSource {
    public let k: Int
    public let capacity: Int
    private var memory: [Float] = []
    private var stored = 0
    private var next = 0
    private var width = 0

    public init(k: Int = 5, capacity: Int = 10_000) {
        precondition(k >= 1 && capacity >= k, "StateEntropyReward needs k ≥ 1 and capacity ≥ k")
        self.k = k
        self.capacity = capacity
    }

    public func rewards(rawObservations: [[Double]], normalizedObservations: Matrix, actions: [[Double]],
                        trueRewards: [Double]) -> [Double] {
        let rows = normalizedObservations.rows
        if width == 0 {
            width = normalizedObservations.columns
            memory = [Float](repeating: 0, count: capacity * width)
        }
        let values = normalizedObservations.values
        let result = (0..<rows).map { r in log(1 + Double(kthNeighbourDistance(values, row: r))) }
        for r in 0..<rows { remember(values, row: r) }
        return result
    }

    /// The remembered observations and ring position, for a checkpoint.
    public struct State: Sendable, Equatable {
        public var memory: [Float]
        public var stored: Int
        public var next: Int
        public var width: Int
    }

    public var state: State {
        get { State(memory: memory, stored: stored, next: next, width: width) }
        set { memory = newValue.memory; stored = newValue.stored; next = newValue.next; width = newValue.width }
    }

    /// Distance from observation `row` to its k-th nearest remembered observation
    /// (0 while fewer than k are remembered).
    func kthNeighbourDistance(_ values: [Float], row: Int) -> Float {
        guard stored >= k else { return 0 }
        var nearest = [Float](repeating: .infinity, count: k)  // ascending squared distances
        for i in 0..<stored {
            var squared: Float = 0
            for j in 0..<width {
                let d = memory[i * width + j] - values[row * width + j]
                squared += d * d
            }
            if squared < nearest[k - 1] {
                var position = k - 1
                while position > 0 && nearest[position - 1] > squared {
                    nearest[position] = nearest[position - 1]
                    position -= 1
                }
                nearest[position] = squared
            }
        }
        return nearest[k - 1].squareRoot()
    }

    private func remember(_ values: [Float], row: Int) {
        for j in 0..<width { memory[next * width + j] = values[row * width + j] }
        next = (next + 1) % capacity
        stored = min(stored + 1, capacity)
    }
}
