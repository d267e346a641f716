import COpenBLAS
import Randomness

/// Single-thread `cblas_sgemm` throughput on a PPO-sized product, the
/// reference against which training-phase GFLOP/s are reported.
public enum SgemmBenchmark {
    /// Best GFLOP/s of `rounds` rounds of an `m×k · k×n` product (default 64×256 · 256×256).
    public static func peakGFLOPS(m: Int = 64, n: Int = 256, k: Int = 256, rounds: Int = 5,
                                  callsPerRound: Int = 400) -> Double {
        _ = singleThreadedBLAS
        var random = SeededRandom(seed: 1)
        let a = (0..<(m * k)).map { _ in Float(random.normal()) }
        let b = (0..<(k * n)).map { _ in Float(random.normal()) }
        var c = [Float](repeating: 0, count: m * n)
        var best = 0.0
        for _ in 0..<rounds {
            let start = BenchmarkClock.monotonicSeconds()
            c.withUnsafeMutableBufferPointer { cb in
                for _ in 0..<callsPerRound {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                                1, a, Int32(k), b, Int32(n), 0, cb.baseAddress, Int32(n))
                }
            }
            let elapsed = BenchmarkClock.monotonicSeconds() - start
            best = max(best, 2 * Double(m * n * k) * Double(callsPerRound) / elapsed / 1e9)
        }
        return best
    }
}

extension MLP {
    /// Floating-point operations of a forward pass over `rows` inputs (2·rows·in·out per layer).
    public func forwardFLOPs(rows: Int) -> Double {
        layers.reduce(0) { $0 + 2 * Double(rows * $1.inputSize * $1.outputSize) }
    }
}
