import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MuJoCo
import Randomness

/// Quadruped domain: a four-legged ant-like robot on a flat floor. Walk and
/// run reward forward torso speed times uprightness.
public struct Quadruped: ControlTask {
    /// Target forward speed in m/s: 0.5 walks, 5 runs.
    public let desiredSpeed: Double
    public let substeps = 4
    public let observationSpec: ObservationSpec

    private let torso: Body
    private let root: Joint
    private let velocimeter: Sensor
    private let hingeQpos: [Int]
    private let hingeDofs: [Int]
    private let imuSensors: [Sensor]
    private let forceTorqueSensors: [Sensor]

    /// The floor is sized to the distance the task could cover in 20 s.
    public static func makeModel(_ models: ModelDirectory, desiredSpeed: Double) throws -> Model {
        try models.load("quadruped.xml") { xml in
            // As dm_control's make_model without terrain, rangefinders, walls or ball.
            let floor = 20 * desiredSpeed
            try xml.setAttribute("size", to: "\(Self.format(floor)) \(Self.format(floor)) .5", at: "//geom[@name='floor']")
            for wall in ["wall_px", "wall_py", "wall_nx", "wall_ny"] {
                try xml.removeElements(matching: "//geom[@name='\(wall)']")
            }
            try xml.removeElements(matching: "//body[@name='ball']")
            try xml.removeElements(matching: "//site[@name='target']")
            try xml.removeElements(matching: "//geom[@name='terrain']")
            try xml.removeElements(matching: "//rangefinder")
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    public init(model: Model, desiredSpeed: Double) throws {
        self.desiredSpeed = desiredSpeed
        torso = try model.body("torso")
        root = try model.joint("root")
        velocimeter = try model.sensor("velocimeter")
        let hinges = model.joints.filter { model.type(of: $0) == .hinge }
        hingeQpos = hinges.map(model.qposAddress(of:))
        hingeDofs = hinges.map(model.dofAddress(of:))
        imuSensors = model.sensors(ofType: [.gyro, .accelerometer])
        forceTorqueSensors = model.sensors(ofType: [.force, .torque])
        let size = { (sensors: [Sensor]) in sensors.reduce(0) { $0 + model.dimension(of: $1) } }
        observationSpec = ObservationSpec([
            ObservationKey("egocentric_state", 2 * hinges.count + model.na),
            ObservationKey("torso_velocity", 3),
            ObservationKey("torso_upright", 1),
            ObservationKey("imu", size(imuSensors)),
            ObservationKey("force_torque", size(forceTorqueSensors)),
        ])
    }

    // MARK: Physics accessors

    func torsoUpright(_ physics: Physics) -> Double { physics.data.xmat(torso).zz }
    func torsoVelocity(_ physics: Physics) -> SIMD3<Double> { physics.data.sensorVector(velocimeter) }

    // MARK: Task

    /// A random orientation (normalised Gaussian quaternion), then the lowest
    /// height, in 1 cm steps from the floor up, at which nothing touches.
    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        let orientation = Randomizers.unitQuaternion(random: &random) { $0.normal() }
        let address = physics.model.qposAddress(of: root)
        var height = 0.0
        for _ in 0...10_000 {
            physics.reset()
            let qpos = physics.data.qpos
            qpos[address] = 0
            qpos[address + 1] = 0
            qpos[address + 2] = height
            for i in 0..<4 { qpos[address + 3 + i] = orientation[i] }
            physics.forwardWithoutActuation()
            if physics.data.contactCount == 0 { return }
            height += 0.01
        }
        throw ControlError.initialStateNotFound(task: "quadruped", attempts: 10_000)
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        let data = physics.data
        for a in hingeQpos { observation.append(data.qpos[a]) }
        for a in hingeDofs { observation.append(data.qvel[a]) }
        observation.append(contentsOf: data.act)
        let velocity = torsoVelocity(physics)
        observation.append(velocity.x); observation.append(velocity.y); observation.append(velocity.z)
        observation.append(torsoUpright(physics))
        appendReadings(imuSensors, data, into: &observation, transform: { $0 })
        appendReadings(forceTorqueSensors, data, into: &observation, transform: asinh)
    }

    private func appendReadings(_ sensors: [Sensor], _ data: SimulationData, into observation: inout [Double],
                                transform: (Double) -> Double) {
        let readings = data.sensordata
        for sensor in sensors {
            let address = data.model.address(of: sensor)
            for i in 0..<data.model.dimension(of: sensor) { observation.append(transform(readings[address + i])) }
        }
    }

    public func reward(_ physics: Physics) -> Double {
        let upright = tolerance(torsoUpright(physics), bounds: (1, .infinity), margin: 2, sigmoid: .linear, valueAtMargin: 0)
        let move = tolerance(torsoVelocity(physics).x, bounds: (desiredSpeed, .infinity), margin: desiredSpeed,
                             sigmoid: .linear, valueAtMargin: 0.5)
        return upright * move
    }
}
