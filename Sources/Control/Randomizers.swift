import MuJoCo
import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// Random joint configurations, as dm_control's `randomizers` module draws them.
public enum Randomizers {
    /// Limited hinges and slides uniform within their range; unlimited hinges
    /// uniform in [−π, π]; free joints get a random orientation (position kept);
    /// ball joints a random unit quaternion (within the limit if limited).
    public static func randomizeLimitedAndRotationalJoints(_ physics: Physics, random: inout SeededRandom) {
        let model = physics.model
        let qpos = physics.data.qpos
        for joint in model.joints {
            let address = model.qposAddress(of: joint)
            let limited = model.isLimited(joint)
            switch model.type(of: joint) {
            case .hinge where limited, .slide where limited:
                let range = model.range(of: joint)
                qpos[address] = random.uniform(range.lowerBound, range.upperBound)
            case .hinge:
                qpos[address] = random.uniform(-Double.pi, Double.pi)
            case .ball:
                let q = limited ? limitedQuaternion(limit: model.range(of: joint).upperBound, random: &random)
                                : unitQuaternion(random: &random) { $0.normal() }
                for i in 0..<4 { qpos[address + i] = q[i] }
            case .free:
                // dm_control draws these components uniformly in [0, 1) before
                // normalising (not uniform on the sphere); kept for fidelity.
                let q = unitQuaternion(random: &random) { $0.unitInterval() }
                for i in 0..<4 { qpos[address + 3 + i] = q[i] }
            case .slide:
                break
            }
        }
    }

    static func unitQuaternion(random: inout SeededRandom, component: (inout SeededRandom) -> Double) -> [Double] {
        var q = (0..<4).map { _ in component(&random) }
        let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for i in 0..<4 { q[i] /= norm }
        return q
    }

    static func limitedQuaternion(limit: Double, random: inout SeededRandom) -> [Double] {
        var axis = SIMD3(random.normal(), random.normal(), random.normal())
        axis /= (axis * axis).sum().squareRoot()
        let angle = random.unitInterval() * limit
        let s = sin(angle / 2)
        return [cos(angle / 2), axis.x * s, axis.y * s, axis.z * s]
    }
}
