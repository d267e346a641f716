import Foundation

/// The paper's regression loss: raw predicted segment returns regressed on a
/// rating-induced target, L_reg = mean (R̂ − T(y))², T(y) = log(1 + α·L·y).
///
/// The target's form is a reconstruction (the paper's eq. 3 was lost; every
/// reading of it reduces to this form), so α is a setting.
public struct RegressionTerm: Sendable, Equatable, Codable {
    /// α > 0, the target's scale (default 0.1: n = 4, L = 50 gives 0, 1.79, 2.40, 2.77).
    public var scale: Double

    /// The term with scale α.
    public init(scale: Double = 0.1) {
        self.scale = scale
    }

    /// T(y) = log(1 + α·L·y) for rating y of a segment of `segmentLength` steps.
    public func target(rating: Int, segmentLength: Int) -> Double {
        log1p(scale * Double(segmentLength) * Double(rating))
    }

    /// L_reg and dL_reg/dR̂ against explicit targets.
    /// - Precondition: same non-zero count.
    public func evaluate(returns: [Double], targets: [Double]) -> RegressionResult {
        precondition(returns.count == targets.count && !returns.isEmpty, "RegressionTerm: bad batch")
        let batch = Double(returns.count)
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: returns.count)
        for j in returns.indices {
            let difference = returns[j] - targets[j]
            loss += difference * difference
            gradient[j] = 2 * difference / batch
        }
        return RegressionResult(loss: loss / batch, gradient: gradient)
    }

    /// L_reg and dL_reg/dR̂ against the targets of `labels`.
    public func evaluate(returns: [Double], labels: [Int], segmentLength: Int) -> RegressionResult {
        evaluate(returns: returns, targets: labels.map { target(rating: $0, segmentLength: segmentLength) })
    }
}

/// The regression term evaluated on one minibatch.
public struct RegressionResult: Sendable, Equatable {
    /// L_reg.
    public let loss: Double
    /// dL_reg/dR̂ per segment.
    public let gradient: [Double]
}
