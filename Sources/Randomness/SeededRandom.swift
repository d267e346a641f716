#if canImport(Glibc)
import Glibc
#endif

/// A seedable, reproducible random number generator (xoshiro256**), with the
/// few distributions the project needs.
///
/// The same seed gives the same stream on every machine and build, which is
/// what makes a run a pure function of its config and seed. Use `split()` to
/// derive independent streams (one per environment or worker) from one seed.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Double?

    /// Creates a generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        spareNormal = nil
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// The generator's whole state as six words (the four xoshiro words, then
    /// whether a spare normal deviate is held and its bit pattern), enough to
    /// continue the stream exactly with `init(stateWords:)`.
    public var stateWords: [UInt64] {
        [s0, s1, s2, s3, spareNormal == nil ? 0 : 1, spareNormal?.bitPattern ?? 0]
    }

    /// A generator that continues exactly where the one whose `stateWords` these are
    /// stood; nil unless there are six words and the xoshiro state is not all zero.
    public init?(stateWords words: [UInt64]) {
        guard words.count == 6, words[0...3].contains(where: { $0 != 0 }), words[4] <= 1 else { return nil }
        s0 = words[0]; s1 = words[1]; s2 = words[2]; s3 = words[3]
        spareNormal = words[4] == 1 ? Double(bitPattern: words[5]) : nil
    }

    /// A new generator seeded from this one's stream: independent in practice.
    public mutating func split() -> SeededRandom { SeededRandom(seed: next()) }

    /// Uniform in [0, 1), with 53 random bits.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unitInterval()
    }

    /// Standard normal (mean 0, variance 1), by the Box–Muller transform.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u = 0.0
        repeat { u = unitInterval() } while u == 0
        let v = unitInterval()
        let radius = (-2 * log(u)).squareRoot()
        let angle = 2 * Double.pi * v
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// Normal with the given mean and standard deviation.
    public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * normal()
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64: expands one 64-bit seed into well-mixed state words.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
