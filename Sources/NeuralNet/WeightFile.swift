import Foundation

/// Reading and writing named `Float` tensors in RatingRL's versioned binary format.
///
/// Layout (all integers and floats little-endian):
/// magic `RRLWGHTS` (8 bytes), format version (UInt32), tensor count (UInt32);
/// per tensor: name length (UInt32), UTF-8 name, rank (UInt32), dimensions
/// (UInt64 each); then every tensor's values (Float32) in the same order.
///
/// Header fields have limits (`maxTensorCount`, `maxNameLength`, `maxRank`,
/// `maxDimension`); a value beyond them marks a damaged header, while a file
/// that ends early with plausible fields is reported as truncated.
public enum WeightFile {
    /// A named tensor: row-major `values` whose count is the product of `shape`.
    public typealias Tensor = (name: String, shape: [Int], values: [Float])

    /// The 8 bytes every weight file starts with.
    public static let magic: [UInt8] = Array("RRLWGHTS".utf8)
    /// The format version written by `save`, and the only one `load` reads.
    public static let formatVersion: UInt32 = 1
    /// Most tensors one file may hold.
    public static let maxTensorCount = 1 << 16
    /// Longest tensor name, in UTF-8 bytes.
    public static let maxNameLength = 1024
    /// Highest tensor rank.
    public static let maxRank = 8
    /// Largest single dimension.
    public static let maxDimension = Int(Int32.max)

    /// Writes `tensors` to `path` atomically: the file is written under a
    /// temporary name in the same directory, flushed to disk, then renamed over
    /// `path`, so readers see either the old file or the complete new one.
    /// Names must be unique and each tensor's value count must match its shape.
    public static func save(_ tensors: [Tensor], to path: String) throws {
        let bytes = try encode(tensors)
        try writeAtomically(bytes, to: path)
    }

    /// Reads every tensor stored at `path`, in file order.
    public static func load(from path: String) throws -> [Tensor] {
        try decode(readFile(path), path: path)
    }

    /// Throws `shapeMismatch` unless `tensor` has shape `expected`.
    public static func checkShape(of tensor: Tensor, expected: [Int]) throws {
        guard tensor.shape == expected else {
            throw WeightFileError.shapeMismatch(name: tensor.name, found: tensor.shape, expected: expected)
        }
    }

    /// The tensor called `name` in `tensors`, checked to have `expectedShape`.
    public static func tensor(named name: String, in tensors: [Tensor], expectedShape: [Int]) throws -> Tensor {
        guard let tensor = tensors.first(where: { $0.name == name }) else {
            throw WeightFileError.missingTensor(name: name)
        }
        try checkShape(of: tensor, expected: expectedShape)
        guard tensor.values.count == elementCount(expectedShape) else {
            throw WeightFileError.invalidTensor(
                name: name, detail: "\(tensor.values.count) values for shape \(tensor.shape)")
        }
        return tensor
    }

