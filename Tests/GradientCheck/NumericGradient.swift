/// Central-difference gradient of `f` at `point`, in Double: the reference
/// the hand-written backward passes are checked against.
public func numericGradient(at point: [Double], step: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
    var probe = point
    return point.indices.map { i in
        probe[i] = point[i] + step
        let plus = f(probe)
        probe[i] = point[i] - step
        let minus = f(probe)
        probe[i] = point[i]
        return (plus - minus) / (2 * step)
    }
}
