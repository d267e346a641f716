import Control
import MuJoCo
import XCTest

/// Episode structure, initial-state distributions, determinism and bad input.
final class EnvironmentTests: XCTestCase {
    func testEpisodeIsThousandStepsEndingInTruncation() throws {
        let environment = try Suite.make("cartpole-balance", models: try TestPaths.models(), seed: 3)
        var step = try environment.reset(seed: nil)
        XCTAssertEqual(step.stepType, .first)
        XCTAssertEqual(step.observation.values.count, 5)
        var count = 0, total = 0.0
        while !step.isLast {
            step = try environment.step([0.1])
            count += 1
            total += step.reward
            XCTAssert((0...1).contains(step.reward))
            XCTAssertEqual(step.discount, 1)
        }
        XCTAssertEqual(count, 1000)
        XCTAssertEqual(step.stepType, .last)
        XCTAssertGreaterThan(total, 0)
        // After the last step the next call starts a new episode, as in dm_control.
        XCTAssertEqual(try environment.step([0]).stepType, .first)
    }

    func testSameSeedSameEpisodeDifferentSeedDifferentStart() throws {
        let models = try TestPaths.models()
        for task in Suite.benchmarkTasks {
            let a = try Suite.make(task, models: models), b = try Suite.make(task, models: models)
            let first = try a.reset(seed: 42), second = try b.reset(seed: 42)
            XCTAssertEqual(first.observation, second.observation, task)
            let action = [Double](repeating: 0.3, count: a.actionSpec.size)
            for _ in 0..<20 { XCTAssertEqual(try a.step(action), try b.step(action), task) }
            let other = try b.reset(seed: 43)
            XCTAssertNotEqual(a.physics.data.state, b.physics.data.state, task)
            _ = other
        }
    }

    func testCartpoleBalanceStartsNearUpright() throws {
        let environment = try Suite.make("cartpole-balance", models: try TestPaths.models())
        var positions: [Double] = [], angles: [Double] = []
        for seed in 0..<200 {
            _ = try environment.reset(seed: UInt64(seed))
            let qpos = environment.physics.data.qpos
            positions.append(qpos[0]); angles.append(qpos[1])
        }
        XCTAssert(positions.allSatisfy { abs($0) <= 0.1 })
        XCTAssert(angles.allSatisfy { abs($0) <= 0.034 })
        XCTAssertGreaterThan(positions.max()! - positions.min()!, 0.15, "cart start should spread over [-0.1, 0.1]")
        XCTAssertGreaterThan(angles.max()! - angles.min()!, 0.05, "pole start should spread over ±0.034 rad")
        // dm_control's recorded starts obey the same bounds.
        for state in try TaskFixture.load("cartpole-balance").reset_states {
            XCTAssertLessThanOrEqual(abs(state[0]), 0.1)
            XCTAssertLessThanOrEqual(abs(state[1]), 0.034)
        }
    }

    func testCartpoleSwingupStartsHangingDown() throws {
        let environment = try Suite.make("cartpole-swingup", models: try TestPaths.models())
        for seed in 0..<50 {
            _ = try environment.reset(seed: UInt64(seed))
            XCTAssertEqual(environment.physics.data.qpos[1], Double.pi, accuracy: 0.06)
        }
    }

    func testStartsAreContactFreeWhereDmControlMakesThemSo() throws {
        let models = try TestPaths.models()
        for task in ["quadruped-walk", "ball_in_cup-catch", "finger-spin"] {
            let environment = try Suite.make(task, models: models)
            for seed in 0..<20 {
                _ = try environment.reset(seed: UInt64(seed))
                XCTAssertEqual(environment.physics.data.contactCount, 0, "\(task) seed \(seed) starts in contact")
            }
        }
    }

    func testQuadrupedDropsAtRandomOrientationJustAboveTheFloor() throws {
        let environment = try Suite.make("quadruped-walk", models: try TestPaths.models())
        var uprights: [Double] = []
        for seed in 0..<30 {
            let step = try environment.reset(seed: UInt64(seed))
            let qpos = environment.physics.data.qpos
            XCTAssertEqual(qpos[0], 0); XCTAssertEqual(qpos[1], 0)
            XCTAssert((0...1.5).contains(qpos[2]), "start height \(qpos[2])")
            uprights.append(step.observation["torso_upright"]!.first!)
        }
        XCTAssertLessThan(uprights.min()!, 0, "some starts should be upside down")
        XCTAssertGreaterThan(uprights.max()!, 0.5, "some starts should be upright")
    }

    func testBallInCupStartsBallAboveCup() throws {
        let environment = try Suite.make("ball_in_cup-catch", models: try TestPaths.models())
        for seed in 0..<30 {
            _ = try environment.reset(seed: UInt64(seed))
            let qpos = environment.physics.data.qpos
            XCTAssert((-0.2...0.2).contains(qpos[2]) && (0.2...0.5).contains(qpos[3]), "ball at \(qpos[2]), \(qpos[3])")
        }
    }

