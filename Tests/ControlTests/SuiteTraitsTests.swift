import Control
import XCTest

final class SuiteTraitsTests: XCTestCase {
    /// Every task has traits; only finger-turn cannot be replayed from a
    /// state, only quadruped tasks take the paper's quadruped PPO variant.
    func testEveryTaskHasItsTraits() {
        for task in Suite.taskNames {
            let traits = Suite.traits(of: task)
            XCTAssertNotNil(traits, task)
            XCTAssertEqual(traits?.replaysFromState, !["finger-turn_easy", "finger-turn_hard"].contains(task), task)
            XCTAssertEqual(traits?.usesQuadrupedPPOVariant, ["quadruped-walk", "quadruped-run"].contains(task), task)
        }
        XCTAssertNil(Suite.traits(of: "quadruped-fly"))
        XCTAssertNil(Suite.traits(of: "finger-turn"))
    }
}
