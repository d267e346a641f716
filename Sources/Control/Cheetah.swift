import MuJoCo
import Randomness

/// Half-cheetah domain: a planar running robot. Run rewards forward speed,
/// linearly up to 10 m/s.
public struct Cheetah: ControlTask {
    public let substeps = 1
    public let observationSpec = ObservationSpec([ObservationKey("position", 8), ObservationKey("velocity", 9)])

    private let torsoSubtreeVelocity: Sensor
    static let runSpeed = 10.0

    public static func makeModel(_ models: ModelDirectory) throws -> Model { try models.load("cheetah.xml") }

    public init(model: Model) throws {
        torsoSubtreeVelocity = try model.sensor("torso_subtreelinvel")
    }

    // MARK: Physics accessors

    func speed(_ physics: Physics) -> Double { physics.data.sensorValue(torsoSubtreeVelocity) }

    // MARK: Task

    /// Limited joints uniform in range, then 200 physics steps to let the
    /// body settle, with the clock reset afterwards.
    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        let model = physics.model
        for joint in model.joints where model.isLimited(joint) {
            let range = model.range(of: joint)
            physics.data.qpos[model.qposAddress(of: joint)] = random.uniform(range.lowerBound, range.upperBound)
        }
        try physics.step(substeps: 200)
        physics.data.time = 0
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        observation.append(contentsOf: physics.data.qpos[1...])
        observation.append(contentsOf: physics.data.qvel)
    }

    public func reward(_ physics: Physics) -> Double {
        tolerance(speed(physics), bounds: (Self.runSpeed, .infinity), margin: Self.runSpeed,
                  sigmoid: .linear, valueAtMargin: 0)
    }
}
