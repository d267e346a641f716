import Control
import Foundation
import Playback
import Render
import Training
import XCTest

final class PNGTests: XCTestCase {
    func testAnIndependentDecoderReadsBackTheExactPixels() throws {
        let environment = try Suite.make("finger-spin", models: try testModels())
        _ = try environment.reset()
        let image = try SceneRenderer(model: environment.physics.model, width: 37, height: 23, camera: .index(0))
            .render(environment.physics.data)
        let path = try temporaryFolder(self) + "/frame.png"
        try PNGEncoder.write(image, to: path)
        let size = try pngSize(path)
        XCTAssertEqual(size.width, 37); XCTAssertEqual(size.height, 23)
        let decoded = try runProgram("ffmpeg", ["-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        XCTAssertEqual([UInt8](decoded), image.pixels)
    }
}

final class RenderJobTests: XCTestCase {
    let small = RenderSettings(width: 64, height: 48, quality: .fast)

    func testAFilmstripHasEveryKthFrameOfEachSegmentInARow() throws {
        let folder = try temporaryFolder(self)
        let run = try makeRun(task: "cartpole-balance", ratings: [(1, 20), (3, 40), (3, 45), (0, 5)], length: 50, in: folder)
        let strip = folder + "/best.png", plainStrip = folder + "/plain.png"
        let summary = try RenderJob.run(.best(run: run, count: 2), settings: small,
                                        outputs: .init(filmstrip: strip, filmstripStride: 10), models: try testModels())
        XCTAssertEqual(summary.clips, 2)
        XCTAssertEqual(summary.frames, 102)
        _ = try RenderJob.run(.best(run: run, count: 2), settings: small,
                              outputs: .init(filmstrip: plainStrip, filmstripStride: 10, captions: false), models: try testModels())
        // Frames 0, 10, …, 50 of each segment, 2 px apart; one row per segment.
        XCTAssertEqual(try pngSize(plainStrip).width, 6 * 64 + 5 * 2)
        XCTAssertEqual(try pngSize(plainStrip).height, 2 * 48 + 2)
        // Captions (step, reward, class, return: two lines) add a band below each frame.
        let environment = try Suite.make("cartpole-balance", models: try testModels())
        let band = try SceneRenderer(model: environment.physics.model, width: 64, height: 48, quality: .fast)
            .captionBandHeight(for: [("step", "50"), ("r", "0.000"), ("class", "3"), ("return", "45.00")])
        XCTAssertEqual(try pngSize(strip).width, 6 * 64 + 5 * 2)
        XCTAssertEqual(try pngSize(strip).height, 2 * (48 + band) + 2)
    }

    func testBestAndWorstOrderByRatingThenTrueReturn() throws {
        let run = try makeRun(task: "cartpole-balance", ratings: [(1, 20), (3, 40), (3, 45), (0, 5), (1, 10)], length: 2,
                              in: try temporaryFolder(self))
        let ratings = try RunRatings(folder: run)
        XCTAssertEqual(ratings.task, "cartpole-balance")
        XCTAssertEqual(ratings.best(3), [2, 1, 0])
        XCTAssertEqual(ratings.worst(3), [3, 4, 0])
        XCTAssertEqual(ratings.best(10).count, 5)
    }

    func testARatingIndexNotInTheRunNamesTheValidRange() throws {
        let folder = try temporaryFolder(self)
        let run = try makeRun(task: "cartpole-balance", ratings: [(1, 20), (2, 30)], length: 3, in: folder)
        XCTAssertThrowsError(try RenderJob.run(.rating(run: run, index: 2), settings: small,
                                               outputs: .init(filmstrip: folder + "/x.png"), models: try testModels())) { error in
            XCTAssertEqual("\(error)", "rating 2 is not in \(run): it has ratings 0...1")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/x.png"))
    }

    func testAVideoDecodesWithOneFramePerStepAtTheTasksRealTimeRate() throws {
        let folder = try temporaryFolder(self)
        let environment = try Suite.make("walker-walk", models: try testModels())
        _ = try environment.reset()
        let request = ReplayRequest(task: "walker-walk", state: environment.physics.data.state,
                                    actions: Array(repeating: [0.3, -0.2, 0.1, 0, 0.5, -0.5], count: 50))
        for format in ["mp4", "webm"] {
            let video = folder + "/segment." + format
            let summary = try RenderJob.run(.replay(request), settings: small, outputs: .init(video: video), models: try testModels())
            XCTAssertEqual(summary.framesPerSecond, 40)  // walker: 0.0025 s × 10 substeps
            let probe = try runProgram("ffprobe", ["-v", "error", "-select_streams", "v:0", "-count_frames",
                                                   "-show_entries", "stream=nb_read_frames,r_frame_rate,width,height",
                                                   "-of", "default=noprint_wrappers=1", video])
            let fields = String(decoding: probe, as: UTF8.self)
            XCTAssert(fields.contains("nb_read_frames=51"), "\(format): \(fields)")
            XCTAssert(fields.contains("r_frame_rate=40/1"), "\(format): \(fields)")
            XCTAssert(fields.contains("width=64") && fields.contains("height=48"), "\(format): \(fields)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["segment.mp4", "segment.webm"])
    }

    func testPolicyEpisodesRunToTheEndOfTheEpisode() throws {
        let folder = try temporaryFolder(self)
        let run = try makeRun(task: "cartpole-balance", ratings: [], length: 1, in: folder)
        let summary = try RenderJob.run(.episodes(run: run, count: 2, seed: 4), settings: RenderSettings(width: 32, height: 24, quality: .fast),
                                        outputs: .init(filmstrip: folder + "/policy.png", filmstripStride: 100), models: try testModels())
        XCTAssertEqual(summary.frames, 2 * 1001)
        XCTAssertEqual(try pngSize(folder + "/policy.png").width, 11 * 32 + 10 * 2)
        // Each episode's return is what the run's deterministic policy earns from that seed's start.
        let environment = try Suite.make("cartpole-balance", models: try testModels())
        let agent = try RunDirectory.agent(in: run, config: RunDirectory.configuration(in: run),
                                           observationSize: environment.observationSpec.size,
                                           actionSize: environment.actionSpec.size)
        let expected = try [UInt64(4), 5].map { seed -> Double in
            var step = try environment.reset(seed: seed)
            var total = 0.0
            while !step.isLast {
                let action = agent.deterministicActions([step.observation.values])[0].map { min(max($0, -1), 1) }
                step = try environment.step(action)
                total += step.reward
            }
            return total
        }
        XCTAssertEqual(summary.returns, expected)
        XCTAssertNotEqual(expected[0], expected[1])
    }

    func testAFailureHalfwayLeavesNoOutputBehind() throws {
        let folder = try temporaryFolder(self)
        // The fourth action has the wrong size: the replay fails after frames were written.
        let request = ReplayRequest(task: "cartpole-balance", state: [0, 0.1, 0, 0], actions: [[0.1], [0.2], [0.3], [0.1, 0.2]])
        let outputs = ClipWriter.Outputs(frameFolder: folder + "/frames", filmstrip: folder + "/strip.png", video: folder + "/clip.mp4")
        XCTAssertThrowsError(try RenderJob.run(.replay(request), settings: small, outputs: outputs, models: try testModels())) { error in
            XCTAssert("\(error)".contains("action 3"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    func testUnwritableOutputsAreRefusedBeforeRendering() throws {
        let folder = try temporaryFolder(self)
        let request = ReplayRequest(task: "cartpole-balance", state: [0, 0.1, 0, 0], actions: [[0.1]])
        let cases: [(ClipWriter.Outputs, String)] = [
            (.init(filmstrip: folder + "/missing/strip.png"), "does not exist"),
            (.init(filmstrip: folder + "/strip.jpg"), "name it *.png"),
            (.init(video: folder + "/clip.avi"), ".mp4 or .webm"),
            (.init(video: folder + "/missing/clip.mp4"), "does not exist"),
            (.init(frameFolder: folder), "already exists"),
        ]
        for (outputs, expected) in cases {
            XCTAssertThrowsError(try RenderJob.run(.replay(request), settings: small, outputs: outputs, models: try testModels())) { error in
                XCTAssert("\(error)".contains("cannot write") && "\(error)".contains(expected), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }

    func testFramesGoToAFolderOfPNGs() throws {
        let folder = try temporaryFolder(self)
        let request = ReplayRequest(task: "cartpole-balance", state: [0, 0.1, 0, 0], actions: [[0.1], [0.2], [0.3]])
        _ = try RenderJob.run(.replay(request), settings: small, outputs: .init(frameFolder: folder + "/frames"), models: try testModels())
        let names = try FileManager.default.contentsOfDirectory(atPath: folder + "/frames").sorted()
        XCTAssertEqual(names, ["frame-0000.png", "frame-0001.png", "frame-0002.png", "frame-0003.png"])
        XCTAssertEqual(try pngSize(folder + "/frames/frame-0003.png").width, 64)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["frames"])
    }
}
