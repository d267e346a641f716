import Foundation
import Randomness
import Ratings

/// Two methods' final returns on one task, compared as the results issue
/// asks: the difference of their means with a 95 % bootstrap interval, and
/// Welch's t-test; across tasks the p-values are Holm-corrected.
///
/// - Difference: mean(A) − mean(B).
/// - Interval: the 2.5th and 97.5th percentiles of the difference over
///   `resamples` bootstrap resamples (each group drawn with replacement from
///   itself, seeded, so the interval is the same every time).
/// - Welch: t = (m_A − m_B) / √(v_A/n_A + v_B/n_B) with the unbiased variances
///   v, Welch–Satterthwaite degrees of freedom
///   ν = (v_A/n_A + v_B/n_B)² / ((v_A/n_A)²/(n_A−1) + (v_B/n_B)²/(n_B−1)),
///   and the two-sided p = I_{ν/(ν+t²)}(ν/2, 1/2) (the Student-t tail through
///   the regularised incomplete beta function).
/// - Holm: with m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ is
///   max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎).
/// - Verdict: "A ahead" or "B ahead" only when the interval excludes 0 and
///   the Holm-adjusted p is below 0.05; otherwise "inside the noise".
public struct MethodComparison: Sendable, Equatable {
    public let task: String
    public let first: String
    public let second: String
    public let firstReturns: [Double]
    public let secondReturns: [Double]
    public let difference: Double
    public let interval: ClosedRange<Double>
    public let t: Double
    public let degreesOfFreedom: Double
    public let p: Double
    /// p after Holm's correction over the tasks compared together (`p` alone until then).
    public var holmP: Double

    /// Compares two groups of at least two returns each.
    public init(task: String, first: String, firstReturns: [Double], second: String, secondReturns: [Double],
                resamples: Int = 10_000, seed: UInt64 = 0) {
        precondition(firstReturns.count >= 2 && secondReturns.count >= 2, "each group needs two returns")
        self.task = task; self.first = first; self.second = second
        self.firstReturns = firstReturns; self.secondReturns = secondReturns
        difference = ResultsTable.Row.mean(firstReturns) - ResultsTable.Row.mean(secondReturns)
        interval = Self.bootstrapInterval(firstReturns, secondReturns, resamples: resamples, seed: seed)
        (t, degreesOfFreedom, p) = Self.welch(firstReturns, secondReturns)
        holmP = p
    }

    /// What the numbers support, in words.
    public var verdict: String {
        guard !interval.contains(0), holmP < 0.05 else { return "inside the noise" }
        return difference > 0 ? "\(first) ahead" : "\(second) ahead"
    }

    /// The comparisons with `holmP` set by Holm's step-down correction over all of them.
    public static func holmCorrected(_ comparisons: [MethodComparison]) -> [MethodComparison] {
        var result = comparisons
        for (index, adjusted) in holm(comparisons.map(\.p)).enumerated() { result[index].holmP = adjusted }
        return result
    }

    /// Holm's adjusted p-values, in the order given.
    static func holm(_ ps: [Double]) -> [Double] {
        var adjusted = ps
        var running = 0.0
        for (rank, index) in ps.indices.sorted(by: { ps[$0] < ps[$1] }).enumerated() {
            running = max(running, min(1, Double(ps.count - rank) * ps[index]))
            adjusted[index] = running
        }
        return adjusted
    }

    // MARK: The statistics, as pure functions

    static func variance(_ values: [Double]) -> Double {
        let m = ResultsTable.Row.mean(values)
        return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
    }

    /// Welch's t, its degrees of freedom and the two-sided p. Two groups
    /// without any spread: p is 1 for equal means and 0 otherwise.
    static func welch(_ a: [Double], _ b: [Double]) -> (t: Double, degreesOfFreedom: Double, p: Double) {
        let (sa, sb) = (variance(a) / Double(a.count), variance(b) / Double(b.count))
        let gap = ResultsTable.Row.mean(a) - ResultsTable.Row.mean(b)
        guard sa + sb > 0 else {
            if gap == 0 { return (0, .nan, 1) }
            return (gap > 0 ? .infinity : -.infinity, .nan, 0)
        }
        let t = gap / (sa + sb).squareRoot()
        let nu = (sa + sb) * (sa + sb) / (sa * sa / Double(a.count - 1) + sb * sb / Double(b.count - 1))
        return (t, nu, regularizedIncompleteBeta(nu / (nu + t * t), nu / 2, 0.5))
    }

