import Control
import XCTest

/// Replays trajectories recorded with dm_control 1.0.7 on MuJoCo 2.2.2 and
/// requires every observation entry, reward and discount to agree within 1e-6.
final class FixtureReplayTests: XCTestCase {
    static let tolerance = 1e-6

    func testCartpoleBalance() throws { try checkReplay("cartpole-balance") }
    func testBallInCupCatch() throws { try checkReplay("ball_in_cup-catch") }
    func testFingerSpin() throws { try checkReplay("finger-spin") }
    func testCheetahRun() throws { try checkReplay("cheetah-run") }
    func testWalkerWalk() throws { try checkReplay("walker-walk") }
    func testQuadrupedWalk() throws { try checkReplay("quadruped-walk") }

    func testCartpoleBalanceSparse() throws { try checkReplay("cartpole-balance_sparse") }
    func testCartpoleSwingup() throws { try checkReplay("cartpole-swingup") }
    func testCartpoleSwingupSparse() throws { try checkReplay("cartpole-swingup_sparse") }
    func testWalkerStand() throws { try checkReplay("walker-stand") }
    func testWalkerRun() throws { try checkReplay("walker-run") }
    func testQuadrupedRun() throws { try checkReplay("quadruped-run") }
    func testFingerTurnEasy() throws { try checkReplay("finger-turn_easy") }
    func testFingerTurnHard() throws { try checkReplay("finger-turn_hard") }

    private func checkReplay(_ task: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TaskFixture.load(task)
        let environment = try Suite.make(task, models: try TestPaths.models())
        XCTAssertEqual(environment.task.substeps, fixture.n_sub_steps, "substeps", file: file, line: line)
        for episode in fixture.episodes {
            XCTAssertEqual(episode.actions.count, 1000)
            let keys = episode.observation_keys.map { pair -> ObservationKey in
                guard case let .key(name) = pair[0], case let .size(size) = pair[1] else { fatalError("bad key") }
                return ObservationKey(name, size)
            }
            XCTAssertEqual(environment.observationSpec.keys, keys, "\(task): observation keys", file: file, line: line)

            if let parameters = episode.task_params {
                let finger = try XCTUnwrap(environment.task as? Finger)
                let p = parameters.target_site_pos
                finger.placeTarget(environment.physics.model, at: SIMD3(p[0], p[1], p[2]), radius: parameters.target_site_size)
            }
            let result = try environment.replay(state: episode.state, actions: episode.actions)
            var worstObservation = 0.0, worstStep = 0
            for (t, (ours, theirs)) in zip(result.observations, episode.observations).enumerated() {
                let difference = maxAbsoluteDifference(ours, theirs)
                if difference > worstObservation { worstObservation = difference; worstStep = t }
            }
            let rewardDifference = maxAbsoluteDifference(result.rewards, episode.rewards)
            let discountDifference = maxAbsoluteDifference(result.discounts, episode.discounts)
            XCTAssertEqual(result.observations.count, 1001)
            XCTAssertLessThanOrEqual(worstObservation, Self.tolerance,
                                     "\(task) seed \(episode.seed): observation differs by \(worstObservation) at step \(worstStep)",
                                     file: file, line: line)
            XCTAssertLessThanOrEqual(rewardDifference, Self.tolerance, "\(task) seed \(episode.seed): rewards", file: file, line: line)
            XCTAssertLessThanOrEqual(discountDifference, 0, "\(task) seed \(episode.seed): discounts", file: file, line: line)
            XCTAssertEqual(episode.step_types.last, "last")
            // A replay that matched only zero rewards would prove little about shaping.
            if task != "ball_in_cup-catch" && !task.hasSuffix("_sparse") && !task.hasPrefix("finger") {
                XCTAssertGreaterThan(episode.rewards.reduce(0, +), 0, "\(task): fixture has no reward signal")
            }
        }
    }
}
