import Control
import Foundation
import MuJoCo
import Render
import XCTest

/// The checkout's models/, which `make test` fetches first.
func testModels() throws -> ModelDirectory {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try ModelDirectory(path: root.appendingPathComponent("models").path)
}

final class SceneRendererTests: XCTestCase {
    func testEachTaskRendersANonBlankFrameThatFollowsTheStateAndRepeatsExactly() throws {
        let context = try HeadlessGLContext()
        for task in Suite.benchmarkTasks {
            let environment = try Suite.make(task, models: try testModels(), seed: 1)
            let renderer = try SceneRenderer(model: environment.physics.model, width: 96, height: 72,
                                             camera: .index(0), quality: .fast, context: context)
            _ = try environment.reset()
            let first = renderer.render(environment.physics.data)
            XCTAssertGreaterThan(first.distinctColours(), 20, "\(task): the frame is (nearly) blank")
            XCTAssertEqual(renderer.render(environment.physics.data), first, "\(task): two renders of one state differ")
            XCTAssertEqual(renderer.render(environment.physics.data).digest, first.digest)
            _ = try environment.reset()  // the next initial state of the seeded stream
            let action = environment.actionSpec.upper
            for _ in 0..<20 { _ = try environment.step(action) }
            let later = renderer.render(environment.physics.data)
            XCTAssertNotEqual(later.digest, first.digest, "\(task): frames of two different states are identical")
        }
    }
}
