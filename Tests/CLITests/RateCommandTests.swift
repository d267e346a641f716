import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A `ratingrl rate` server started as a user starts it, on a free loopback port.
final class RatingServerProcess {
    let process = Process()
    private(set) var port = 0
    private let output = LockedText()

    /// Starts the server and waits for its address line.
    init(arguments: [String]) throws {
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        process.arguments = ["rate", "--port", "0"] + arguments
        process.currentDirectoryURL = CommandLineTests.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(String(decoding: handle.availableData, as: UTF8.self)) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            if let range = output.text.range(of: #"rating page: http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                port = Int(output.text[range].split(separator: ":").last!)!
                return
            }
            usleep(20_000)
        }
        throw NSError(domain: "rate", code: 1, userInfo: [NSLocalizedDescriptionKey: "the server did not start: \(output.text)"])
    }

    var log: String { output.text }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ text: String) { lock.lock(); value += text; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return value }
}

/// One HTTP exchange: status (0 when the connection failed) and body.
func http(_ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], timeout: Double = 30) -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: url)!, timeoutInterval: timeout)
    request.httpMethod = method
    request.httpBody = body.map { Data($0.utf8) }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let done = DispatchSemaphore(value: 0)
    let result = LockedText(), status = LockedText()
    URLSession.shared.dataTask(with: request) { data, response, _ in
        status.append("\((response as? HTTPURLResponse)?.statusCode ?? 0)")
        result.append(data.map { String(decoding: $0, as: UTF8.self) } ?? "")
        done.signal()
    }.resume()
    done.wait()
    return (Int(status.text) ?? 0, result.text)
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

