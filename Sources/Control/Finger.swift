import MuJoCo
import Randomness
#if canImport(Glibc)
import Glibc
#endif

/// Finger domain: a two-link planar finger and a free-spinning hinged body.
/// Spin rewards spinning the body fast; turn rewards bringing its tip to a target.
public struct Finger: ControlTask {
    public enum Goal: Sendable {
        case spin
        /// Turn the body's tip into a target of this radius (0.07 easy, 0.03 hard).
        case turn(targetRadius: Double)
    }

    public let goal: Goal
    public let substeps = 2
    public let observationSpec: ObservationSpec

    private let hinge: Joint
    private let cap1: Geom
    private let targetSite: Site
    private let tipSite: Site
    private let sensors: (touchTop: Sensor, touchBottom: Sensor, hingeVelocity: Sensor, tip: Sensor, spinner: Sensor,
                          target: Sensor, proximal: Sensor, distal: Sensor, proximalVelocity: Sensor, distalVelocity: Sensor)

    /// Spin speed (rad/s, clockwise) at and above which spin pays 1.
    static let spinVelocity = 15.0

    public static func makeModel(_ models: ModelDirectory) throws -> Model { try models.load("finger.xml") }

    public init(model: Model, goal: Goal) throws {
        self.goal = goal
        hinge = try model.joint("hinge")
        cap1 = try model.geom("cap1")
        targetSite = try model.site("target")
        tipSite = try model.site("tip")
        sensors = (try model.sensor("touchtop"), try model.sensor("touchbottom"), try model.sensor("hinge_velocity"),
                   try model.sensor("tip"), try model.sensor("spinner"), try model.sensor("target"),
                   try model.sensor("proximal"), try model.sensor("distal"),
                   try model.sensor("proximal_velocity"), try model.sensor("distal_velocity"))
        var keys = [ObservationKey("position", 4), ObservationKey("velocity", 3), ObservationKey("touch", 2)]
        if case .turn = goal { keys += [ObservationKey("target_position", 2), ObservationKey("dist_to_target", 1)] }
        observationSpec = ObservationSpec(keys)
    }

    // MARK: Physics accessors

    /// A position sensor relative to the spinner, in the x–z plane.
    func relativeToSpinner(_ physics: Physics, _ sensor: Sensor) -> SIMD2<Double> {
        let p = physics.data.sensorVector(sensor), s = physics.data.sensorVector(sensors.spinner)
        return SIMD2(p.x - s.x, p.z - s.z)
    }
    func tipPosition(_ physics: Physics) -> SIMD2<Double> { relativeToSpinner(physics, sensors.tip) }
    func targetPosition(_ physics: Physics) -> SIMD2<Double> { relativeToSpinner(physics, sensors.target) }
    func distanceToTarget(_ physics: Physics) -> Double {
        let d = targetPosition(physics) - tipPosition(physics)
        return (d * d).sum().squareRoot() - physics.model.size(of: targetSite).x
    }
    func hingeVelocity(_ physics: Physics) -> Double { physics.data.sensorValue(sensors.hingeVelocity) }

    // MARK: Task

    /// Spin hides the target and tip and lowers the hinge damping (0.5 → 0.03)
    /// so the body keeps turning, as dm_control does before each episode.
    public func configure(_ model: Model) throws {
        guard case .spin = goal else { return }
        model.setAlpha(of: targetSite, 0)
        model.setAlpha(of: tipSite, 0)
        model.setDamping(of: hinge, 0.03)
    }

    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        if case let .turn(targetRadius) = goal {
            let angle = random.uniform(-Double.pi, Double.pi)
            let anchor = physics.data.anchor(hinge)
            let radius = physics.model.size(of: cap1).sum()
            var position = physics.model.position(of: targetSite)
            position.x = anchor.x + radius * sin(angle)
            position.z = anchor.z + radius * cos(angle)
            placeTarget(physics.model, at: position, radius: targetRadius)
        }
        try setRandomContactFreeJointAngles(physics, random: &random)
    }

    /// Moves the turn task's target site, which each episode places anew (it
    /// is part of the model, not of the physics state). Needed to replay a
    /// recorded finger-turn episode.
    public func placeTarget(_ model: Model, at position: SIMD3<Double>, radius: Double) {
        model.setPosition(of: targetSite, position)
        var size = model.size(of: targetSite)
        size.x = radius
        model.setSize(of: targetSite, size)
    }

    private func setRandomContactFreeJointAngles(_ physics: Physics, random: inout SeededRandom) throws {
        let attempts = 1000
        for _ in 0..<attempts {
            Randomizers.randomizeLimitedAndRotationalJoints(physics, random: &random)
            physics.forwardWithoutActuation()
            if physics.data.contactCount == 0 { return }
        }
        throw ControlError.initialStateNotFound(task: "finger", attempts: attempts)
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        let data = physics.data
        let tip = tipPosition(physics)
        observation.append(data.sensorValue(sensors.proximal))
        observation.append(data.sensorValue(sensors.distal))
        observation.append(tip.x)
        observation.append(tip.y)
        observation.append(data.sensorValue(sensors.proximalVelocity))
        observation.append(data.sensorValue(sensors.distalVelocity))
        observation.append(data.sensorValue(sensors.hingeVelocity))
        observation.append(log1p(data.sensorValue(sensors.touchTop)))
        observation.append(log1p(data.sensorValue(sensors.touchBottom)))
        if case .turn = goal {
            let target = targetPosition(physics)
            observation.append(target.x)
            observation.append(target.y)
            observation.append(distanceToTarget(physics))
        }
    }

    public func reward(_ physics: Physics) -> Double {
        switch goal {
        case .spin: hingeVelocity(physics) <= -Self.spinVelocity ? 1 : 0
        case .turn: distanceToTarget(physics) <= 0 ? 1 : 0
        }
    }
}
