import MuJoCo
import Randomness

/// Ball-in-cup domain: a planar cup, actuated in x and z, with a ball on a
/// string. The catch task rewards the ball being inside the cup.
public struct BallInCup: ControlTask {
    public let substeps = 10
    public let observationSpec = ObservationSpec([ObservationKey("position", 4), ObservationKey("velocity", 4)])

    private let target: Site
    private let ball: Body
    private let ballGeom: Geom
    private let ballX: Joint
    private let ballZ: Joint

    public static func makeModel(_ models: ModelDirectory) throws -> Model { try models.load("ball_in_cup.xml") }

    public init(model: Model) throws {
        target = try model.site("target")
        ball = try model.body("ball")
        ballGeom = try model.geom("ball")
        ballX = try model.joint("ball_x")
        ballZ = try model.joint("ball_z")
    }

    // MARK: Physics accessors

    /// Target minus ball, in the x–z plane.
    func ballToTarget(_ physics: Physics) -> SIMD2<Double> {
        let t = physics.data.sitePosition(target), b = physics.data.xpos(ball)
        return SIMD2(t.x - b.x, t.z - b.z)
    }

    func isBallInTarget(_ physics: Physics) -> Bool {
        let offset = ballToTarget(physics)
        let targetSize = physics.model.size(of: target)
        let ballRadius = physics.model.size(of: ballGeom).x
        return abs(offset.x) < targetSize.x - ballRadius && abs(offset.y) < targetSize.z - ballRadius
    }

    // MARK: Task

    /// Drops the ball at a random point above the cup, redrawing until it
    /// does not penetrate the cup.
    public func initializeEpisode(_ physics: Physics, random: inout SeededRandom) throws {
        let qpos = physics.data.qpos
        let (x, z) = (physics.model.qposAddress(of: ballX), physics.model.qposAddress(of: ballZ))
        repeat {
            qpos[x] = random.uniform(-0.2, 0.2)
            qpos[z] = random.uniform(0.2, 0.5)
            physics.forwardWithoutActuation()
        } while physics.data.contactCount > 0
    }

    public func observe(_ physics: Physics, into observation: inout [Double]) {
        observation.append(contentsOf: physics.data.qpos)
        observation.append(contentsOf: physics.data.qvel)
    }

    public func reward(_ physics: Physics) -> Double { isBallInTarget(physics) ? 1 : 0 }
}
