import Control
import Foundation
import PythonCheck
import RatingStore
import XCTest

/// `ratings export --format npz`: a ratings database read back with numpy equals the database.
final class RatingDatasetTests: XCTestCase {
    let task = "cartpole-balance"

    /// Four cartpole segments of 10 steps from different start states; the last without a known true return.
    func segments() -> [StoredSegment] {
        (0..<4).map { i in
            let actions = (0..<10).map { t in [sin(Double(i + t))] }
            return StoredSegment(id: 0, task: task, source: "/runs/r\(i % 2)", sourceIndex: i, episode: i, startStep: 10 * i,
                                 startState: [0.05 * Double(i), 0.02 * Double(i) - 0.03, 0.1, -0.2], actions: actions,
                                 trueReturn: i == 3 ? nil : 9.5 - Double(i))
        }
    }

    func testNumpyReadsEveryRatingWithItsReplayedSegment() throws {
        let directory = try folder()
        let database = try RatingDatabase(path: directory + "/r.db", task: task, classCount: 3)
        try database.addSegments(segments())
        let start = 1_700_000_000.125
        try database.addRating(segment: 1, rating: 2, rater: "ann", time: Date(timeIntervalSince1970: start))
        try database.addRating(segment: 1, rating: 0, rater: "Zoë 🙂", time: Date(timeIntervalSince1970: start + 1.5))
        try database.addRating(segment: 2, rating: 1, rater: "synthetic", source: .synthetic, time: Date(timeIntervalSince1970: start + 2))
        let undone = try database.addRating(segment: 3, rating: 1, rater: "ann", time: Date(timeIntervalSince1970: start + 3))
        XCTAssertEqual(try database.withdrawRating(undone.id, by: "ann", time: Date(timeIntervalSince1970: start + 4)), .withdrawn)
        try database.addRating(segment: 4, rating: 0, rater: "bob", time: Date(timeIntervalSince1970: start + 5))
        let environment = try Suite.make(task, models: ModelDirectory(path: ProjectPython.repositoryRoot + "/models"))

        for includingWithdrawn in [false, true] {
            let path = directory + "/ratings-\(includingWithdrawn).npz"
            try RatingDataset.npz(database, environment: environment, includingWithdrawn: includingWithdrawn)
                .write(to: URL(fileURLWithPath: path))
            let read = try ProjectPython.npz(path)
            let ratings = try database.ratings(includingWithdrawn: includingWithdrawn)
            let stored = Dictionary(uniqueKeysWithValues: try database.segments().map { ($0.id, $0) })
            XCTAssertEqual(ratings.count, includingWithdrawn ? 5 : 4)
            let n = ratings.count

            XCTAssertEqual(read["rating"]?.integers, ratings.map { Int64($0.rating) })
            XCTAssertEqual(read["rater"]?.strings, ratings.map(\.rater))
            XCTAssertEqual(read["rater"]?.dtype, "<U9", "as wide as the longest name")
            XCTAssertEqual(read["time"]?.floats, ratings.map(\.time))
            XCTAssertEqual(read["source"]?.strings, ratings.map(\.source.rawValue))
            XCTAssertEqual(read["segment"]?.integers, ratings.map(\.segment))
            XCTAssertEqual(read["rating_id"]?.integers, ratings.map(\.id))
            XCTAssertEqual(read["class_count"]?.integers, Array(repeating: 3, count: n))
            XCTAssertEqual(read["start_step"]?.integers, ratings.map { Int64(stored[$0.segment]!.startStep) })
            XCTAssertEqual(read["segment_source"]?.strings, ratings.map { stored[$0.segment]!.source })
            XCTAssertEqual(read["true_return"]?.floats?.map { $0.isNaN ? nil : $0 }, ratings.map { stored[$0.segment]!.trueReturn })
            XCTAssertEqual(read["task"]?.strings, [task])
            XCTAssertEqual(read["task"]?.shape, [])
            XCTAssertEqual(read["observation_keys"]?.strings, ["position", "velocity"])
            XCTAssertEqual(read["observation_key_sizes"]?.integers, [3, 2])

            XCTAssertEqual(read["observations"]?.dtype, "<f8")
            XCTAssertEqual(read["observations"]?.shape, [n, 10, 5])
            XCTAssertEqual(read["actions"]?.shape, [n, 10, 1])
            let replayed = try ratings.map { rating in
                let segment = stored[rating.segment]!
                return try environment.replay(state: segment.startState, actions: segment.actions).observations.dropLast()
            }
            XCTAssertEqual(read["observations"]?.floats, replayed.flatMap { $0.joined() }, "the observation before each action")
            XCTAssertEqual(read["actions"]?.floats, ratings.flatMap { stored[$0.segment]!.actions.joined() })
            if includingWithdrawn {
                XCTAssertEqual(read["withdrawn_at"]?.floats?.map { $0.isNaN ? nil : $0 }, ratings.map(\.withdrawnAt))
                XCTAssertEqual(read["withdrawn_at"]?.floats?.filter { !$0.isNaN }, [start + 4])
            } else {
                XCTAssertNil(read["withdrawn_at"])
            }
        }
    }

    func testSegmentsOfDifferentLengthsAreRefused() throws {
        let directory = try folder()
        let database = try RatingDatabase(path: directory + "/r.db", task: task, classCount: 3)
        var short = segments()[1]
        short.sourceIndex = 9
        short.actions.removeLast(3)
        try database.addSegments([segments()[0], short])
        try database.addRating(segment: 1, rating: 2, rater: "ann")
        try database.addRating(segment: 2, rating: 2, rater: "ann")
        let environment = try Suite.make(task, models: ModelDirectory(path: ProjectPython.repositoryRoot + "/models"))
        XCTAssertThrowsError(try RatingDataset.npz(database, environment: environment)) { error in
            XCTAssert("\(error)".contains("holds segments of 7, 10 steps; an npz dataset needs one length"), "\(error)")
        }
    }
}
