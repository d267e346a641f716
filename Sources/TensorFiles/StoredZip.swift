import CZlib
import Foundation

/// A zip archive whose entries are stored, not compressed (method 0), as
/// Python's `zipfile` and so `numpy.load` read it.
///
/// Layout (integers little-endian): per entry a local header (signature
/// 0x04034b50, version 2.0, no flags, method 0, DOS time 00:00 on 1980-01-01,
/// CRC-32, sizes, name length, no extra field), its UTF-8 name and its bytes;
/// then the central directory, one record per entry (signature 0x02014b50,
/// the same fields, the local header's offset); then the end record
/// (0x06054b50) with the entry count and the directory's size and offset.
/// Without the zip64 extension an archive holds at most 65,535 entries and
/// 4 GiB.
enum StoredZip {
    /// One file of the archive.
    typealias Entry = (name: String, bytes: Data)

    /// The archive's bytes.
    /// - Throws: `TensorFileError` when the entries exceed what zip without zip64 can hold.
    static func encode(_ entries: [Entry]) throws -> Data {
        guard entries.count < 0xFFFF else { throw TensorFileError("a zip archive holds at most 65,535 files, not \(entries.count)") }
        var archive = Data()
        var directory = Data()
        for entry in entries {
            let name = Data(entry.name.utf8)
            let offset = archive.count
            guard entry.bytes.count < 0xFFFF_FFFF, offset < 0xFFFF_FFFF, name.count < 0xFFFF else {
                throw TensorFileError("\(entry.name) does not fit a zip archive without zip64 (over 4 GiB)")
            }
            let fields = fileFields(size: UInt32(entry.bytes.count), crc: crc32(of: entry.bytes), nameLength: UInt16(name.count))
            archive.appendLittleEndian(UInt32(0x0403_4b50))
            archive.append(fields)
            archive.appendLittleEndian(UInt16(0))  // extra field length
            archive.append(name)
            archive.append(entry.bytes)

            directory.appendLittleEndian(UInt32(0x0201_4b50))
            directory.appendLittleEndian(UInt16(20))  // made by: version 2.0
            directory.append(fields)
            for _ in 0..<3 { directory.appendLittleEndian(UInt16(0)) }  // extra, comment, disk
            directory.appendLittleEndian(UInt16(0))  // internal attributes
            directory.appendLittleEndian(UInt32(0))  // external attributes
            directory.appendLittleEndian(UInt32(offset))
            directory.append(name)
        }
        let directoryOffset = archive.count
        guard directoryOffset + directory.count < 0xFFFF_FFFF else { throw TensorFileError("the archive is over 4 GiB, beyond zip without zip64") }
        archive.append(directory)
        archive.appendLittleEndian(UInt32(0x0605_4b50))
        archive.appendLittleEndian(UInt16(0))  // this disk
        archive.appendLittleEndian(UInt16(0))  // the directory's disk
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt16(entries.count))
        archive.appendLittleEndian(UInt32(directory.count))
        archive.appendLittleEndian(UInt32(directoryOffset))
        archive.appendLittleEndian(UInt16(0))  // comment length
        return archive
    }

    /// The fields local header and directory record share, from "version needed" to the name's length.
    private static func fileFields(size: UInt32, crc: UInt32, nameLength: UInt16) -> Data {
        var fields = Data()
        fields.appendLittleEndian(UInt16(20))  // version needed: 2.0
        fields.appendLittleEndian(UInt16(0))  // flags
        fields.appendLittleEndian(UInt16(0))  // method: stored
        fields.appendLittleEndian(UInt16(0))  // time 00:00:00
        fields.appendLittleEndian(UInt16(0x21))  // date 1980-01-01
        fields.appendLittleEndian(crc)
        fields.appendLittleEndian(size)  // compressed
        fields.appendLittleEndian(size)  // uncompressed
        fields.appendLittleEndian(nameLength)
        return fields
    }

    /// zlib's CRC-32 of `bytes`.
    static func crc32(of bytes: Data) -> UInt32 {
        bytes.withUnsafeBytes { buffer in
            UInt32(CZlib.crc32(0, buffer.bindMemory(to: Bytef.self).baseAddress, uInt(buffer.count)))
        }
    }
}
