import XCTest
@testable import RewardLearning

final class CorrelationTests: XCTestCase {
    func testPearsonKnownValues() {
        XCTAssertEqual(Correlation.pearson([1, 2, 3, 4], [2, 4, 6, 8])!, 1, accuracy: 1e-12)
        XCTAssertEqual(Correlation.pearson([1, 2, 3, 4], [8, 6, 4, 2])!, -1, accuracy: 1e-12)
        // By hand: Σdxdy = 3, Σdx² = Σdy² = 5.
        XCTAssertEqual(Correlation.pearson([1, 2, 3, 4], [2, 1, 4, 3])!, 0.6, accuracy: 1e-12)
        XCTAssertNil(Correlation.pearson([1, 1, 1], [1, 2, 3]))
        XCTAssertNil(Correlation.pearson([1], [1]))
        XCTAssertNil(Correlation.pearson([1, .nan], [1, 2]))
    }

    func testSpearmanUsesAverageRanksForTies() {
        XCTAssertEqual(Correlation.averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
        XCTAssertEqual(Correlation.averageRanks([3, 3, 3]), [2, 2, 2])
        XCTAssertEqual(Correlation.averageRanks([5, 1, 4]), [3, 1, 2])
        // Monotone but non-linear: ρ = 1, r < 1.
        let x = [1.0, 2, 3, 4, 5], y = x.map { exp($0) }
        XCTAssertEqual(Correlation.spearman(x, y)!, 1, accuracy: 1e-12)
        XCTAssertLessThan(Correlation.pearson(x, y)!, 0.95)
        // y ranks 1, 2.5, 2.5, 5, 4: Σdxdy = 8.5, Σdx² = 10, Σdy² = 9.5 (scipy.stats.spearmanr: 0.8720815992723809).
        XCTAssertEqual(Correlation.spearman([1, 2, 3, 4, 5], [1, 2, 2, 4, 3])!, 8.5 / (95.0).squareRoot(), accuracy: 1e-12)
        XCTAssertNil(Correlation.spearman([1, 2, 3], [4, 4, 4]))
    }
}
