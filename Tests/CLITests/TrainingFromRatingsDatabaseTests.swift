import Foundation
import XCTest

/// `train --ratings-db`: a reward model learned from a ratings database (offline, or online with people rating as the run goes) instead of the synthetic rater.
final class TrainingFromRatingsDatabaseTests: XCTestCase {
    func testARunLearnsFromADatabaseOfRatingsAsWellAsFromTheRaterThatMadeThem() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-offline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let folder = url.path
        let common = ["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "61440", "--first-round", "4096",
                      "--round-interval", "4096", "--ratings", "300", "--ratings-per-round", "50", "--seed", "3", "--quiet"]
        // Run A: the synthetic rater, online. Its 300 ratings go into a database, marked synthetic.
        let online = try CommandLineTests.run(common + ["--out", folder + "/online"])
        XCTAssertEqual(online.status, 0, online.error)
        let imported = try CommandLineTests.run(["ratings", "import", "--db", folder + "/r.db", "--segments", folder + "/online", "--synthetic"])
        XCTAssertEqual(imported.status, 0, imported.error)
        XCTAssert(imported.output.contains("stored 300 synthetic ratings"), imported.output)
        // Run B: the same run learning from the database alone.
        let offline = try CommandLineTests.run(common + ["--ratings-db", folder + "/r.db", "--out", folder + "/offline"])
        XCTAssertEqual(offline.status, 0, offline.error)
        XCTAssert(offline.error.contains("learning from 300 ratings in \(folder)/r.db"), offline.error)

        func summary(_ run: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(run)/summary.json"))) as! [String: Any]
        }
        func bestEvaluation(_ run: String) throws -> Double {
            try String(contentsOfFile: "\(folder)/\(run)/evaluations.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { Double($0.split(separator: ",")[1])! }.max()!
        }
        let (a, b) = (try summary("online"), try summary("offline"))
        XCTAssertEqual(b["ratings"] as? Int, 300)
        let spearmanA = a["final_spearman"] as! Double, spearmanB = b["final_spearman"] as! Double
        XCTAssertGreaterThan(spearmanB, 0.8, "the reward model learned from the database ranks held-out segments poorly")
        XCTAssertGreaterThan(spearmanB, spearmanA - 0.05, "stored ratings taught less than the rater's own (\(spearmanB) vs \(spearmanA))")
        XCTAssertGreaterThan(try bestEvaluation("offline"), 0.75 * (try bestEvaluation("online")), "the policy learned less from stored ratings")
        // The run's ratings.jsonl holds the database's ratings, all in the first round.
        let lines = try String(contentsOfFile: folder + "/offline/ratings.jsonl", encoding: .utf8).split(separator: "\n")
        let original = try String(contentsOfFile: folder + "/online/ratings.jsonl", encoding: .utf8).split(separator: "\n")
        func classes(_ lines: [Substring]) -> [Int] {
            lines.map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["rating"] as! Int }
        }
        XCTAssertEqual(classes(lines), classes(original))
        XCTAssert(lines.allSatisfy { $0.contains("\"round\":0") })
    }

    /// `train --ratings-db F --wait`: each round's segments go to F, the run waits,
    /// and a scripted person rates them through the page's API.
    func testAnOnlineRunWaitsForPeopleToRateEachRound() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-online-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        let folder = url.path, database = folder + "/r.db"
        let train = Process()
        train.executableURL = Bundle.main.bundleURL.appendingPathComponent("ratingrl")
        train.arguments = ["train", "--task", "cartpole-balance", "--method", "ours", "--steps", "8192", "--set", "environments=2",
                           "--first-round", "2048", "--round-interval", "2048", "--ratings", "20", "--ratings-per-round", "10",
                           "--reward-epochs", "2", "--ratings-db", database, "--wait", "--out", folder + "/run", "--quiet"]
        train.currentDirectoryURL = CommandLineTests.repositoryRoot
        let trainErrors = Pipe()
        train.standardError = trainErrors
        train.standardOutput = FileHandle.nullDevice
        try train.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: database) && Date() < deadline { usleep(50_000) }
        let server = try RatingServerProcess(arguments: ["--db", database])
        defer { server.stop() }
        var given: [Int: Int] = [:]
        while train.isRunning && Date() < deadline {
            let next = jsonObject(http("GET", "http://127.0.0.1:\(server.port)/api/next?rater=person").body)
            guard let segment = next["segment"] as? Int else { usleep(100_000); continue }
            let answer = http("POST", "http://127.0.0.1:\(server.port)/api/ratings",
                              body: #"{"segment": \#(segment), "rating": \#(segment % 4), "rater": "person"}"#,
                              headers: ["Content-Type": "application/json"])
            XCTAssertEqual(answer.status, 201, answer.body)
            given[segment] = segment % 4
        }
        train.waitUntilExit()
        let log = String(decoding: trainErrors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(train.terminationStatus, 0, log)
        XCTAssert(log.contains("feedback round 1: 0 of 10 segments rated in \(database)"), log)
        XCTAssertEqual(given.count, 20, "two rounds of 10 segments were offered")
        // The run's ratings are the person's, round by round, in the order the segments were offered.
        let lines = try String(contentsOfFile: folder + "/run/ratings.jsonl", encoding: .utf8).split(separator: "\n")
        let classes = lines.map { (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["rating"] as! Int }
        XCTAssertEqual(classes, (1...20).map { $0 % 4 })
        XCTAssertEqual(try String(contentsOfFile: folder + "/run/feedback.jsonl", encoding: .utf8).split(separator: "\n").count, 2)
    }
}
