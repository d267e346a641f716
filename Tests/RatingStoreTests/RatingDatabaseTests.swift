import Foundation
import GRDB
import RatingStore
import XCTest

extension XCTestCase {
    /// A new empty folder under the temporary directory, removed after the test.
    func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

final class RatingDatabaseTests: XCTestCase {

    func segments(_ count: Int, source: String = "/runs/a") -> [StoredSegment] {
        (0..<count).map { (i: Int) -> StoredSegment in
            let state: [Double] = [0.1 * Double(i), 0, 0, 0]
            let actions: [[Double]] = [[0.5], [-0.5]]
            return StoredSegment(id: 0, task: "cartpole-balance", source: source, sourceIndex: i, episode: i / 4,
                                 startStep: 50 * (i % 4), startState: state, actions: actions, trueReturn: Double(i))
        }
    }

    func testSegmentsAreImportedOnceAndComeBackWhole() throws {
        let database = try RatingDatabase(path: try folder() + "/r.db", task: "cartpole-balance", classCount: 4)
        XCTAssertEqual(try database.addSegments(segments(3)), 3)
        XCTAssertEqual(try database.addSegments(segments(5)), 2, "the first three are already there")
        let stored = try database.segments()
        XCTAssertEqual(stored.map(\.id), [1, 2, 3, 4, 5])
        var expected = segments(5)[4]
        expected.id = 5
        XCTAssertEqual(stored[4], expected)
    }

    func testEachRaterIsOfferedEverySegmentOnceAndRatingsAreChecked() throws {
        let database = try RatingDatabase(path: try folder() + "/r.db", task: "cartpole-balance", classCount: 3)
        try database.addSegments(segments(3))
        XCTAssertEqual(try database.nextSegment(for: "ann"), 1)
        let first = try database.addRating(segment: 1, rating: 2, rater: "ann")
        XCTAssertEqual(try database.nextSegment(for: "ann"), 2)
        XCTAssertEqual(try database.nextSegment(for: "bob"), 1, "another rater starts from the first")
        XCTAssertEqual(try database.nextSegment(for: "ann", after: 2), 3, "skipping segment 2")
        XCTAssertEqual(try database.nextSegment(for: "ann", after: 3), 2, "wrapping around to the skipped one")
        try database.addRating(segment: 2, rating: 0, rater: "ann")
        try database.addRating(segment: 3, rating: 1, rater: "ann")
        XCTAssertNil(try database.nextSegment(for: "ann"))
        XCTAssertEqual(try database.ratedCount(by: "ann"), 3)

        for (segment, rating, rater, message) in [(Int64(1), 3, "bob", "rating 3 is outside 0...2 (3 classes)"),
                                                  (1, -1, "bob", "outside"), (9, 1, "bob", "there is no segment 9"),
                                                  (1, 1, "  ", "needs a rater name"),
                                                  (1, 0, "ann", "ann has already rated segment 1 (rating \(first.id))")] {
            XCTAssertThrowsError(try database.addRating(segment: segment, rating: rating, rater: rater)) { error in
                XCTAssert("\(error)".contains(message), "\(error)")
            }
        }
        XCTAssertEqual(try database.ratings().count, 3, "refused ratings store nothing")
    }

    /// Undo withdraws only the asking rater's most recent rating, and keeps it.
    func testUndoWithdrawsOnlyTheRatersOwnLastRatingAndKeepsIt() throws {
        let database = try RatingDatabase(path: try folder() + "/r.db", task: "cartpole-balance", classCount: 3)
        try database.addSegments(segments(3))
        let ids = try (1...3).map { try database.addRating(segment: Int64($0), rating: $0 % 3, rater: "ann").id }
        let bobs = try database.addRating(segment: 1, rating: 0, rater: "bob").id
        XCTAssertEqual(try database.withdrawRating(ids[2], by: "bob"), .notFound, "nobody undoes another rater's rating")
        XCTAssertEqual(try database.withdrawRating(bobs, by: "ann"), .notFound)
        XCTAssertEqual(try database.withdrawRating(ids[0], by: "ann"), .notLast(ids[2]), "only the most recent one")
        XCTAssertEqual(try database.withdrawRating(ids[2], by: "ann"), .withdrawn)
        XCTAssertEqual(try database.withdrawRating(ids[2], by: "ann"), .notFound, "already withdrawn")
        XCTAssertEqual(try database.nextSegment(for: "ann"), 3, "an undone rating offers its segment again")
        XCTAssertEqual(try database.ratedCount(by: "ann"), 2)
        XCTAssertEqual(try database.ratings().map(\.id), [ids[0], ids[1], bobs], "training and exports skip it")
        let all = try database.ratings(includingWithdrawn: true)
        XCTAssertEqual(all.map(\.id), [ids[0], ids[1], ids[2], bobs], "nothing a person gave is deleted")
        XCTAssertNotNil(all[2].withdrawnAt)
        let again = try database.addRating(segment: 3, rating: 2, rater: "ann")
        XCTAssertEqual(try database.ratings(includingWithdrawn: true).count, 5, "rated again beside the withdrawn one")
        XCTAssertEqual(try database.withdrawRating(ids[1], by: "ann"), .notLast(again.id))
    }

