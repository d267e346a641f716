import Foundation
import XCTest

/// `ratingrl view`: a real window on a virtual display (Xvfb), driven by synthetic keys (xdotool).
final class ViewCommandTests: XCTestCase {
    typealias Outcome = CommandLineTests.Outcome

    func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-view-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// A tiny cartpole run of ours with 100 ratings and a saved reward model.
    func trainRun(in folder: String) throws -> String {
        let run = folder + "/run"
        let outcome = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--method", "ours", "--seed", "0",
                                                "--steps", "4096", "--set", "environments=2", "--first-round", "2048",
                                                "--round-interval", "1024", "--ratings", "100", "--ratings-per-round", "50",
                                                "--reward-epochs", "2", "--quiet", "--out", run])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        return run
    }

    /// The RGB bytes of a PNG, decoded by ffmpeg (an independent decoder).
    func pixels(_ png: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "ffmpeg could not decode \(png)")
        return [UInt8](data)
    }

    /// Pixels of a `width`-wide RGB image that differ between `a` and `b` inside the rectangle.
    func differing(_ a: [UInt8], _ b: [UInt8], width: Int, rows: Range<Int>, columns: Range<Int>) -> Int {
        var count = 0
        for y in rows {
            for x in columns where (0..<3).contains(where: { a[(y * width + x) * 3 + $0] != b[(y * width + x) * 3 + $0] }) {
                count += 1
            }
        }
        return count
    }

    func testTheWindowAnswersKeysAndItsScreenshotIsTheFrameWithTheOverlay() throws {
        let folder = try temporaryFolder()
        let run = try trainRun(in: folder)
        let binary = Bundle.main.bundleURL.appendingPathComponent("ratingrl").path
        // Keys, each after the previous one has been handled: next clip, two frames forward
        // (paused), screenshot, help on, screenshot, quit.
        let script = """
        "$1" view --run "$2" --paused --screenshots "$3/shots" --width 320 --height 240 > "$3/out.txt" 2> "$3/err.txt" &
        pid=$!
        for i in $(seq 100); do grep -q '^clip 1/' "$3/out.txt" 2>/dev/null && break; sleep 0.2; done
        wid=$(timeout 20 xdotool search --sync --name 'ratingrl view' | head -1)
        for key in n period period s h s; do xdotool key --window "$wid" "$key"; sleep 0.6; done
        xdotool key --window "$wid" q 2>/dev/null
        wait $pid
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "120", "xvfb-run", "-a", "-s", "-screen 0 800x600x24", "sh", "-c", script, "view-test", binary, run, folder]
        process.currentDirectoryURL = CommandLineTests.repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let output = (try? String(contentsOfFile: folder + "/out.txt", encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: folder + "/err.txt", encoding: .utf8)) ?? ""
        XCTAssertEqual(process.terminationStatus, 0, "view under xvfb-run failed: \(errors)")

        // What the log says matches the run's second rating.
        let line = try String(contentsOfFile: run + "/ratings.jsonl", encoding: .utf8).split(separator: "\n")[1]
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        let rating = record["rating"] as! Int, trueReturn = record["true_return"] as! Double
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssert(lines.contains { $0.hasPrefix("clip 2/100 rating-1: class \(rating), true return \(String(format: "%.1f", trueReturn)), predicted ") },
                  output)
        XCTAssert(lines.contains("frame 2"), output)
        let first = folder + "/shots/view-rating-1-frame2.png", second = folder + "/shots/view-rating-1-frame2-2.png"
        XCTAssert(lines.contains("screenshot \(first)") && lines.contains("screenshot \(second)"), output)

        // The screenshot is the rendered frame with the overlay over its top-left corner.
        let render = try CommandLineTests.run(["render", "--run", run, "--rating", "1", "--output", folder + "/frames",
                                               "--width", "320", "--height", "240"])
        XCTAssertEqual(render.status, 0, render.error)
        let frame = try pixels(folder + "/frames/frame-0002.png")
        let shot = try pixels(first), help = try pixels(second)
        XCTAssertEqual(shot.count, 320 * 240 * 3)
        // At 320x240 the overlay covers about 220x165 pixels at the top left, and "h keys" the bottom-left corner.
        XCTAssertEqual(differing(shot, frame, width: 320, rows: 0..<240, columns: 240..<320)
                       + differing(shot, frame, width: 320, rows: 180..<240, columns: 80..<320), 0,
                       "outside the overlay the window shows the rendered frame exactly")
        XCTAssertGreaterThan(differing(shot, frame, width: 320, rows: 0..<100, columns: 0..<120), 3000,
                             "no overlay over the top-left corner")
        XCTAssertGreaterThan(differing(help, shot, width: 320, rows: 0..<100, columns: 0..<320), 1000,
                             "the help overlay (key h) looks the same as the clip overlay")
    }

    func testWithoutADisplayOrWithABadSourceViewSaysWhatToDo() throws {
        let folder = try temporaryFolder()
        let run = try trainRun(in: folder)
        let cases: [([String], [String: String], String)] = [
            (["--run", run], ["DISPLAY": "", "WAYLAND_DISPLAY": ""], "run under `xvfb-run -a`"),
            (["--run", run, "--rating", "100"], [:], "rating 100 is not in"),
            (["--run", run, "--order", "random"], [:], "The value 'random' is invalid for '--order <order>'. Please provide one of 'file', 'rating' or 'disagreement'."),
            (["--run", run, "--best", "2", "--worst", "2"], [:], "at most one of"),
            (["--run", folder], [:], "is not a training run folder: it has no readable config.json"),
            ([], [:], "give a source"),
        ]
        for (arguments, environment, expected) in cases {
            let outcome = try CommandLineTests.run(["view"] + arguments, environment: environment)
            XCTAssertNotEqual(outcome.status, 0, arguments.joined(separator: " "))
            XCTAssert(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1,
                           "\(arguments): \(outcome.error)")
        }
    }
}
