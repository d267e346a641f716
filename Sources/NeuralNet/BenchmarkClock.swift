#if canImport(Glibc)
import Glibc
#endif

/// The clocks the benchmarks read (`ratingrl bench`).
public enum BenchmarkClock {
    /// Seconds on the monotonic clock, from an arbitrary start.
    public static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    /// Processor time this process has used so far, user and system, all
    /// threads, in seconds (core-seconds).
    public static func processorSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
