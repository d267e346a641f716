import XCTest
import Randomness
@testable import Ratings

final class LabelBufferTests: XCTestCase {
    func testHistogramCountsRatingsPerClass() throws {
        var buffer = try LabelBuffer(classCount: 4)
        XCTAssertTrue(buffer.isEmpty)
        for rating in [0, 3, 3, 1, 3] { try buffer.append(segmentWithReturn(1), rating: rating) }
        XCTAssertEqual(buffer.histogram, [1, 1, 0, 3])
        XCTAssertEqual(buffer.count, 5)
        XCTAssertEqual(buffer.items.map(\.rating), [0, 3, 3, 1, 3])
    }

    func testBadRatingsAndClassCountsAreRejected() throws {
        for n in [0, 1, 7] {
            XCTAssertThrowsError(try LabelBuffer(classCount: n)) { XCTAssertEqual($0 as? RatingError, .invalidClassCount(n)) }
        }
        var buffer = try LabelBuffer(classCount: 3)
        for rating in [-1, 3, 10] {
            XCTAssertThrowsError(try buffer.append(segmentWithReturn(1), rating: rating)) { error in
                XCTAssertEqual(error as? RatingError, .ratingOutOfRange(rating: rating, classCount: 3))
                XCTAssertTrue("\(error)".contains("outside 0…2"))
            }
        }
        let batch = [RatedSegment(segment: segmentWithReturn(1), rating: 1),
                     RatedSegment(segment: segmentWithReturn(1), rating: 5)]
        XCTAssertThrowsError(try buffer.append(contentsOf: batch))
        XCTAssertTrue(buffer.isEmpty, "a rejected batch adds nothing")
        XCTAssertEqual(buffer.histogram, [0, 0, 0])
    }

    func testCodableRoundTripRevalidates() throws {
        var buffer = try LabelBuffer(classCount: 2)
        try buffer.append(segmentWithReturn(3), rating: 1)
        let data = try JSONEncoder().encode(buffer)
        XCTAssertEqual(try JSONDecoder().decode(LabelBuffer.self, from: data), buffer)
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"rating\":1", with: "\"rating\":4")
        XCTAssertThrowsError(try JSONDecoder().decode(LabelBuffer.self, from: Data(text.utf8)))
    }
}
