#if canImport(Glibc)
import Glibc
#endif

/// The shape of the fall-off outside the bounds in `tolerance`, as in
/// dm_control's `rewards.tolerance`.
public enum Sigmoid: String, CaseIterable, Sendable {
    case gaussian, hyperbolic
    case longTail = "long_tail"
    case reciprocal, cosine, linear, quadratic
    case tanhSquared = "tanh_squared"

    /// The sigmoid at distance `x ≥ 0` (in margins): 1 at 0, `valueAt1` at 1.
    func value(_ x: Double, valueAt1 v: Double) -> Double {
        switch self {
        case .gaussian:
            let scale = (-2 * log(v)).squareRoot()
            return exp(-0.5 * (x * scale) * (x * scale))
        case .hyperbolic:
            return 1 / cosh(x * acosh(1 / v))
        case .longTail:
            let scaled = x * (1 / v - 1).squareRoot()
            return 1 / (scaled * scaled + 1)
        case .reciprocal:
            return 1 / (abs(x) * (1 / v - 1) + 1)
        case .cosine:
            let scaled = x * acos(2 * v - 1) / Double.pi
            return abs(scaled) < 1 ? (1 + cos(Double.pi * scaled)) / 2 : 0
        case .linear:
            let scaled = x * (1 - v)
            return abs(scaled) < 1 ? 1 - scaled : 0
        case .quadratic:
            let scaled = x * (1 - v).squareRoot()
            return abs(scaled) < 1 ? 1 - scaled * scaled : 0
        case .tanhSquared:
            let t = tanh(x * atanh((1 - v).squareRoot()))
            return 1 - t * t
        }
    }

    /// Whether `valueAt1` may be 0 (true for the sigmoids that reach 0).
    var allowsZeroAtMargin: Bool { self == .cosine || self == .linear || self == .quadratic }
}

/// A soft indicator of `x` lying within `bounds`, dm_control's reward shaping.
///
/// Returns 1 inside the closed interval. Outside it returns 0 when `margin` is
/// 0, and otherwise decays with the distance to the nearest bound measured in
/// margins, through `sigmoid`, reaching `valueAtMargin` one margin away.
/// Bounds may be infinite.
public func tolerance(_ x: Double, bounds: (lower: Double, upper: Double) = (0, 0),
                      margin: Double = 0, sigmoid: Sigmoid = .gaussian,
                      valueAtMargin: Double = 0.1) -> Double {
    precondition(bounds.lower <= bounds.upper, "tolerance: lower bound above upper bound")
    precondition(margin >= 0, "tolerance: negative margin")
    if bounds.lower <= x && x <= bounds.upper { return 1 }
    if margin == 0 { return 0 }
    precondition(sigmoid.allowsZeroAtMargin ? (0 <= valueAtMargin && valueAtMargin < 1)
                                            : (0 < valueAtMargin && valueAtMargin < 1),
                 "tolerance: valueAtMargin \(valueAtMargin) out of range for \(sigmoid)")
    let distance = (x < bounds.lower ? bounds.lower - x : x - bounds.upper) / margin
    return sigmoid.value(distance, valueAt1: valueAtMargin)
}
