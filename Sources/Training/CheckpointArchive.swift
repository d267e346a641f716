import Foundation

/// A checkpoint file's contents: named records of numbers or bytes, checked
/// by a checksum so that a truncated or damaged file is detected on reading.
///
/// Layout (little-endian): magic `RRLSTATE`, format version (UInt32); per
/// record: name length (UInt32), UTF-8 name, kind (UInt8), element count
/// (UInt64), the elements; last, a 64-bit checksum of every byte before it.
/// Numbers are stored bit for bit, so a restored run continues exactly.
struct CheckpointArchive {
    enum Kind: UInt8 {
        case doubles = 1, floats = 2, integers = 3, words = 4, bytes = 5
        var elementSize: Int { self == .floats ? 4 : self == .bytes ? 1 : 8 }
    }

    static let magic = Array("RRLSTATE".utf8)
    static let formatVersion: UInt32 = 1

    /// The records by name: kind and byte range of the elements in `data`.
    private var records: [String: (kind: Kind, count: Int, offset: Int)] = [:]
    private var data = Data()
    /// The file this archive was read from (named in errors).
    let source: String

    /// An empty archive to fill with `put` and write with `encoded()`.
    init() {
        source = "new checkpoint"
        data.append(contentsOf: Self.magic)
        append(Self.formatVersion)
    }

    // MARK: Writing

    mutating func put(_ name: String, doubles values: [Double]) { put(name, kind: .doubles, values) }
    mutating func put(_ name: String, floats values: [Float]) { put(name, kind: .floats, values) }
    mutating func put(_ name: String, integers values: [Int]) { put(name, kind: .integers, values.map(Int64.init)) }
    mutating func put(_ name: String, words values: [UInt64]) { put(name, kind: .words, values) }
    mutating func put(_ name: String, bytes: Data) { put(name, kind: .bytes, [UInt8](bytes)) }

    /// Rows of equal or differing lengths, stored as their lengths and the values end to end.
    mutating func put(_ name: String, rows: [[Double]]) {
        put(name + ".lengths", integers: rows.map(\.count))
        put(name, doubles: rows.flatMap { $0 })
    }

    private mutating func put<T>(_ name: String, kind: Kind, _ values: [T]) {
        precondition(records[name] == nil, "checkpoint record \(name) written twice")
        let nameBytes = Array(name.utf8)
        append(UInt32(nameBytes.count))
        data.append(contentsOf: nameBytes)
        data.append(kind.rawValue)
        append(UInt64(values.count))
        records[name] = (kind, values.count, data.count)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// The file's bytes: every record, then the checksum.
    func encoded() -> Data {
        var result = data
        withUnsafeBytes(of: Self.checksum(data).littleEndian) { result.append(contentsOf: $0) }
        return result
    }

    // MARK: Reading

    /// Parses and checks a checkpoint file's bytes.
    /// - Throws: `CheckpointError.damaged` naming `source` when the file is
    ///   truncated, its checksum does not match, or it is not a checkpoint.
    init(data: Data, source: String) throws {
        self.source = source
        func damaged(_ detail: String) -> CheckpointError { .damaged(path: source, detail: detail) }
        guard data.count >= Self.magic.count + 4 + 8 else { throw damaged("only \(data.count) bytes (truncated)") }
        guard Array(data.prefix(Self.magic.count)) == Self.magic else { throw damaged("not a RatingRL checkpoint") }
        let body = data.prefix(data.count - 8)
        let stored = data.suffix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard Self.checksum(body) == stored else { throw damaged("checksum mismatch (truncated or corrupted)") }
        self.data = Data(body)
        var offset = Self.magic.count
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard offset + MemoryLayout<T>.size <= self.data.count else { throw damaged("record runs past the end") }
            let value = self.data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
            offset += MemoryLayout<T>.size
            return value
        }
        let version = try read(UInt32.self)
        guard version == Self.formatVersion else {
            throw damaged("format version \(version); this build reads \(Self.formatVersion)")
        }
        while offset < self.data.count {
            let nameLength = Int(try read(UInt32.self))
            guard offset + nameLength <= self.data.count,
                  let name = String(data: self.data[offset..<(offset + nameLength)], encoding: .utf8) else {
                throw damaged("bad record name")
            }
            offset += nameLength
            guard let kind = Kind(rawValue: try read(UInt8.self)) else { throw damaged("bad record kind in \(name)") }
            let count = Int(try read(UInt64.self))
            let (size, overflow) = count.multipliedReportingOverflow(by: kind.elementSize)
            guard !overflow, offset + size <= self.data.count else { throw damaged("record \(name) runs past the end") }
            records[name] = (kind, count, offset)
            offset += size
        }
    }

    func has(_ name: String) -> Bool { records[name] != nil }

    func doubles(_ name: String) throws -> [Double] { try values(name, kind: .doubles) }
    func floats(_ name: String) throws -> [Float] { try values(name, kind: .floats) }
    func integers(_ name: String) throws -> [Int] { try (values(name, kind: .integers) as [Int64]).map { Int($0) } }
    func words(_ name: String) throws -> [UInt64] { try values(name, kind: .words) }
    func bytes(_ name: String) throws -> Data { Data(try values(name, kind: .bytes) as [UInt8]) }

    /// The record's single integer.
    func integer(_ name: String) throws -> Int {
        let values = try integers(name)
        guard values.count == 1 else { throw CheckpointError.damaged(path: source, detail: "\(name) holds \(values.count) values, not 1") }
        return values[0]
    }

    /// Rows written by `put(_:rows:)`.
    func rows(_ name: String) throws -> [[Double]] {
        let lengths = try integers(name + ".lengths"), flat = try doubles(name)
        guard lengths.allSatisfy({ $0 >= 0 }), lengths.reduce(0, +) == flat.count else {
            throw CheckpointError.damaged(path: source, detail: "\(name): row lengths do not add up")
        }
        var rows: [[Double]] = [], start = 0
        rows.reserveCapacity(lengths.count)
        for length in lengths {
            rows.append(Array(flat[start..<(start + length)]))
            start += length
        }
        return rows
    }

    private func values<T>(_ name: String, kind: Kind) throws -> [T] {
        guard let record = records[name] else { throw CheckpointError.damaged(path: source, detail: "no record \(name)") }
        guard record.kind == kind else { throw CheckpointError.damaged(path: source, detail: "\(name) has the wrong kind") }
        return [T](unsafeUninitializedCapacity: record.count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                let bytes = UnsafeMutableRawBufferPointer(buffer)
                bytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[record.offset..<(record.offset + record.count * kind.elementSize)]))
            }
            initialized = record.count
        }
    }

    /// FNV-1a over 64-bit words (the tail zero-padded), then the length: cheap
    /// enough for checkpoints of hundreds of megabytes, and any truncation or
    /// changed byte alters it.
    static func checksum(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01b3
        data.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words { hash = (hash ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* prime }
            var tail: UInt64 = 0
            for i in (words * 8)..<raw.count { tail |= UInt64(raw[i]) << (8 * UInt64(i - words * 8)) }
            hash = (hash ^ tail) &* prime
        }
        return (hash ^ UInt64(data.count)) &* prime
    }
}

/// Problems reading a checkpoint; each message names the file.
public enum CheckpointError: Error, CustomStringConvertible {
    case damaged(path: String, detail: String)
    case mismatch(path: String, detail: String)

    public var description: String {
        switch self {
        case let .damaged(path, detail): return "checkpoint \(path) is damaged: \(detail)"
        case let .mismatch(path, detail): return "checkpoint \(path) does not fit this run: \(detail)"
        }
    }
}
