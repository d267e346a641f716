@testable import NeuralNet
import XCTest

/// `multiply` against the product written out entry by entry.
final class MultiplyTests: XCTestCase {
    func testMatchesTheProductWithAndWithoutTransposeAlphaAndBeta() {
        let a = Matrix(rows: 3, columns: 2, values: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 2, columns: 2, values: [1, -1, 0.5, 2])
        var c = Matrix(rows: 3, columns: 2, repeating: 1)
        multiply(a, by: b, alpha: 2, beta: 1, into: &c)
        // 2·(a·b) + 1: rows (2, 3), (5, 5), (8, 7) doubled, plus one.
        XCTAssertEqual(c.values, [5, 7, 11, 11, 17, 15])

        let bt = Matrix(rows: 3, columns: 1, values: [1, 0, -1])
        var d = Matrix(rows: 2, columns: 1, repeating: 9)
        multiply(a, transposed: true, by: bt, beta: 0, into: &d)
        // aᵀ·(1, 0, −1) = (1 − 5, 2 − 6); beta 0 drops the 9s.
        XCTAssertEqual(d.values, [-4, -4])
    }
}
