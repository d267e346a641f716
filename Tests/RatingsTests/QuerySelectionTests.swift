import XCTest
import Randomness
@testable import Ratings

final class QuerySelectionTests: XCTestCase {
    func makeStore() throws -> EpisodeStore {
        var store = try EpisodeStore(capacity: 5, segmentLength: 10)
        for e in 0..<3 {
            try store.add(observations: (0..<40).map { [Double(e), Double($0)] }, actions: (0..<40).map { _ in [0] },
                          rewards: (0..<40).map { Double($0) / 40 })
        }
        return store
    }

    func testUniformDrawsTheRequestedCountWithoutScoring() throws {
        let store = try makeStore()
        var random = SeededRandom(seed: 1)
        let chosen = try QuerySelection.uniform.select(count: 7, from: store, random: &random) { _ in
            XCTFail("uniform selection must not score candidates"); return []
        }
        XCTAssertEqual(chosen.count, 7)
    }

    func testDisagreementKeepsTheHighestScoringCandidates() throws {
        let store = try makeStore()
        var random = SeededRandom(seed: 2)
        var scored: [Segment] = []
        let selection = QuerySelection.disagreement(candidateFactor: 10)
        XCTAssertEqual(selection.candidateCount(for: 5), 50)
        // Score = start step: the kept ones must be the 5 latest starts among the candidates.
        let chosen = try selection.select(count: 5, from: store, random: &random) { candidates in
            scored = candidates
            return candidates.map { Double($0.startStep) }
        }
        XCTAssertEqual(scored.count, 50)
        XCTAssertEqual(chosen.count, 5)
        let best = scored.map(\.startStep).sorted(by: >).prefix(5)
        XCTAssertEqual(chosen.map(\.startStep), Array(best))
    }

    func testScoreCountMustMatchAndNaNScoresGoLast() throws {
        let a = segmentWithReturn(1), b = segmentWithReturn(2), c = segmentWithReturn(3)
        XCTAssertThrowsError(try QuerySelection.mostUncertain([a, b], count: 1, scores: [1]))
        XCTAssertEqual(try QuerySelection.mostUncertain([a, b, c], count: 2, scores: [.nan, 1, 5]), [c, b])
        XCTAssertEqual(try QuerySelection.mostUncertain([a, b, c], count: 3, scores: [2, 2, 2]), [a, b, c])
        XCTAssertThrowsError(try QuerySelection.disagreement(candidateFactor: 0).validate())
    }
}

final class QuerySelectionKindTests: XCTestCase {
    /// The names config files and `--query` give, and the selections they stand for.
    func testNamesRoundTripToTheirSelections() {
        XCTAssertEqual(QuerySelection.Kind.allCases.map(\.rawValue), ["uniform", "disagreement"])
        for kind in QuerySelection.Kind.allCases { XCTAssertEqual(QuerySelection.Kind(rawValue: kind.rawValue), kind) }
        XCTAssertEqual(QuerySelection.Kind.uniform.selection, .uniform)
        XCTAssertEqual(QuerySelection.Kind.disagreement.selection, .disagreement(candidateFactor: 10))
        XCTAssertNil(QuerySelection.Kind(rawValue: "random"))
    }
}
