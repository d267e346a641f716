import Control
import Foundation
import XCTest

/// `tolerance` against dm_control's `rewards.tolerance` on a grid of every
/// sigmoid, several bounds, margins and values at the margin.
final class ToleranceTests: XCTestCase {
    struct Row: Decodable {
        let sigmoid: String
        /// nil stands for an infinite bound (−∞ below, +∞ above).
        let bounds: [Double?]
        let margin: Double
        let value_at_margin: Double
        let x: [Double]
        let y: [Double]
    }
    struct Table: Decodable { let rows: [Row]; let rows_unbounded: [Row] }

    func testMatchesDmControlOnGrid() throws {
        let url = TestPaths.fixtures.appendingPathComponent("tolerance.json")
        let table = try JSONDecoder().decode(Table.self, from: Data(contentsOf: url))
        XCTAssertGreaterThan(table.rows.count, 100)
        XCTAssertGreaterThan(table.rows_unbounded.count, 50)
        var sigmoidsSeen = Set<String>()
        for row in table.rows + table.rows_unbounded {
            let lower = row.bounds[0] ?? -.infinity, upper = row.bounds[1] ?? .infinity
            let sigmoid = try XCTUnwrap(Sigmoid(rawValue: row.sigmoid), "unknown sigmoid \(row.sigmoid)")
            sigmoidsSeen.insert(row.sigmoid)
            for (x, expected) in zip(row.x, row.y) {
                let value = tolerance(x, bounds: (lower, upper), margin: row.margin,
                                      sigmoid: sigmoid, valueAtMargin: row.value_at_margin)
                XCTAssertEqual(value, expected, accuracy: 1e-12,
                               "\(row.sigmoid) bounds \(row.bounds) margin \(row.margin) v \(row.value_at_margin) at x = \(x)")
            }
        }
        XCTAssertEqual(sigmoidsSeen, Set(Sigmoid.allCases.map(\.rawValue)))
    }

    func testInfiniteUpperBound() {
        XCTAssertEqual(tolerance(50, bounds: (10, .infinity), margin: 10, sigmoid: .linear, valueAtMargin: 0), 1)
        XCTAssertEqual(tolerance(5, bounds: (10, .infinity), margin: 10, sigmoid: .linear, valueAtMargin: 0), 0.5, accuracy: 1e-15)
        XCTAssertEqual(tolerance(-1, bounds: (10, .infinity), margin: 10, sigmoid: .linear, valueAtMargin: 0), 0)
    }
}
