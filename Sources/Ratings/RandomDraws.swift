import Randomness

/// Integer draws from a `SeededRandom` with a fixed, documented algorithm, so
/// the same seed gives the same draws on every toolchain (the standard
/// library's `shuffle(using:)` and `Int.random(in:using:)` make no such promise).
public enum RandomDraws {
    /// Uniform in 0..<bound, by rejection sampling on 64-bit words (unbiased).
    /// - Precondition: `bound > 0`.
    public static func index(below bound: Int, random: inout SeededRandom) -> Int {
        precondition(bound > 0, "RandomDraws.index: bound must be positive, got \(bound)")
        let n = UInt64(bound)
        // Largest multiple of n that fits: reject draws at or above it.
        let limit = UInt64.max - (UInt64.max % n + 1) % n
        while true {
            let x = random.next()
            if x <= limit { return Int(x % n) }
        }
    }

    /// A uniformly random permutation of 0..<count (Fisher–Yates).
    public static func permutation(count: Int, random: inout SeededRandom) -> [Int] {
        var order = Array(0..<count)
        var i = count - 1
        while i > 0 {
            let j = index(below: i + 1, random: &random)
            order.swapAt(i, j)
            i -= 1
        }
        return order
    }
}