    /// A NUL used to cut a name short in SQLite ("alice\0evil" stored as
    /// "alice"), so one rater could post as another; 65 kB names were kept.
    func testRaterNamesAreBoundedAndHoldNoControlCharacters() throws {
        let database = try RatingDatabase(path: try folder() + "/r.db", task: "cartpole-balance", classCount: 3)
        try database.addSegments(segments(1))
        for (name, message) in [("alice\u{0}evil", "control characters"), ("tab\there", "control characters"),
                                ("line\nbreak", "control characters"), (String(repeating: "a", count: 65), "at most 64 characters"),
                                (String(repeating: "x", count: 65_000), "at most 64 characters")] {
            XCTAssertThrowsError(try database.addRating(segment: 1, rating: 0, rater: name)) { error in
                XCTAssert("\(error)".contains(message), "\(error)")
            }
        }
        XCTAssertEqual(try database.ratings().count, 0)
        XCTAssertEqual(try database.addRating(segment: 1, rating: 0, rater: "  Zoë 🙂 " + String(repeating: "b", count: 58)).rater.count, 64)
    }

    /// A database made before undo kept withdrawn ratings (schema v1) is upgraded in place, its ratings intact.
    func testADatabaseOfTheFirstSchemaIsUpgraded() throws {
        let path = try folder() + "/old.db"
        let queue = try DatabaseQueue(path: path)
        var first = DatabaseMigrator()
        first.registerMigration("v1: segments and ratings") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE segments (id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL, source TEXT NOT NULL,
                    source_index INTEGER NOT NULL, episode INTEGER NOT NULL, start_step INTEGER NOT NULL,
                    start_state TEXT NOT NULL, actions TEXT NOT NULL, true_return REAL, UNIQUE (source, source_index));
                CREATE TABLE ratings (id INTEGER PRIMARY KEY AUTOINCREMENT, segment_id INTEGER NOT NULL REFERENCES segments(id),
                    class INTEGER NOT NULL, class_count INTEGER NOT NULL, rater TEXT NOT NULL, time REAL NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('human', 'synthetic')));
                CREATE UNIQUE INDEX one_rating_per_rater ON ratings (rater, segment_id);
                INSERT INTO meta VALUES ('task', 'cartpole-balance'), ('classes', '3');
                INSERT INTO segments (task, source, source_index, episode, start_step, start_state, actions)
                    VALUES ('cartpole-balance', 's', 0, 0, 0, '[0,0,0,0]', '[[0]]');
                INSERT INTO ratings (segment_id, class, class_count, rater, time, source) VALUES (1, 2, 3, 'ann', 1.5, 'human');
                """)
        }
        try first.migrate(queue)
        try queue.close()
        let database = try RatingDatabase(path: path, task: "cartpole-balance", classCount: 3)
        XCTAssertEqual(try database.ratings().map(\.rating), [2])
        XCTAssertEqual(try database.withdrawRating(1, by: "ann"), .withdrawn)
        XCTAssertEqual(try database.addRating(segment: 1, rating: 1, rater: "ann").rating, 1)
    }

    func testADatabaseOfAnotherTaskOrScaleIsRefusedAndACorruptFileLeftAlone() throws {
        let path = try folder() + "/r.db"
        _ = try RatingDatabase(path: path, task: "walker-walk", classCount: 4)
        XCTAssertThrowsError(try RatingDatabase(path: path, task: "cartpole-balance", classCount: 4)) { error in
            XCTAssertEqual("\(error)", "\(path) holds ratings of walker-walk with 4 classes, not cartpole-balance with 4; use another --db or --classes 4")
        }
        XCTAssertThrowsError(try RatingDatabase(path: path, task: "walker-walk", classCount: 2)) { error in
            XCTAssert("\(error)".contains("holds ratings of walker-walk with 4 classes"), "\(error)")
        }
        XCTAssertEqual(try RatingDatabase.describe(path: path).task, "walker-walk")

        let garbage = try folder() + "/notes.db"
        let bytes = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try RatingDatabase(path: garbage, task: "walker-walk", classCount: 4)) { error in
            XCTAssert("\(error)".contains("is not a usable ratings database") && "\(error)".contains("left as it is"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: garbage)), bytes, "the file was changed")

        // A real database with a page of its table overwritten fails the integrity check.
        let damaged = try folder() + "/damaged.db"
        do {
            let database = try RatingDatabase(path: damaged, task: "cartpole-balance", classCount: 4)
            try database.addSegments(segments(200))
        }
        try checkpointAndClose(damaged)
        var file = try Data(contentsOf: URL(fileURLWithPath: damaged))
        XCTAssertGreaterThan(file.count, 3 * 4096)
        // The b-tree header of the third page (and the cells after it).
        file.replaceSubrange(2 * 4096..<2 * 4096 + 300, with: Data(repeating: 0xA5, count: 300))
        try file.write(to: URL(fileURLWithPath: damaged))
        XCTAssertThrowsError(try RatingDatabase(path: damaged, task: "cartpole-balance", classCount: 4)) { error in
            XCTAssert("\(error)".contains("integrity check") || "\(error)".contains("not a usable"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: damaged)), file, "the damaged file was changed")
    }

    /// `rate --db F` started beside `train --ratings-db F` may read F the
    /// moment it appears: it must then already say what it was made for.
    func testADatabaseAppearsOnlyWhenComplete() throws {
        let folder = try folder()
        final class Findings: @unchecked Sendable {
            let lock = NSLock()
            var failures: [String] = []
            var seen = 0
            func add(_ failure: String?) { lock.lock(); seen += 1; failure.map { failures.append($0) }; lock.unlock() }
        }
        let findings = Findings()
        for i in 0..<25 {
            let path = folder + "/r\(i).db"
            let done = DispatchSemaphore(value: 0)
            let watcher = Thread {
                // Bounded, so that a creation that throws does not leave this thread spinning.
                let deadline = Date().addingTimeInterval(30)
                while !FileManager.default.fileExists(atPath: path) {
                    guard Date() < deadline else { findings.add("\(path) never appeared"); done.signal(); return }
                }
                do { _ = try RatingDatabase.describe(path: path); findings.add(nil) } catch { findings.add("\(error)") }
                done.signal()
            }
            watcher.start()
            _ = try RatingDatabase(path: path, task: "walker-walk", classCount: 4)
            done.wait()
        }
        XCTAssertEqual(findings.seen, 25)
        XCTAssertEqual(findings.failures, [], "a reader saw a half-made database")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".new-") }
        XCTAssertEqual(left, [], "temporary files were left behind")

        XCTAssertThrowsError(try RatingDatabase(path: folder + "/missing/r.db", task: "walker-walk", classCount: 4)) { error in
            XCTAssert("\(error)".contains("cannot create the ratings database") && "\(error)".contains("folder exists"), "\(error)")
        }
    }

    /// Moves the WAL into the main file so that the file alone holds the data.
    func checkpointAndClose(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.execute('PRAGMA journal_mode=DELETE'); c.close()", path]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testExportsCarryEveryRatingWithItsSegment() throws {
        let database = try RatingDatabase(path: try folder() + "/r.db", task: "cartpole-balance", classCount: 4)
        try database.addSegments(segments(2))
        try database.addRating(segment: 2, rating: 3, rater: "Ann, \"the\" rater", time: Date(timeIntervalSince1970: 100))
        try database.addRating(segment: 1, rating: 0, rater: "synthetic", source: .synthetic, time: Date(timeIntervalSince1970: 200))
        let rows = try RatingExport.rows(database)
        XCTAssertEqual(RatingExport.csv(rows), """
            id,segment,rating,class_count,rater,time,source,task,segment_source,source_index,start_step,true_return
            1,2,3,4,"Ann, ""the"" rater",100.000,human,cartpole-balance,/runs/a,1,50,1.0
            2,1,0,4,synthetic,200.000,synthetic,cartpole-balance,/runs/a,0,0,0.0

            """)
        let lines = try RatingExport.jsonLines(rows).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let decoded = try JSONDecoder().decode(RatingExport.Row.self, from: Data(lines[0].utf8))
        XCTAssertEqual(decoded, rows[0])
        XCTAssertEqual(RatingExport.classNames(4), ["very bad", "bad", "good", "very good"])
        for n in 2...6 { XCTAssertEqual(RatingExport.classNames(n).count, n) }
    }
}
