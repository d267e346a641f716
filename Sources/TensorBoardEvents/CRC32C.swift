/// CRC-32C (Castagnoli), the checksum of TensorBoard's (TFRecord's) record
/// framing, and the "masked" form the framing stores:
///
///     crc    = CRC-32C(bytes)            reflected polynomial 0x82F63B78
///     masked = ((crc >> 15) | (crc << 17)) + 0xA282EAD8   (mod 2³²)
///
/// Masking keeps a checksum of data that itself holds checksums from
/// looking valid by accident.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func masked(_ bytes: some Sequence<UInt8>) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
