import Control
import Foundation
import MuJoCo
import Randomness
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

final class SceneRendererInputTests: XCTestCase {
    func testAnUnknownCameraIsRefusedWithTheValidOnesListed() throws {
        let environment = try Suite.make("walker-walk", models: try testModels())
        for choice in [CameraChoice.named("top"), .index(7)] {
            XCTAssertThrowsError(try SceneRenderer(model: environment.physics.model, width: 32, height: 32, camera: choice)) { error in
                let message = "\(error)"
                XCTAssert(message.contains("unknown camera '\(choice)'"), message)
                XCTAssert(message.contains("side (0)") && message.contains("back (1)") && message.contains("track"), message)
            }
        }
    }

    func testASizeOfZeroOrBeyondTheGLLimitIsRefused() throws {
        let context = try HeadlessGLContext()
        XCTAssertGreaterThan(context.maxBufferSize, 1000, "renderer \(context.renderer)")
        let model = try Suite.make("cartpole-balance", models: try testModels()).physics.model
        // The limit is the GL context's or, below it, what MuJoCo's off-screen buffer can hold.
        let limit = min(context.maxBufferSize, SceneRenderer.maximumSize)
        for (width, height) in [(0, 10), (10, 0), (limit + 1, 10), (10, limit + 1), (context.maxBufferSize, context.maxBufferSize)] {
            XCTAssertThrowsError(try SceneRenderer(model: model, width: width, height: height, context: context)) { error in
                XCTAssertEqual(error as? RenderError, .invalidSize(width: width, height: height, limit: limit))
            }
        }
    }

    func testACaptionIsABandOfTextBelowTheUnchangedFrame() throws {
        let environment = try Suite.make("cheetah-run", models: try testModels())
        _ = try environment.reset()
        let renderer = try SceneRenderer(model: environment.physics.model, width: 160, height: 120, camera: .named("side"))
        let plain = renderer.render(environment.physics.data)
        let captioned = renderer.render(environment.physics.data, caption: [("step", "12"), ("reward", "0.5"), ("class", "3")])
        let band = renderer.captionBandHeight(for: [("step", "12"), ("reward", "0.5"), ("class", "3")])
        XCTAssertEqual(captioned.width, 160)
        XCTAssertEqual(captioned.height, 120 + band)
        XCTAssertGreaterThan(band, 2 * 10, "two lines of text need more than 20 px")
        // The frame is drawn one band higher in the buffer; the rasteriser
        // rounds some edge pixels by a few levels differently there. Text on
        // the frame would change pixels by far more.
        let differences = zip(captioned.pixels[0..<plain.pixels.count], plain.pixels).map { abs(Int($0) - Int($1)) }
        XCTAssertLessThan(differences.filter { $0 > 0 }.count, plain.pixels.count / 20, "the caption covers the frame")
        XCTAssertLessThanOrEqual(differences.max() ?? 0, 16, "the caption covers the frame")
        let bandPixels = captioned.pixels[plain.pixels.count...]
        let textBytes = bandPixels.filter { $0 > 200 }.count
        XCTAssertGreaterThan(textBytes, 100, "the caption band has no text")
    }

    func testTheTrackingCameraKeepsTheWalkerInViewAsItMoves() throws {
        let environment = try Suite.make("walker-walk", models: try testModels())
        _ = try environment.reset()
        let renderer = try SceneRenderer(model: environment.physics.model, width: 64, height: 48, camera: .tracking, quality: .fast)
        let here = renderer.render(environment.physics.data)
        // Move the root 20 m along the floor: a tracking camera follows, a fixed free camera would lose it.
        var state = environment.physics.data.state
        state[1] += 20  // qpos: rootz, rootx, rooty, …
        try environment.restore(state: state)
        let there = renderer.render(environment.physics.data)
        let orange = { (image: RGBImage) in stride(from: 0, to: image.pixels.count, by: 3).filter { image.pixels[$0] > 150 && image.pixels[$0 + 2] < 120 }.count }
        XCTAssertGreaterThan(orange(here), 20)
        XCTAssertEqual(Double(orange(there)), Double(orange(here)), accuracy: Double(orange(here)) * 0.2)
    }
}

final class RenderingDoesNotChangeTheSimulationTests: XCTestCase {
    func testARenderedRolloutFollowsTheUnrenderedTrajectoryExactly() throws {
        for task in ["walker-walk", "ball_in_cup-catch"] {
            let plain = try Suite.make(task, models: try testModels(), seed: 4)
            let rendered = try Suite.make(task, models: try testModels(), seed: 4)
            let renderer = try SceneRenderer(model: rendered.physics.model, width: 48, height: 48, camera: .index(0), quality: .quality)
            _ = try plain.reset(); _ = try rendered.reset()
            _ = renderer.render(rendered.physics.data)
            var random = SeededRandom(seed: 9)
            for t in 0..<40 {
                let action = plain.actionSpec.lower.indices.map { _ in random.uniform(-1, 1) }
                let a = try plain.step(action)
                let b = try rendered.step(action)
                _ = renderer.render(rendered.physics.data, caption: [("step", "\(t)")])
                XCTAssertEqual(a, b, "\(task) step \(t)")
                XCTAssertEqual(plain.physics.data.state, rendered.physics.data.state, "\(task) step \(t)")
            }
        }
    }
}

final class SharedContextTests: XCTestCase {
    func testRenderersSharingAContextAndAModelKeepTheirOwnSizeAndQuality() throws {
        let environment = try Suite.make("cheetah-run", models: try testModels())
        _ = try environment.reset()
        let data = environment.physics.data
        let alone = try SceneRenderer(model: environment.physics.model, width: 120, height: 90, quality: .quality)
            .render(data)
        let context = try HeadlessGLContext()
        let fast = try SceneRenderer(model: environment.physics.model, width: 48, height: 36, quality: .fast, context: context)
        let quality = try SceneRenderer(model: environment.physics.model, width: 120, height: 90, quality: .quality, context: context)
        let fastFirst = fast.render(data)
        XCTAssertEqual(quality.render(data), alone, "a fast renderer made first changed the quality renderer's frames")
        XCTAssertEqual(fast.render(data), fastFirst)
        XCTAssertEqual(fastFirst.width, 48)
    }
}
