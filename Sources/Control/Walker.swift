import MuJoCo
import Randomness

/// Planar walker domain: a seven-link biped. Stand rewards an upright, tall
/// torso; walk and run also reward horizontal speed.
public struct Walker: ControlTask {
    /// Target speed in m/s: 0 stands, 1 walks, 8 runs.
    public let moveSpeed: Double
    public let substeps = 10
    public let observationSpec = ObservationSpec([ObservationKey("orientations", 14), ObservationKey("height", 1),
                                                  ObservationKey("velocity", 9)])

    private let torso: Body
    private let torsoSubtreeVelocity: Sensor
    static let standHeight = 1.2

    public static func makeModel(_ models: ModelDirectory) throws -> Model { try models.load("walker.xml") }

    public init(model: Model, moveSpeed: Double) throws {
        self.moveSpeed = moveSpeed
        torso = try model.body("torso")
        torsoSubtreeVelocity = try model.sensor("torso_subtreelinvel")
    }

    // MARK: Physics accessors

    func torsoUpright(_ physics: Physics) -> Double { physics.data.xmat(torso).zz }
    func torsoHeight(_ physics: Physics) -> Double { physics.data.xpos(torso).z }
    func horizontalVelocity(_ physics: Physics) -> Double { physics.data.sensorValue(torsoSubtreeVelocity) }

    // MARK: Task

    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        Randomizers.randomizeLimitedAndRotationalJoints(physics, random: &random)
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        for body in 1..<physics.model.nbody {
            let frame = physics.data.xmat(Body(id: body))
            observation.append(frame.xx)
            observation.append(frame.xz)
        }
        observation.append(torsoHeight(physics))
        observation.append(contentsOf: physics.data.qvel)
    }

    public func reward(_ physics: Physics) -> Double {
        let standing = tolerance(torsoHeight(physics), bounds: (Self.standHeight, .infinity), margin: Self.standHeight / 2)
        let upright = (1 + torsoUpright(physics)) / 2
        let standReward = (3 * standing + upright) / 4
        if moveSpeed == 0 { return standReward }
        let moveReward = tolerance(horizontalVelocity(physics), bounds: (moveSpeed, .infinity), margin: moveSpeed / 2,
                                   sigmoid: .linear, valueAtMargin: 0.5)
        return standReward * (5 * moveReward + 1) / 6
    }
}