    // MARK: - Encoding

    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    static func encode(_ tensors: [Tensor]) throws -> [UInt8] {
        var names = Set<String>()
        guard tensors.count <= maxTensorCount else {
            throw WeightFileError.invalidTensor(name: tensors[maxTensorCount].name,
                                                detail: "a file holds at most \(maxTensorCount) tensors")
        }
        var bytes = magic
        bytes.appendLittleEndian(formatVersion)
        bytes.appendLittleEndian(UInt32(tensors.count))
        for tensor in tensors {
            guard names.insert(tensor.name).inserted else {
                throw WeightFileError.invalidTensor(name: tensor.name, detail: "the name is used twice")
            }
            guard tensor.name.utf8.count <= maxNameLength else {
                throw WeightFileError.invalidTensor(name: tensor.name, detail: "names are at most \(maxNameLength) bytes")
            }
            guard tensor.shape.count <= maxRank, tensor.shape.allSatisfy({ $0 <= maxDimension }),
                  let count = elementCount(tensor.shape) else {
                throw WeightFileError.invalidTensor(name: tensor.name, detail: "invalid shape \(tensor.shape)")
            }
            guard count == tensor.values.count else {
                throw WeightFileError.invalidTensor(
                    name: tensor.name, detail: "\(tensor.values.count) values for shape \(tensor.shape)")
            }
            let name = Array(tensor.name.utf8)
            bytes.appendLittleEndian(UInt32(name.count))
            bytes.append(contentsOf: name)
            bytes.appendLittleEndian(UInt32(tensor.shape.count))
            for dimension in tensor.shape { bytes.appendLittleEndian(UInt64(dimension)) }
        }
        for tensor in tensors {
            bytes.reserveCapacity(bytes.count + 4 * tensor.values.count)
            for value in tensor.values { bytes.appendLittleEndian(value.bitPattern) }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> [Tensor] {
        var reader = ByteReader(bytes: bytes, path: path)
        if bytes.count < magic.count && Array(magic.prefix(bytes.count)) == bytes {
            throw WeightFileError.truncated(path: path, detail: bytes.isEmpty ? "the file is empty" : "the file ends inside the magic string")
        }
        guard Array(bytes.prefix(magic.count)) == magic else {
            throw WeightFileError.badMagic(path: path)
        }
        reader.position = magic.count
        let version: UInt32 = try reader.read("format version")
        guard version == formatVersion else {
            throw WeightFileError.unsupportedVersion(path: path, found: version, supported: formatVersion)
        }
        let count: UInt32 = try reader.read("tensor count")
        guard count <= maxTensorCount else {
            throw WeightFileError.damagedHeader(path: path, detail: "tensor count \(count) exceeds the format's \(maxTensorCount)")
        }
        var headers: [(name: String, shape: [Int], count: Int)] = []
        var expectedData = 0
        var names = Set<String>()
        for index in 0..<Int(count) {
            let nameLength: UInt32 = try reader.read("name length of tensor \(index)")
            guard nameLength <= maxNameLength else {
                throw WeightFileError.damagedHeader(
                    path: path, detail: "tensor \(index) has a name of \(nameLength) bytes; names are at most \(maxNameLength)")
            }
            let nameBytes = try reader.readBytes(Int(nameLength), "name of tensor \(index)")
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                throw WeightFileError.damagedHeader(path: path, detail: "the name of tensor \(index) is not UTF-8")
            }
            guard names.insert(name).inserted else {
                throw WeightFileError.damagedHeader(path: path, detail: "tensor name \(name) appears twice")
            }
            let rank: UInt32 = try reader.read("rank of \(name)")
            guard rank <= maxRank else {
                throw WeightFileError.damagedHeader(path: path, detail: "\(name) has rank \(rank); the format allows \(maxRank)")
            }
            var shape: [Int] = []
            for _ in 0..<rank {
                let dimension: UInt64 = try reader.read("shape of \(name)")
                guard dimension <= UInt64(maxDimension) else {
                    throw WeightFileError.damagedHeader(path: path, detail: "\(name) has dimension \(dimension)")
                }
                shape.append(Int(dimension))
            }
            // Whether the data is all there is checked once the header is read:
            // a file cut short is truncated, not malformed.
            guard let elements = elementCount(shape), elements <= Int.max / 4 - expectedData / 4 - 1 else {
                throw WeightFileError.damagedHeader(path: path, detail: "\(name) has impossible shape \(shape)")
            }
            headers.append((name, shape, elements))
            expectedData += 4 * elements
        }
        let available = bytes.count - reader.position
        guard available >= expectedData else {
            throw WeightFileError.truncated(
                path: path, detail: "expected \(expectedData) bytes of tensor data, found \(available)")
        }
        guard available == expectedData else {
            throw WeightFileError.malformed(
                path: path, detail: "\(available - expectedData) unexpected bytes after the tensor data")
        }
        var tensors: [Tensor] = []
        for header in headers {
            var values = [Float](repeating: 0, count: header.count)
            for i in 0..<header.count {
                let bits: UInt32 = try reader.read("data of \(header.name)")
                values[i] = Float(bitPattern: bits)
            }
            tensors.append((name: header.name, shape: header.shape, values: values))
        }
        return tensors
    }

    // MARK: - Files

    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WeightFileError.unreadable(path: path, reason: errnoDescription())
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw WeightFileError.unreadable(path: path, reason: errnoDescription())
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw WeightFileError.unreadable(path: path, reason: "not a regular file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw WeightFileError.unreadable(path: path, reason: errnoDescription())
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        // A unique sibling name: same directory, so rename() is atomic.
        var temporary = ""
        var descriptor: Int32 = -1
        for attempt in 0..<100 {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            temporary = "\(path).tmp-\(getpid())-\(now.tv_nsec)-\(attempt)"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else {
            throw WeightFileError.unwritable(path: path, reason: errnoDescription())
        }
        var succeeded = false
        defer { if !succeeded { unlink(temporary) } }
        do {
            defer { close(descriptor) }
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes {
                    write(descriptor, $0.baseAddress! + written, $0.count - written)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw WeightFileError.unwritable(path: path, reason: errnoDescription())
                }
                written += result
            }
            guard fsync(descriptor) == 0 else {
                throw WeightFileError.unwritable(path: path, reason: errnoDescription())
            }
        }
        guard rename(temporary, path) == 0 else {
            throw WeightFileError.unwritable(path: path, reason: errnoDescription())
        }
        succeeded = true
        // Make the rename itself durable; failure here does not undo the save.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    private static func errnoDescription() -> String {
        let code = errno
        return String(cString: strerror(code))
    }
}

/// Sequential little-endian reads that report running off the end as truncation.
private struct ByteReader {
    let bytes: [UInt8]
    let path: String
    var position = 0

    mutating func read<T: FixedWidthInteger>(_ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count - position >= size else {
            throw WeightFileError.truncated(path: path, detail: "the header ends inside the \(what)")
        }
        var value: T = 0
        for k in 0..<size { value |= T(bytes[position + k]) << (8 * k) }
        position += size
        return value
    }

    mutating func readBytes(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard bytes.count - position >= count else {
            throw WeightFileError.truncated(path: path, detail: "the header ends inside the \(what)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }
}

private extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        Swift.withUnsafeBytes(of: &v) { append(contentsOf: $0) }
    }
}
