@testable import TensorBoardEvents
import XCTest

final class EventEncodingTests: XCTestCase {
    /// The check value of CRC-32C (RFC 3720's test vectors and the "123456789" check).
    func testCRC32CMatchesItsPublishedCheckValues() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    /// A record is length, masked CRC of the length, data, masked CRC of the data.
    func testARecordFramesItsDataWithMaskedChecksums() {
        let data: [UInt8] = [1, 2, 3]
        let record = EventEncoding.record(data)
        XCTAssertEqual(record.count, 8 + 4 + 3 + 4)
        XCTAssertEqual(Array(record[0..<8]), [3, 0, 0, 0, 0, 0, 0, 0])
        let crc = CRC32C.checksum(data)
        let masked = ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
        XCTAssertEqual(Array(record[15..<19]), withUnsafeBytes(of: masked.littleEndian) { Array($0) })
        XCTAssertEqual(Array(record[12..<15]), data)
    }
}