    static func bootstrapInterval(_ a: [Double], _ b: [Double], resamples: Int, seed: UInt64) -> ClosedRange<Double> {
        var random = SeededRandom(seed: seed)
        func resampledMean(_ values: [Double]) -> Double {
            var total = 0.0
            for _ in values { total += values[RandomDraws.index(below: values.count, random: &random)] }
            return total / Double(values.count)
        }
        let differences = (0..<resamples).map { _ in resampledMean(a) - resampledMean(b) }.sorted()
        func percentile(_ q: Double) -> Double { differences[min(resamples - 1, max(0, Int((q * Double(resamples)).rounded(.down))))] }
        return percentile(0.025)...percentile(0.975)
    }

    /// I_x(a, b), by its continued fraction (evaluated with the modified
    /// Lentz method), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where
    /// the fraction converges slowly.
    static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, b, a) }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logFront: Double = a * log(x) + b * log(1 - x) - logBeta
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        d = 1 / (abs(d) < tiny ? tiny : d)
        var fraction = d
        for m in 1...500 {
            let m = Double(m)
            let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            for numerator in [even, odd] {
                d = 1 + numerator * d
                d = 1 / (abs(d) < tiny ? tiny : d)
                c = 1 + numerator / c
                if abs(c) < tiny { c = tiny }
                fraction *= c * d
            }
            if abs(c * d - 1) < 1e-15 { break }
        }
        return exp(logFront) * fraction / a
    }
}

extension MethodComparison {
    /// `first` against `second` on every task where a table has one group of
    /// each with at least two seeds, Holm-corrected together; a task where a
    /// method has several groups (other differing settings) or too few seeds
    /// is skipped with a note.
    public static func compare(_ rows: [ResultsTable.Row], first: String, second: String) -> (comparisons: [MethodComparison], notes: [String]) {
        var comparisons: [MethodComparison] = [], notes: [String] = []
        let tasks = rows.map(\.task).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for task in tasks {
            let a = rows.filter { $0.task == task && $0.method == first }
            let b = rows.filter { $0.task == task && $0.method == second }
            guard !a.isEmpty, !b.isEmpty else { continue }
            guard a.count == 1, b.count == 1 else {
                notes.append("\(task): \(a.count) groups of \(first) and \(b.count) of \(second) (other settings differ); compare within one sweep")
                continue
            }
            guard a[0].returns.count >= 2, b[0].returns.count >= 2 else {
                notes.append("\(task): \(first) has \(a[0].returns.count) seeds and \(second) \(b[0].returns.count); a comparison needs two each")
                continue
            }
            comparisons.append(MethodComparison(task: task, first: first, firstReturns: a[0].returns, second: second,
                                                secondReturns: b[0].returns))
        }
        return (holmCorrected(comparisons), notes)
    }

    /// A Markdown table of comparisons, one task a row.
    public static func markdown(_ comparisons: [MethodComparison]) -> String {
        guard let any = comparisons.first else { return "" }
        var lines = ["| task | \(any.first) (n) | \(any.second) (n) | \(any.first) − \(any.second) [95 % bootstrap] | Welch t (df) | p | Holm p | verdict |",
                     "|---|---|---|---|---|---|---|---|"]
        for c in comparisons {
            let f = { (value: Double) in String(format: "%.1f", value) }
            lines.append("| \(c.task) | \(f(ResultsTable.Row.mean(c.firstReturns))) (\(c.firstReturns.count)) | \(f(ResultsTable.Row.mean(c.secondReturns))) (\(c.secondReturns.count)) "
                         + "| \(f(c.difference)) [\(f(c.interval.lowerBound)), \(f(c.interval.upperBound))] "
                         + "| \(String(format: "%.2f (%.1f)", c.t, c.degreesOfFreedom)) | \(String(format: "%.3f", c.p)) "
                         + "| \(String(format: "%.3f", c.holmP)) | \(c.verdict) |")
        }
        return lines.joined(separator: "\n")
    }
}
