import Foundation
import XCTest

/// `ratingrl render` run as a user runs it: outputs, messages and exit codes.
final class RenderCommandTests: XCTestCase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    typealias Outcome = CommandLineTests.Outcome

    func render(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Outcome {
        try CommandLineTests.run(["render"] + arguments, environment: extra)
    }

    func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-render-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// A replay file for a 10-step cartpole segment.
    func replayFile(in folder: String) throws -> String {
        let path = folder + "/segment.json"
        let actions = (0..<10).map { "[\(Double($0) / 10 - 0.5)]" }.joined(separator: ", ")
        try #"{"task": "cartpole-balance", "state": [0.1, 0.05, 0, 0], "actions": [\#(actions)]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testAReplayBecomesACaptionedFilmstripAndFrames() throws {
        let folder = try temporaryFolder()
        let replay = try replayFile(in: folder)
        let outcome = try render(["--replay", replay, "--filmstrip", folder + "/strip.png", "--every", "5",
                                  "--output", folder + "/frames", "--width", "80", "--height", "60", "--quality", "fast"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        XCTAssert(outcome.output.contains("cartpole-balance: 1 clip(s), 11 frames from camera fixed at 100.0 fps"), outcome.output)
        let strip = try Data(contentsOf: URL(fileURLWithPath: folder + "/strip.png"))
        func word(_ offset: Int) -> Int { strip[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(word(16), 3 * 80 + 2 * 2)  // frames 0, 5, 10
        XCTAssertGreaterThan(word(20), 60 + 20, "no caption band (step and reward) below the frames")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/frames").count, 11)
    }

    func testBadInputsGiveOneLineErrorsAndLeaveNothingBehind() throws {
        let folder = try temporaryFolder()
        let replay = try replayFile(in: folder)
        let strip = folder + "/out.png"
        let cases: [([String], [String: String], String)] = [
            (["--replay", replay, "--filmstrip", strip, "--camera", "top"], [:],
             "unknown camera 'top'. Valid cameras: fixed (0), lookatcart (1), track, free"),
            (["--replay", replay, "--filmstrip", strip, "--width", "0"], [:], "--width and --height must be between 1 and 8192 pixels, got 0x240"),
            (["--replay", replay, "--filmstrip", strip, "--height", "100000"], [:], "--width and --height must be between 1 and 8192 pixels, got 320x100000"),
            (["--replay", replay, "--filmstrip", strip, "--gl", "glfw"], ["DISPLAY": "", "WAYLAND_DISPLAY": ""],
             "no usable OpenGL through glfw"),
            (["--replay", replay, "--filmstrip", strip, "--gl", "vulkan"], [:], "The value 'vulkan' is invalid for '--gl <gl>'. Please provide one of 'egl', 'glfw' or 'osmesa'."),
            (["--replay", replay, "--filmstrip", strip], ["__EGL_VENDOR_LIBRARY_FILENAMES": folder + "/none.json"],
             "no usable OpenGL through egl"),
            (["--replay", replay, "--video", folder + "/clip.mp4"], ["PATH": folder], "`ffmpeg` was not found on PATH; install Debian's ffmpeg"),
            (["--replay", replay, "--filmstrip", folder + "/no/such/folder.png"], [:], "cannot write"),
            (["--replay", replay], [:], "nothing to write"),
            (["--filmstrip", strip], [:], "give a source"),
            (["--run", folder, "--rating", "0", "--filmstrip", strip], [:], "is not a training run folder: it has no readable config.json"),
            (["--run", folder, "--best", "0", "--filmstrip", strip], [:], "--best must be at least 1"),
            (["--run", folder, "--best", "2", "--worst", "2", "--filmstrip", strip], [:], "exactly one of"),
            (["--replay", replay, "--filmstrip", strip, "--quality", "ultra"], [:], "The value 'ultra' is invalid for '--quality <quality>'. Please provide one of 'fast' and 'quality'."),
        ]
        for (arguments, environment, expected) in cases {
            let outcome = try render(arguments, environment: environment)
            XCTAssertNotEqual(outcome.status, 0, arguments.joined(separator: " "))
            XCTAssert(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1,
                           "\(arguments): \(outcome.error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["segment.json"])
    }

    func testAFailingEncoderLeavesNeitherVideoNorFilmstrip() throws {
        let folder = try temporaryFolder()
        let replay = try replayFile(in: folder)
        // An "ffmpeg" that reads its input and fails, first on PATH.
        let bin = folder + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: false)
        try "#!/bin/sh\ncat > /dev/null\necho 'codec exploded' >&2\nexit 1\n".write(toFile: bin + "/ffmpeg", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/ffmpeg")
        let outcome = try render(["--replay", replay, "--video", folder + "/clip.mp4", "--filmstrip", folder + "/strip.png",
                                  "--output", folder + "/frames", "--width", "64", "--height", "48"],
                                 environment: ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssert(outcome.error.contains("ffmpeg failed writing \(folder)/clip.mp4: codec exploded"), outcome.error)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["bin", "segment.json"])
    }

    func testOSMesaAndAGLFWWindowUnderXvfbGiveTheSamePixelsAsHeadlessEGL() throws {
        let folder = try temporaryFolder()
        let replay = try replayFile(in: folder)
        let common = ["--replay", replay, "--width", "96", "--height", "72", "--camera", "lookatcart"]
        let egl = try render(common + ["--output", folder + "/egl"])
        XCTAssertEqual(egl.status, 0, egl.error)
        let osmesa = try render(common + ["--gl", "osmesa", "--output", folder + "/osmesa"])
        XCTAssertEqual(osmesa.status, 0, osmesa.error)
        // xvfb-run gives the window a virtual display.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xvfb-run", "-a", Bundle.main.bundleURL.appendingPathComponent("ratingrl").path, "render"]
            + common + ["--gl", "glfw", "--output", folder + "/glfw"]
        process.currentDirectoryURL = Self.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "xvfb-run ratingrl render --gl glfw failed")
        for frame in ["frame-0000.png", "frame-0010.png"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: folder + "/egl/" + frame))
            for backend in ["glfw", "osmesa"] {
                let b = try Data(contentsOf: URL(fileURLWithPath: folder + "/\(backend)/" + frame))
                XCTAssertEqual(a, b, "\(frame) differs between egl and \(backend)")
            }
        }
    }
}
