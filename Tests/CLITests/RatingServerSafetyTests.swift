import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RatingStore
import XCTest

/// The rating server holds people's work: other web sites cannot write to it,
/// nobody undoes another rater's rating or destroys one, exports are safe to
/// open in a spreadsheet, raters do not see the answers, and segments that
/// cannot be shown never reach a rater.
final class RatingServerSafetyTests: XCTestCase {
    let json = ["Content-Type": "application/json"]

    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-safe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// A file of `count` cartpole replay requests (20 steps each).
    func segmentsFile(_ count: Int, in folder: String, name: String = "segments.jsonl", state: String = "0.01, 0.02, 0, 0") throws -> String {
        let path = folder + "/" + name
        let actions = (0..<20).map { "[\(Double($0 % 7) / 7 - 0.4)]" }.joined(separator: ",")
        let lines = (0..<count).map { _ in #"{"task": "cartpole-balance", "state": [\#(state)], "actions": [\#(actions)]}"# }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func server(_ folder: String, segments: Int = 3, extra: [String] = []) throws -> RatingServerProcess {
        try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--segments", try segmentsFile(segments, in: folder),
                                            "--classes", "4", "--width", "32", "--height", "24", "--quality", "fast"] + extra)
    }

    func ratings(_ base: String) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(http("GET", base + "/api/ratings").body.utf8)) as! [[String: Any]]
    }

    /// A page on another site (a text/plain form post, or fetch with its own
    /// Origin) and DNS rebinding (a foreign Host) are refused; the page itself is not.
    func testOtherWebSitesCannotWriteOrRead() throws {
        let folder = try folder()
        let server = try server(folder)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let rating = #"{"segment": 1, "rating": 3, "rater": "ann"}"#
        let plain = http("POST", base + "/api/ratings", body: rating, headers: ["Content-Type": "text/plain",
                                                                                 "Origin": "https://evil.example"])
        XCTAssertEqual(plain.status, 403, plain.body)
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating, headers: ["Content-Type": "text/plain"]).status, 415)
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating).status, 415, "no content type: not JSON")
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating, headers: json.merging(["Origin": "https://evil.example"]) { $1 }).status, 403)
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating, headers: json.merging(["Sec-Fetch-Site": "cross-site"]) { $1 }).status, 403)
        let rebound = http("GET", base + "/api/ratings", headers: ["Host": "evil.example:\(server.port)"])
        XCTAssertEqual(rebound.status, 403, "DNS rebinding: \(rebound.body)")
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating, headers: json.merging(["Host": "evil.example"]) { $1 }).status, 403)
        XCTAssertEqual(try ratings(base).count, 0, "nothing refused was stored")

        let samePage = json.merging(["Origin": base, "Sec-Fetch-Site": "same-origin"]) { $1 }
        XCTAssertEqual(http("POST", base + "/api/ratings", body: rating, headers: samePage).status, 201)
        XCTAssertEqual(http("POST", "http://localhost:\(server.port)/api/ratings", body: #"{"segment": 2, "rating": 1, "rater": "ann"}"#,
                            headers: json).status, 201, "a script on this machine")
        XCTAssertEqual(try ratings(base).count, 2)
    }

    /// Undo takes back only the asking rater's own most recent rating, and keeps it (withdrawn).
    func testUndoIsTheRatersOwnAndDestroysNothing() throws {
        let folder = try folder()
        let server = try server(folder)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        var ids: [Int] = []
        for (segment, rater) in [(1, "ann"), (2, "ann"), (1, "bob")] {
            let answer = http("POST", base + "/api/ratings", body: #"{"segment": \#(segment), "rating": 2, "rater": "\#(rater)"}"#, headers: json)
            XCTAssertEqual(answer.status, 201, answer.body)
            ids.append(jsonObject(answer.body)["id"] as! Int)
        }
        XCTAssertEqual(http("DELETE", base + "/api/ratings/\(ids[0])").status, 400, "whose rating is not said")
        XCTAssertEqual(http("DELETE", base + "/api/ratings/\(ids[2])?rater=ann").status, 404, "bob's rating is not ann's to undo")
        let notLast = http("DELETE", base + "/api/ratings/\(ids[0])?rater=ann")
        XCTAssertEqual(notLast.status, 409, notLast.body)
        XCTAssertEqual(jsonObject(notLast.body)["id"] as? Int, ids[1])
        // A script walking the ids, as an attacker would, withdraws nothing of anyone but the one named.
        for id in 1...10 { _ = http("DELETE", base + "/api/ratings/\(id)?rater=mallory") }
        XCTAssertEqual(try ratings(base).count, 3)
        XCTAssertEqual(http("DELETE", base + "/api/ratings/\(ids[1])?rater=ann").status, 200)
        XCTAssertEqual(try ratings(base).map { $0["id"] as! Int }, [ids[0], ids[2]])
        XCTAssert(server.log.contains("rating \(ids[1]) undone by ann"), server.log)

        let export = try CommandLineTests.run(["ratings", "export", "--db", folder + "/r.db", "--withdrawn"])
        XCTAssertEqual(export.status, 0, export.error)
        let lines = export.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "header and all three ratings, the undone one kept: \(export.output)")
        XCTAssert(lines[0].hasSuffix(",withdrawn_at"), String(lines[0]))
        XCTAssertFalse(lines[2].hasSuffix(","), "the undone rating has its time: \(lines[2])")
    }

    /// Names are checked (a NUL once let one rater post as another), exports
    /// neutralise spreadsheet formulas, raters never see true returns or
    /// paths, and an oversized body is answered with a message.
    func testNamesExportsAndAnswersAreSafe() throws {
        let folder = try folder()
        let server = try server(folder)
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        for name in [#"alice\u0000evil"#, "tab\\there", String(repeating: "n", count: 65_000)] {
            let answer = http("POST", base + "/api/ratings", body: #"{"segment": 1, "rating": 1, "rater": "\#(name)"}"#, headers: json)
            XCTAssertEqual(answer.status, 400, answer.body.prefix(200) + "")
            XCTAssertLessThan(answer.body.count, 300, "the answer does not echo a long name")
        }
        XCTAssertEqual(http("GET", base + "/api/next?rater=alice%00evil").status, 400)
        XCTAssertFalse(server.log.contains(String(repeating: "n", count: 100)), "a long name is not logged")
        let formula = "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")"
        XCTAssertEqual(http("POST", base + "/api/ratings", body: #"{"segment": 1, "rating": 1, "rater": "\#(formula)"}"#, headers: json).status, 201)
        XCTAssertEqual(http("POST", base + "/api/ratings", body: #"{"segment": 1, "rating": 0, "rater": "@sum"}"#, headers: json).status, 201)
        let csv = http("GET", base + "/api/ratings?format=csv").body
        XCTAssert(csv.contains(#""'=HYPERLINK(""http://x"",""y"")""#), csv)
        XCTAssert(csv.contains(",'@sum,"), csv)
        let exported = try CommandLineTests.run(["ratings", "export", "--db", folder + "/r.db"])
        XCTAssert(exported.output.contains(",'@sum,") && !exported.output.contains(",@sum,"), exported.output)

        // What raters can read has no true return and no file paths.
        XCTAssertFalse(csv.contains("true_return") || csv.contains("segment_source") || csv.contains(folder), csv)
        let rows = try ratings(base)
        XCTAssert(rows.allSatisfy { $0["true_return"] == nil && $0["segment_source"] == nil }, "\(rows)")
        XCTAssertFalse(http("GET", base + "/api/ratings").body.contains(folder))
        XCTAssert(exported.output.hasPrefix("id,segment,rating,class_count,rater,time,source,task,segment_source"),
                  "the researcher's export keeps them")

        let tooLarge = http("POST", base + "/api/ratings", body: String(repeating: " ", count: 70_000), headers: json)
        XCTAssertEqual(tooLarge.status, 413)
        XCTAssert((jsonObject(tooLarge.body)["error"] as? String ?? "").contains("over 64 KiB"), tooLarge.body)
    }

    /// A segment that cannot be replayed is refused at import, with nothing
    /// imported; one already in a database whose clip cannot be rendered is
    /// logged, passed over and cannot be rated.
    func testSegmentsThatCannotBeShownAreNeverRated() throws {
        let folder = try folder()
        let wrong = try segmentsFile(2, in: folder, name: "wrong.jsonl", state: "0.01, 0.02, 0")
        let refused = try CommandLineTests.run(["rate", "--db", folder + "/new.db", "--segments", wrong, "--classes", "4"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssert(refused.error.contains("line 1) cannot be replayed in cartpole-balance") && refused.error.contains("nothing was imported"),
                  refused.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/new.db"))

        // A database an earlier version filled: segment 1 has a state of the wrong size.
        let database = try RatingDatabase(path: folder + "/old.db", task: "cartpole-balance", classCount: 4)
        try database.addSegments([0, 1].map { index in
            StoredSegment(id: 0, task: "cartpole-balance", source: "old", sourceIndex: index, episode: 0, startStep: 0,
                          startState: index == 0 ? [0.1, 0.2, 0] : [0.01, 0.02, 0, 0], actions: [[0.5], [-0.5]], trueReturn: nil)
        })
        let server = try RatingServerProcess(arguments: ["--db", folder + "/old.db", "--width", "32", "--height", "24", "--quality", "fast"])
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        _ = http("GET", base + "/api/next?rater=ann")
        let clip = http("GET", base + "/api/clips/1.webm")
        XCTAssertEqual(clip.status, 422, clip.body)
        XCTAssert((jsonObject(clip.body)["error"] as? String ?? "").contains("state has 3 entries"), clip.body)
        XCTAssert(server.log.contains("the clip of segment 1 cannot be rendered"), server.log)
        let rated = http("POST", base + "/api/ratings", body: #"{"segment": 1, "rating": 1, "rater": "ann"}"#, headers: json)
        XCTAssertEqual(rated.status, 422, rated.body)
        XCTAssertEqual(jsonObject(http("GET", base + "/api/next?rater=ann").body)["segment"] as? Int, 2, "passed over")
        XCTAssertEqual(http("GET", base + "/api/clips/2.webm").status, 200)
    }

    /// Bad options of `rate` get one line before anything is served.
    func testRateOptionsAreCheckedBeforeServing() throws {
        let folder = try folder()
        let segments = try segmentsFile(2, in: folder)
        let cases: [([String], String)] = [
            (["--width", "0"], "--width and --height must be between 1 and 8192 pixels, got 0x360"),
            (["--height", "20000"], "--width and --height must be between 1 and 8192 pixels, got 480x20000"),
            (["--port", "99999"], "--port must be between 0 and 65535"),
            (["--instructions", folder + "/missing.txt"], "cannot read --instructions"),
        ]
        for (extra, expected) in cases {
            let outcome = try CommandLineTests.run(["rate", "--db", folder + "/r.db", "--segments", segments, "--classes", "4"] + extra)
            XCTAssertNotEqual(outcome.status, 0, "\(extra)")
            XCTAssertEqual(outcome.error.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count, 1, outcome.error)
            XCTAssert(outcome.error.contains(expected), "\(extra): \(outcome.error)")
        }
        let first = try server(folder)
        defer { first.stop() }
        let second = try CommandLineTests.run(["rate", "--db", folder + "/r.db", "--port", "\(first.port)"])
        XCTAssertNotEqual(second.status, 0)
        XCTAssert(second.error.contains("port \(first.port) on 127.0.0.1 is in use"), second.error)
        XCTAssertFalse(second.error.contains("bind("), second.error)
    }

    /// Each task has its own instructions for raters; `--instructions FILE` replaces them.
    func testRatersAreToldWhatGoodBehaviourIs() throws {
        let folder = try folder()
        let server = try server(folder)
        let task = jsonObject(http("GET", "http://127.0.0.1:\(server.port)/api/task").body)
        server.stop()
        XCTAssert((task["instructions"] as? String ?? "").contains("keep the pole"), "\(task)")
        XCTAssertEqual(task["names"] as? [String], ["very bad", "bad", "good", "very good"])

        try "Rate only how smoothly the cart moves.".write(toFile: folder + "/study.txt", atomically: true, encoding: .utf8)
        let study = try RatingServerProcess(arguments: ["--db", folder + "/r.db", "--instructions", folder + "/study.txt"])
        defer { study.stop() }
        XCTAssertEqual(jsonObject(http("GET", "http://127.0.0.1:\(study.port)/api/task").body)["instructions"] as? String,
                       "Rate only how smoothly the cart moves.")
    }
}