    func testFingerSpinEditsTheModel() throws {
        let environment = try Suite.make("finger-spin", models: try TestPaths.models())
        let model = environment.physics.model
        XCTAssertEqual(model.damping(of: try model.joint("hinge")), 0.03)
        XCTAssertEqual(model.alpha(of: try model.site("target")), 0)
        XCTAssertEqual(model.alpha(of: try model.site("tip")), 0)
    }

    func testCheetahSettlesBeforeTheEpisodeAndResetsTheClock() throws {
        let environment = try Suite.make("cheetah-run", models: try TestPaths.models())
        _ = try environment.reset(seed: 1)
        XCTAssertEqual(environment.physics.data.time, 0)
        XCTAssertLessThan(abs(environment.physics.data.qvel[1]), 5)
    }

    func testQuadrupedModelIsTheEditedVariant() throws {
        let model = try Suite.make("quadruped-walk", models: try TestPaths.models()).physics.model
        XCTAssertThrowsError(try model.body("ball"))
        XCTAssertThrowsError(try model.geom("terrain"))
        XCTAssertThrowsError(try model.geom("wall_px"))
        XCTAssertEqual(model.sensors(ofType: [.rangefinder]).count, 0)
        XCTAssertEqual(model.size(of: try model.geom("floor")).x, 10)
        XCTAssertEqual(model.na, 12)
    }

    // MARK: Bad input

    func testUnknownTaskListsValidOnes() throws {
        XCTAssertThrowsError(try Suite.make("walker-fly", models: try TestPaths.models())) { error in
            let text = "\(error)"
            XCTAssert(text.contains("walker-fly") && text.contains("walker-walk") && text.contains("quadruped-walk"), text)
        }
    }

    func testWrongActionSizeAndNonFiniteActionsAreRejected() throws {
        let environment = try Suite.make("walker-walk", models: try TestPaths.models())
        _ = try environment.reset(seed: 0)
        XCTAssertThrowsError(try environment.step([0, 0])) { XCTAssert("\($0)".contains("6"), "\($0)") }
        XCTAssertThrowsError(try environment.step([0, 0, .nan, 0, 0, 0])) { XCTAssert("\($0)".contains("entry 2"), "\($0)") }
        XCTAssertThrowsError(try environment.step([0, 0, 0, .infinity, 0, 0]))
        XCTAssertNoThrow(try environment.step([0, 0, 0, 0, 0, 0]), "the environment stays usable after a rejected action")
    }

    func testStateOfWrongSizeIsRejected() throws {
        let environment = try Suite.make("walker-walk", models: try TestPaths.models())
        XCTAssertThrowsError(try environment.replay(state: [0, 1, 2], actions: [])) { error in
            XCTAssert("\(error)".contains("18"), "\(error)")
        }
    }

    func testReplayRecordsTheStateBeforeEachActionOnlyWhenAsked() throws {
        let environment = try Suite.make("walker-walk", models: try TestPaths.models())
        _ = try environment.reset(seed: 3)
        let start = environment.physics.data.state
        let actions = (0..<6).map { t in (0..<6).map { j in sin(Double(3 * t + j)) } }
        let plain = try environment.replay(state: start, actions: actions)
        XCTAssertNil(plain.states)
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("states"),
                       "the replay command's JSON keeps its fields")
        let recorded = try environment.replay(state: start, actions: actions, recordingStates: true)
        XCTAssertEqual(recorded.observations, plain.observations)
        XCTAssertEqual(recorded.rewards, plain.rewards)
        let states = try XCTUnwrap(recorded.states)
        XCTAssertEqual(states.count, actions.count)
        XCTAssertEqual(states[0], start)
        // Each recorded state continues the same trajectory when replayed from.
        let tail = try environment.replay(state: states[4], actions: Array(actions[4...]))
        XCTAssertEqual(tail.observations, Array(plain.observations[4...]))
        XCTAssertEqual(tail.rewards, Array(plain.rewards[4...]))
    }

    func testMissingModelFolderSaysMakeModels() {
        XCTAssertThrowsError(try ModelDirectory(path: "/nonexistent/models")) { error in
            XCTAssert("\(error)".contains("make models"), "\(error)")
        }
    }

    func testObservationByKey() throws {
        let environment = try Suite.make("walker-walk", models: try TestPaths.models())
        let observation = try environment.reset(seed: 0).observation
        XCTAssertEqual(observation["orientations"]?.count, 14)
        XCTAssertEqual(observation["height"]?.count, 1)
        XCTAssertNil(observation["nope"])
        XCTAssertEqual(observation["velocity"].map(Array.init), Array(environment.physics.data.qvel))
    }
}
