import MuJoCo
import Randomness

/// Cart-pole domain: a cart on a rail with an unactuated hinged pole.
/// Physics accessors and the balance / swing-up tasks (dense or sparse).
public struct Cartpole: ControlTask {
    public enum Start: Sendable { case nearUpright, hangingDown }

    public let start: Start
    public let sparse: Bool
    public let substeps = 1
    public let observationSpec = ObservationSpec([ObservationKey("position", 3), ObservationKey("velocity", 2)])

    private let slider: Joint
    private let pole: Body
    private let cartRange = (lower: -0.25, upper: 0.25)
    private let angleCosineRange = (lower: 0.995, upper: 1.0)

    public static func makeModel(_ models: ModelDirectory) throws -> Model { try models.load("cartpole.xml") }

    public init(model: Model, start: Start, sparse: Bool) throws {
        self.start = start
        self.sparse = sparse
        slider = try model.joint("slider")
        pole = try model.body("pole_1")
    }

    // MARK: Physics accessors

    func cartPosition(_ physics: Physics) -> Double { physics.data.qpos[physics.model.qposAddress(of: slider)] }
    func poleAngleCosine(_ physics: Physics) -> Double { physics.data.xmat(pole).zz }
    func angularVelocity(_ physics: Physics) -> Double { physics.data.qvel[1] }

    // MARK: Task

    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        let (qpos, qvel) = (physics.data.qpos, physics.data.qvel)
        switch start {
        case .hangingDown:
            qpos[0] = 0.01 * random.normal()
            qpos[1] = Double.pi + 0.01 * random.normal()
        case .nearUpright:
            qpos[0] = random.uniform(-0.1, 0.1)
            qpos[1] = random.uniform(-0.034, 0.034)
        }
        for i in 0..<qvel.count { qvel[i] = 0.01 * random.normal() }
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        let frame = physics.data.xmat(pole)
        observation.append(cartPosition(physics))
        observation.append(frame.zz)
        observation.append(frame.xz)
        observation.append(contentsOf: physics.data.qvel)
    }

    public func reward(_ physics: Physics) -> Double {
        let cosine = poleAngleCosine(physics)
        if sparse {
            return tolerance(cartPosition(physics), bounds: cartRange)
                * tolerance(cosine, bounds: angleCosineRange)
        }
        let upright = (cosine + 1) / 2
        let centered = (1 + tolerance(cartPosition(physics), margin: 2)) / 2
        let control = physics.data.ctrl[0]
        let smallControl = (4 + tolerance(control, margin: 1, sigmoid: .quadratic, valueAtMargin: 0)) / 5
        let smallVelocity = (1 + tolerance(angularVelocity(physics), margin: 5)) / 2
        return upright * smallControl * smallVelocity * centered
    }
}