final class RateCommandTests: XCTestCase {
    func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-rate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// A file of `count` cartpole replay requests of `steps` steps.
    func segmentsFile(_ count: Int, steps: Int = 20, in folder: String) throws -> String {
        let path = folder + "/segments.jsonl"
        let lines = (0..<count).map { i -> String in
            let actions = (0..<steps).map { "[\(Double((i + $0) % 7) / 7 - 0.4)]" }.joined(separator: ",")
            return #"{"task": "cartpole-balance", "state": [\#(Double(i % 10) / 50), 0.02, 0, 0], "actions": [\#(actions)]}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testTheAPIStoresChecksUndoesAndExportsRatings() throws {
        let folder = try temporaryFolder()
        let server = try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--segments", try segmentsFile(3, in: folder),
                                                         "--classes", "4", "--width", "96", "--height", "72"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        XCTAssert(server.log.contains("imported 3 new segments of 3"), server.log)

        let next = jsonObject(http("GET", base + "/api/next?rater=ann").body)
        XCTAssertEqual(next["segment"] as? Int, 1)
        XCTAssertEqual(next["following"] as? Int, 2)
        XCTAssertEqual(next["names"] as? [String], ["very bad", "bad", "good", "very good"])
        XCTAssertEqual(next["total"] as? Int, 3)
        let clip = http("GET", base + "/api/clips/1.webm")
        XCTAssertEqual(clip.status, 200)
        XCTAssert(clip.body.utf8.starts(with: [0x1A, 0x45, 0xDF, 0xA3]), "not a WebM (EBML) file")
        XCTAssertEqual(http("GET", base + "/").status, 200)

        let post = { (body: String) in http("POST", base + "/api/ratings", body: body, headers: ["Content-Type": "application/json"]) }
        let stored = post(#"{"segment": 1, "rating": 3, "rater": "ann"}"#)
        XCTAssertEqual(stored.status, 201, stored.body)
        let id = jsonObject(stored.body)["id"] as! Int
        for (body, status, message) in [(#"{"segment": 2, "rating": 4, "rater": "ann"}"#, 400, "outside 0...3"),
                                        (#"{"segment": 99, "rating": 1, "rater": "ann"}"#, 400, "no segment 99"),
                                        (#"{"segment": 2, "rating": 1}"#, 400, "send {"),
                                        ("{not json", 400, "not a JSON object"),
                                        (#"{"segment": 1, "rating": 0, "rater": "ann"}"#, 409, "already rated segment 1")] {
            let answer = post(body)
            XCTAssertEqual(answer.status, status, body)
            XCTAssert((jsonObject(answer.body)["error"] as? String ?? "").contains(message), answer.body)
        }
        XCTAssertEqual(jsonObject(http("GET", base + "/api/next?rater=ann").body)["segment"] as? Int, 2)
        XCTAssertEqual(jsonObject(http("GET", base + "/api/next?rater=ann&after=2").body)["segment"] as? Int, 3, "skip")
        XCTAssertEqual(http("GET", base + "/api/next").status, 400)

        let all = try JSONSerialization.jsonObject(with: Data(http("GET", base + "/api/ratings").body.utf8)) as! [[String: Any]]
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all[0]["rating"] as? Int, 3)
        XCTAssertEqual(all[0]["rater"] as? String, "ann")
        XCTAssert(http("GET", base + "/api/ratings?format=csv").body.hasPrefix("id,segment,rating,class_count,rater"))

        XCTAssertEqual(http("DELETE", base + "/api/ratings/\(id)?rater=ann").status, 200)
        XCTAssertEqual(http("DELETE", base + "/api/ratings/\(id)?rater=ann").status, 404)
        XCTAssertEqual(jsonObject(http("GET", base + "/api/next?rater=ann").body)["segment"] as? Int, 1, "undone: offered again")

        // The same export from the command line.
        let export = try CommandLineTests.run(["ratings", "export", "--db", folder + "/r.db", "--format", "jsonl"])
        XCTAssertEqual(export.status, 0, export.error)
        XCTAssertEqual(export.output, "", "the undone rating is not exported")
        let kept = try CommandLineTests.run(["ratings", "export", "--db", folder + "/r.db", "--format", "jsonl", "--withdrawn"])
        XCTAssertEqual(kept.status, 0, kept.error)
        XCTAssertEqual(kept.output.split(separator: "\n").count, 1, "…but kept, marked withdrawn: \(kept.output)")
        XCTAssertNotNil(jsonObject(kept.output)["withdrawn_at"] as? Double, kept.output)
        XCTAssert(kept.output.hasSuffix("}\n") && !kept.output.hasSuffix("\n\n"), "one line per rating, no blank line after the last")
    }

    func testOffLoopbackTheServerNeedsATokenAndEveryRequestCarriesIt() throws {
        let folder = try temporaryFolder()
        let segments = try segmentsFile(2, in: folder)
        let open = try CommandLineTests.run(["rate", "--db", folder + "/r.db", "--segments", segments, "--classes", "4",
                                             "--host", "0.0.0.0"])
        XCTAssertNotEqual(open.status, 0)
        XCTAssert(open.error.contains("add --token T"), open.error)

        let server = try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--segments", segments, "--classes", "4",
                                                         "--token", "s3cret-token"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        XCTAssert(server.log.contains("/?token=s3cret-token"), server.log)
        XCTAssertEqual(http("GET", base + "/api/next?rater=ann").status, 401)
        XCTAssertEqual(http("GET", base + "/").status, 401)
        XCTAssertEqual(http("GET", base + "/api/next?rater=ann&token=wrong").status, 401)
        XCTAssertEqual(http("GET", base + "/api/next?rater=ann&token=s3cret-token").status, 200)
        XCTAssertEqual(http("POST", base + "/api/ratings", body: #"{"segment": 1, "rating": 1, "rater": "ann"}"#,
                            headers: ["Authorization": "Bearer s3cret-token", "Content-Type": "application/json"]).status, 201)
    }

    func testBadDatabasesAndSourcesAreRefusedAndLeftAlone() throws {
        let folder = try temporaryFolder()
        let segments = try segmentsFile(2, in: folder)
        try "not a database, but someone's notes".write(toFile: folder + "/notes.db", atomically: true, encoding: .utf8)
        _ = try CommandLineTests.run(["ratings", "import", "--db", folder + "/walker.db", "--segments", segments, "--classes", "3"])
        try "".write(toFile: folder + "/empty.jsonl", atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--db", folder + "/notes.db", "--segments", segments, "--classes", "4"], "is not a usable ratings database"),
            (["--db", folder + "/walker.db", "--segments", segments, "--classes", "4"], "holds ratings of cartpole-balance with 3 classes"),
            (["--db", folder + "/new.db", "--segments", folder + "/empty.jsonl", "--classes", "4"], "holds no segments"),
            (["--db", folder + "/new.db", "--segments", folder + "/missing", "--classes", "4"], "no segment source at"),
            (["--db", folder + "/new.db", "--segments", folder, "--classes", "4"], "is not a training run folder: it has no readable config.json"),
            (["--db", folder + "/new.db", "--segments", segments], "say how many rating classes"),
            (["--db", folder + "/new.db", "--segments", segments, "--classes", "7"], "2 to 6 classes"),
        ]
        for (arguments, expected) in cases {
            let outcome = try CommandLineTests.run(["rate"] + arguments)
            XCTAssertNotEqual(outcome.status, 0, arguments.joined(separator: " "))
            XCTAssert(outcome.error.contains(expected), "\(arguments): \(outcome.error)")
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, outcome.error)
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/notes.db", encoding: .utf8), "not a database, but someone's notes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/new.db"), "a refused source creates no database")
    }

    /// Runs scripts/tests/drive-rating-page.py (Chromium over the DevTools
    /// protocol) with `arguments` and returns its report; fails the test if it fails.
    func drivePage(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "180", "python3", CommandLineTests.repositoryRoot.path + "/scripts/tests/drive-rating-page.py"]
            + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "the browser script failed: \(text)", file: file, line: line)
        return jsonObject(text)
    }

    /// Debian's Chromium, headless, opens the page, plays the clip and rates with the keyboard
    /// (scripts/tests/drive-rating-page.py speaks the DevTools protocol on a pipe).
    func testAPersonRatesWithTheKeyboardInHeadlessChromium() throws {
        let folder = try temporaryFolder()
        let server = try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--segments",
                                                         try segmentsFile(3, steps: 50, in: folder), "--classes", "4"])
        defer { server.stop() }
        // Rate segment 1 as 2 and segment 2 as 3, undo that, rate segment 2 as 1.
        let report = try drivePage(["http://127.0.0.1:\(server.port)/?rater=chromium", folder + "/page.png", "2", "3", "Backspace", "1"])
        XCTAssertEqual(report["progress"] as? [String], ["0 of 3 rated", "1 of 3 rated", "2 of 3 rated", "1 of 3 rated", "2 of 3 rated"])

        let rows = try JSONSerialization.jsonObject(with: Data(http("GET", "http://127.0.0.1:\(server.port)/api/ratings").body.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.map { [$0["segment"] as! Int, $0["rating"] as! Int] }, [[1, 2], [2, 1]])
        XCTAssert(rows.allSatisfy { $0["rater"] as? String == "chromium" && $0["source"] as? String == "human" })

        // The screenshot shows a clip, not an empty box: many colours inside the video's rectangle.
        let box = try XCTUnwrap(report["videoBox"] as? [Int])
        let decode = Process()
        decode.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        decode.arguments = ["ffmpeg", "-v", "error", "-i", folder + "/page.png", "-vf", "crop=\(box[2]):\(box[3]):\(box[0]):\(box[1])",
                            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pixels = Pipe()
        decode.standardOutput = pixels
        try decode.run()
        let bytes = [UInt8](pixels.fileHandleForReading.readDataToEndOfFile())
        decode.waitUntilExit()
        XCTAssertEqual(bytes.count, box[2] * box[3] * 3)
        var colours = Set<Int>()
        for offset in stride(from: 0, to: bytes.count - 2, by: 3) {
            let red = Int(bytes[offset]), green = Int(bytes[offset + 1]), blue = Int(bytes[offset + 2])
            colours.insert(red << 16 | green << 8 | blue)
        }
        XCTAssertGreaterThan(colours.count, 500, "the clip area of the page is (nearly) blank")
    }

    /// On a phone (390 x 844, touch only) the page fits the screen: a viewport
    /// tag, the clip scaled to the width, every button inside the window,
    /// visible undo and skip buttons; before a name is entered it says what to
    /// do instead of showing an empty box. Rated by tapping alone.
    func testOnAPhoneThePageWorksByTouchAlone() throws {
        let folder = try temporaryFolder()
        let server = try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--segments",
                                                         try segmentsFile(4, steps: 50, in: folder), "--classes", "4"])
        defer { server.stop() }
        // Type a name and tap Start; tap "2", tap "3", tap Undo, tap Skip, tap "1".
        let report = try drivePage(["--phone", "--no-clip-first", "http://127.0.0.1:\(server.port)/", folder + "/phone-start.png",
                                    "type:#rater:thumb", "tap:#go", "shot:" + folder + "/phone.png", "tap:#scale button:nth-child(3)",
                                    "tap:#scale button:nth-child(4)", "tap:#undo", "tap:#skip", "tap:#scale button:nth-child(2)"])
        // Before the name: instructions and what to do, no clip box or scale yet.
        let start = try XCTUnwrap(report["firstLayout"] as? [String: Any])
        XCTAssertEqual(start["viewport"] as? String, "width=device-width, initial-scale=1")
        XCTAssert((start["start"] as? String ?? "").hasPrefix("Enter your name and press Start"), "\(start)")
        XCTAssert((start["instructions"] as? String ?? "").contains("pole"), "\(start)")
        XCTAssert(start["video"] is NSNull, "no empty black box before a name: \(start)")
        XCTAssertEqual(report["progress"] as? [String], ["", "0 of 4 rated", "1 of 4 rated", "2 of 4 rated", "1 of 4 rated", "1 of 4 rated", "2 of 4 rated"])
        // Rating: everything inside the 390-pixel-wide window.
        let layout = try XCTUnwrap(report["layout"] as? [String: Any])
        XCTAssertEqual(layout["scrollWidth"] as? Int, 390, "nothing overflows sideways: \(layout)")
        let video = try XCTUnwrap(layout["video"] as? [Int])
        XCTAssert(video[0] >= 0 && video[0] + video[2] <= 390 && video[2] >= 300, "the clip is scaled to the width: \(video)")
        let buttons = try XCTUnwrap(layout["buttons"] as? [[String: Any]])
        let texts = buttons.map { $0["text"] as? String ?? "" }
        for label in ["0 very bad", "3 very good", "Undo last rating", "Skip this clip"] {
            XCTAssert(texts.contains { $0.contains(label) }, "\(label) is shown: \(texts)")
        }
        for button in buttons {
            let box = button["box"] as! [Int]
            XCTAssert(box[0] >= 0 && box[0] + box[2] <= 390, "\(button) sticks out of the window")
        }
        XCTAssertEqual(layout["keys"] as? String, "Keys: 0…3 rate · space replay · Backspace undo · s skip")

        let rows = try JSONSerialization.jsonObject(with: Data(http("GET", "http://127.0.0.1:\(server.port)/api/ratings").body.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.map { [$0["segment"] as! Int, $0["rating"] as! Int] }, [[1, 2], [3, 1]], "segment 2 undone, then skipped")
        XCTAssert(rows.allSatisfy { $0["rater"] as? String == "thumb" })
    }

    /// The server is SIGKILLed three times while four raters post concurrently;
    /// every rating acknowledged with 201 survives, none is stored twice, and
    /// each rater continues where they stopped.
    func testKillingTheServerBetweenRatingsLosesNoAcknowledgedRating() throws {
        let folder = try temporaryFolder()
        let segmentCount = 40, raters = ["r0", "r1", "r2", "r3"]
        let arguments = ["--db", folder + "/r.db", "--segments", try segmentsFile(segmentCount, in: folder), "--classes", "5",
                         "--width", "32", "--height", "24", "--quality", "fast"]
        let state = DurabilityState(server: try RatingServerProcess(arguments: arguments))
        let killer = Thread {
            for kill in 1...3 {
                while state.acknowledgedCount < kill * raters.count * segmentCount / 4 { usleep(2000) }
                state.restart { $0.kill(); return try! RatingServerProcess(arguments: arguments) }
            }
        }
        killer.start()
        DispatchQueue.concurrentPerform(iterations: raters.count) { worker in
            let rater = raters[worker]
            var segment = 1
            while segment <= segmentCount {
                let rating = (segment * 7 + worker) % 5
                let answer = http("POST", "http://127.0.0.1:\(state.port)/api/ratings",
                                  body: #"{"segment": \#(segment), "rating": \#(rating), "rater": "\#(rater)"}"#,
                                  headers: ["Content-Type": "application/json"], timeout: 5)
                switch answer.status {
                case 201:
                    state.acknowledge(id: jsonObject(answer.body)["id"] as! Int, rater: rater, segment: segment, rating: rating)
                    segment += 1
                case 409:  // committed just before a kill, unacknowledged: it is there once
                    segment += 1
                default:   // the server is down: wait for it and post the same rating again
                    usleep(50_000)
                }
            }
        }
        while killer.isExecuting { usleep(10_000) }
        XCTAssertEqual(state.restarts, 3)
        let server = state.current
        defer { server.stop() }
        let rows = try JSONSerialization.jsonObject(with: Data(http("GET", "http://127.0.0.1:\(server.port)/api/ratings").body.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.count, raters.count * segmentCount, "every rater rated every segment exactly once")
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! Int, $0) })
        for acknowledged in state.acknowledged {
            let row = try XCTUnwrap(byID[acknowledged.id], "acknowledged rating \(acknowledged.id) is lost")
            XCTAssertEqual(row["rater"] as? String, acknowledged.rater)
            XCTAssertEqual(row["segment"] as? Int, acknowledged.segment)
            XCTAssertEqual(row["rating"] as? Int, acknowledged.rating)
        }
        XCTAssertEqual(Set(rows.map { "\($0["rater"]!)/\($0["segment"]!)" }).count, rows.count, "a rating stored twice")
        for rater in raters {
            XCTAssert(jsonObject(http("GET", "http://127.0.0.1:\(server.port)/api/next?rater=\(rater)").body)["segment"] is NSNull)
        }
        XCTAssertGreaterThanOrEqual(state.acknowledged.count, rows.count - 3 * raters.count,
                                    "at most one unacknowledged rating per rater per kill")
    }
}

/// What the durability test's workers share.
final class DurabilityState: @unchecked Sendable {
    struct Acknowledged { let id: Int; let rater: String; let segment: Int; let rating: Int }
    private let lock = NSLock()
    private var server: RatingServerProcess
    private var list: [Acknowledged] = []
    private(set) var restarts = 0

    init(server: RatingServerProcess) { self.server = server }

    var port: Int { lock.lock(); defer { lock.unlock() }; return server.port }
    var current: RatingServerProcess { lock.lock(); defer { lock.unlock() }; return server }
    var acknowledged: [Acknowledged] { lock.lock(); defer { lock.unlock() }; return list }
    var acknowledgedCount: Int { lock.lock(); defer { lock.unlock() }; return list.count }

    func acknowledge(id: Int, rater: String, segment: Int, rating: Int) {
        lock.lock(); list.append(Acknowledged(id: id, rater: rater, segment: segment, rating: rating)); lock.unlock()
    }

    /// Replaces the server by what `replace` makes of the old one (kill, start again).
    func restart(_ replace: (RatingServerProcess) -> RatingServerProcess) {
        let old = current
        let new = replace(old)
        lock.lock(); server = new; restarts += 1; lock.unlock()
    }
}
