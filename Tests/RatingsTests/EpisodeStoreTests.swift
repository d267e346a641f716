import XCTest
import Randomness
@testable import Ratings

final class EpisodeStoreTests: XCTestCase {
    /// An episode whose step t has observation [id, t], action [t] and reward t/1000.
    func addEpisode(_ store: inout EpisodeStore, length: Int, tag: Double) throws {
        try store.add(observations: (0..<length).map { [tag, Double($0)] },
                      actions: (0..<length).map { [Double($0)] },
                      rewards: (0..<length).map { Double($0) / 1000 })
    }

    func testWindowsAreUniformOverEpisodeStartPairs() throws {
        var store = try EpisodeStore(capacity: 10, segmentLength: 50)
        try addEpisode(&store, length: 60, tag: 0)    // 11 windows
        try addEpisode(&store, length: 100, tag: 1)   // 51 windows
        try addEpisode(&store, length: 30, tag: 2)    // too short: none
        XCTAssertEqual(store.windowCount, 62)
        var random = SeededRandom(seed: 3)
        let segments = try store.sampleSegments(count: 31_000, random: &random)
        var fromFirst = 0
        var startCounts = [Int: Int]()
        for segment in segments {
            XCTAssertEqual(segment.length, 50)
            XCTAssertNotEqual(segment.episodeID, 2)
            let length = segment.episodeID == 0 ? 60 : 100
            XCTAssertTrue((0...(length - 50)).contains(segment.startStep))
            XCTAssertEqual(segment.observations[0], [Double(segment.episodeID), Double(segment.startStep)])
            XCTAssertEqual(segment.actions[49], [Double(segment.startStep + 49)])
            if segment.episodeID == 0 { fromFirst += 1 }
            startCounts[segment.episodeID * 1000 + segment.startStep, default: 0] += 1
        }
        XCTAssertEqual(Double(fromFirst) / 31_000, 11.0 / 62, accuracy: 0.01)
        XCTAssertEqual(startCounts.count, 62, "every window is drawn")
        for (_, count) in startCounts { XCTAssertEqual(Double(count), 500, accuracy: 110) }
    }

    func testSegmentReturnAndProvenance() throws {
        var store = try EpisodeStore(capacity: 2, segmentLength: 5)
        try addEpisode(&store, length: 5, tag: 0)
        var random = SeededRandom(seed: 1)
        let segment = try store.sampleSegments(count: 1, random: &random)[0]
        XCTAssertEqual(segment.episodeID, 0)
        XCTAssertEqual(segment.startStep, 0)
        XCTAssertEqual(segment.trueReturn, 0.010, accuracy: 1e-12)
        XCTAssertEqual(segment.discountedReturn(gamma: 1), segment.trueReturn, accuracy: 1e-15)
    }

    func testCapacityDropsTheOldestEpisodes() throws {
        var store = try EpisodeStore(capacity: 3, segmentLength: 2)
        for k in 0..<5 { try addEpisode(&store, length: 4, tag: Double(k)) }
        XCTAssertEqual(store.count, 3)
        XCTAssertEqual(store.episodes.map(\.id), [2, 3, 4])
        XCTAssertEqual(store.nextEpisodeID, 5)
        var random = SeededRandom(seed: 2)
        for segment in try store.sampleSegments(count: 200, random: &random) {
            XCTAssertTrue([2, 3, 4].contains(segment.episodeID))
        }
    }

    func testBadInputIsRejected() throws {
        XCTAssertThrowsError(try EpisodeStore(capacity: 0))
        XCTAssertThrowsError(try EpisodeStore(segmentLength: 0))
        var store = try EpisodeStore(capacity: 3, segmentLength: 50)
        var random = SeededRandom(seed: 2)
        XCTAssertThrowsError(try store.sampleSegments(count: 1, random: &random)) { error in
            XCTAssertEqual(error as? RatingError, .noWindows(segmentLength: 50, episodeCount: 0))
        }
        XCTAssertThrowsError(try store.add(observations: [[0], [1]], actions: [[0]], rewards: [0, 0]))
        XCTAssertEqual(store.count, 0)
        try addEpisode(&store, length: 10, tag: 0)
        XCTAssertThrowsError(try store.sampleSegments(count: 1, random: &random))
    }

    func testRandomDrawsAreUniformPermutations() {
        var random = SeededRandom(seed: 4)
        var firstPositions = [Int](repeating: 0, count: 5)
        for _ in 0..<10_000 {
            let p = RandomDraws.permutation(count: 5, random: &random)
            XCTAssertEqual(p.sorted(), [0, 1, 2, 3, 4])
            firstPositions[p[0]] += 1
        }
        for count in firstPositions { XCTAssertEqual(Double(count), 2000, accuracy: 150) }
        XCTAssertEqual(RandomDraws.permutation(count: 0, random: &random), [])
        for _ in 0..<1000 { XCTAssertTrue((0..<3).contains(RandomDraws.index(below: 3, random: &random))) }
    }
}
