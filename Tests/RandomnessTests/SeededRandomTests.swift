import Randomness
import XCTest

final class SeededRandomTests: XCTestCase {
    func testSameSeedSameStream() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let first = (0..<5).map { _ in a.next() }
        XCTAssertEqual(first, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(first, (0..<5).map { _ in c.next() })
    }

    func testUniformAndNormalMoments() {
        var random = SeededRandom(seed: 1)
        let n = 200_000
        let uniforms = (0..<n).map { _ in random.uniform(-1, 3) }
        XCTAssert(uniforms.allSatisfy { $0 >= -1 && $0 < 3 })
        XCTAssertEqual(uniforms.reduce(0, +) / Double(n), 1, accuracy: 0.02)
        let normals = (0..<n).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
        XCTAssertEqual(Double(normals.filter { abs($0) < 1 }.count) / Double(n), 0.6827, accuracy: 0.01)
    }

    func testSplitStreamsDiffer() {
        var parent = SeededRandom(seed: 3)
        var x = parent.split(), y = parent.split()
        XCTAssertNotEqual(x.next(), y.next())
    }
}
