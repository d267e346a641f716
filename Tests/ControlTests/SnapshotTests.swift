import Control
import Randomness
import XCTest

/// A resumed run continues its environments from snapshots; the continuation
/// must be bit-identical to never having stopped, across an episode's end.
final class SnapshotTests: XCTestCase {
    func testRestoredSnapshotContinuesBitIdenticallyInEverySixTask() throws {
        let models = try TestPaths.models()
        for task in Suite.benchmarkTasks {
            let original = try Suite.make(task, models: models, seed: 7)
            var random = SeededRandom(seed: 11)
            let spec = original.actionSpec
            func action() -> [Double] {
                (0..<spec.size).map { random.uniform(spec.lower[$0], spec.upper[$0]) }
            }
            _ = try original.reset(seed: nil)
            // Stop 30 steps before the episode's end, so the continuation crosses a reset.
            for _ in 0..<(original.stepLimit - 30) { _ = try original.step(action()) }
            let snapshot = original.snapshot()
            let actions = (0..<60).map { _ in action() }

            let restored = try Suite.make(task, models: models, seed: 99)
            _ = try restored.reset(seed: nil)
            _ = try restored.step(actions[0])
            try restored.restore(snapshot)
            XCTAssertEqual(restored.snapshot(), snapshot, "\(task): the snapshot did not round-trip")
            for (t, action) in actions.enumerated() {
                let expected = try original.step(action), found = try restored.step(action)
                XCTAssertEqual(found.observation.values, expected.observation.values, "\(task) step \(t): observations differ")
                XCTAssertEqual(found.reward, expected.reward, "\(task) step \(t)")
                XCTAssertEqual(found.stepType, expected.stepType, "\(task) step \(t)")
                if found.observation.values != expected.observation.values { break }
            }
        }
    }
}
