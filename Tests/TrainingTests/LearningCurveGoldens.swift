import Foundation
import NeuralNet

/// One evaluation of one seeded run: the mean deterministic return after `envSteps`.
struct CurvePoint: Equatable {
    var method: String
    var seed: UInt64
    var envSteps: Int
    var evalReturn: Double
}

/// What a machine contributes to a run's floating-point results: the CPU (its
/// model and the vector extensions the kernels dispatch on), the OpenBLAS build
/// and kernel, and the compiler. Equal fingerprints give bit-identical runs.
struct MachineFingerprint: Equatable {
    var fields: [(key: String, value: String)]

    static func == (a: MachineFingerprint, b: MachineFingerprint) -> Bool {
        a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    static func current() -> MachineFingerprint {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func first(_ key: String) -> String? {
            cpuinfo.split(separator: "\n").first { $0.hasPrefix(key) }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let flags = Set((first("flags") ?? "").split(separator: " ").map(String.init))
        let isa = ["sse4_2", "avx", "fma", "avx2", "avx512f"].filter(flags.contains).joined(separator: " ")
        return MachineFingerprint(fields: [
            ("cpu", first("model name") ?? "unknown"),
            ("isa", isa.isEmpty ? "none" : isa),
            ("openblas", openBLASConfiguration()),
            ("openblas_core", openBLASCoreName()),
            ("swift", compilerVersion),
        ])
    }

    static var compilerVersion: String {
        #if compiler(>=6.5)
        return ">= 6.5"
        #elseif compiler(>=6.4)
        return "6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}

/// The committed golden learning curves: the settings and machine that made
/// them, then one line per method, seed and evaluation. Returns are written
/// with Swift's shortest round-tripping form, so reading gives the same bits.
struct GoldenCurves: Equatable {
    var settings: String
    var machine: MachineFingerprint
    var points: [CurvePoint]

    static let header = "method,seed,env_steps,eval_return"

    var text: String {
        var lines = [
            "# Golden learning curves for LearningCurveRegressionTests; regenerate with `make golden`.",
            "# settings: \(settings)",
        ]
        lines += machine.fields.map { "# \($0.key): \($0.value)" }
        lines.append(Self.header)
        lines += points.map { "\($0.method),\($0.seed),\($0.envSteps),\($0.evalReturn)" }
        return lines.joined(separator: "\n") + "\n"
    }

    struct ParseError: Error, CustomStringConvertible { let description: String }

    init(settings: String, machine: MachineFingerprint, points: [CurvePoint]) {
        self.settings = settings; self.machine = machine; self.points = points
    }

    init(text: String) throws {
        var settings: String?
        var fields: [(key: String, value: String)] = []
        var points: [CurvePoint] = []
        for (number, line) in text.split(separator: "\n").enumerated() {
            if line.hasPrefix("# ") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[line.index(line.startIndex, offsetBy: 2)..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if key == "settings" { settings = value } else if !key.contains(" ") { fields.append((key, value)) }
                continue
            }
            if line == Self.header { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 4, let seed = UInt64(cells[1]), let steps = Int(cells[2]), let value = Double(cells[3]) else {
                throw ParseError(description: "line \(number + 1) is not method,seed,env_steps,eval_return: \(line)")
            }
            points.append(CurvePoint(method: cells[0], seed: seed, envSteps: steps, evalReturn: value))
        }
        guard let settings else { throw ParseError(description: "no '# settings:' line") }
        self.init(settings: settings, machine: MachineFingerprint(fields: fields), points: points)
    }

    /// Each seed's curve (returns in step order) for `method`, seeds in ascending order.
    func curves(_ method: String) -> [UInt64: [Double]] {
        Dictionary(grouping: points.filter { $0.method == method }, by: \.seed)
            .mapValues { $0.sorted { $0.envSteps < $1.envSteps }.map(\.evalReturn) }
    }
}

/// The cross-machine rule. Per seed, two statistics of its curve: the mean
/// over the curve's evaluations (its area divided by its length) and the final
/// evaluation. For each method and statistic, with n seeds now and n golden
/// seeds, the check fails when
///
///     |mean_now − mean_golden| > z · s · √(2/n),   s = max(s_golden, spreadFloor),
///
/// s_golden being the golden seeds' sample standard deviation (n − 1 degrees
/// of freedom).
///
/// False-alarm rate: assume each seed's statistic is normal with the same mean
/// and variance σ² on both machines and that runs on the two machines are
/// independent (they share seeds, but floating-point differences make the
/// trajectories diverge; any correlation left shrinks the difference and so
/// lowers the rate). Then mean_now − mean_golden ~ N(0, 2σ²/n) independently
/// of s_golden² ~ σ²·χ²(n−1)/(n−1), so the ratio (mean_now − mean_golden) /
/// (s_golden·√(2/n)) is Student-t with n − 1 degrees of freedom, and a single
/// comparison alarms with probability P(|t(n−1)| > z). The floor on s only
/// widens the band, so it can only lower this. `z` is chosen so that the
/// family of comparisons (methods × 2 statistics) alarms with probability at
/// most `familyFalseAlarmRate` (Bonferroni).
struct CurveBand {
    var z: Double
    /// Lower bound on the seed spread, in return units: a golden spread of
    /// (nearly) zero would otherwise make any difference an alarm.
    var spreadFloor: Double

    struct Statistic { var name: String; var golden: [Double]; var now: [Double] }

    static func statistics(of curves: [[Double]]) -> [(name: String, values: [Double])] {
        [("mean over the curve", curves.map { $0.reduce(0, +) / Double($0.count) }),
         ("final evaluation", curves.map { $0.last ?? .nan })]
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }

    static func standardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    }

    /// The standardised difference |mean_now − mean_golden| / (s·√(2/n)) for each statistic.
    func scores(golden: [[Double]], now: [[Double]]) -> [(name: String, difference: Double, band: Double, score: Double)] {
        let n = Double(golden.count)
        return zip(Self.statistics(of: golden), Self.statistics(of: now)).map { g, c in
            let scale = max(Self.standardDeviation(g.values), spreadFloor) * (2 / n).squareRoot()
            let difference = Self.mean(c.values) - Self.mean(g.values)
            return (g.name, difference, z * scale, abs(difference) / scale)
        }
    }

    /// One sentence per statistic outside its band; empty when all are inside.
    func problems(method: String, golden: [[Double]], now: [[Double]]) -> [String] {
        scores(golden: golden, now: now).filter { $0.score > z }.map {
            String(format: "%@, %@: seed mean moved by %+.1f, band ±%.1f (%.1f standard errors, z = %.2f)",
                   method, $0.name, $0.difference, $0.band, $0.score, z)
        }
    }
}
