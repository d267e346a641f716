import Foundation
import PythonCheck
import TensorFiles
import XCTest

/// What TensorFiles writes, read back by the readers people use: numpy
/// (`numpy.load`, with zipfile's CRC check) and the `safetensors` package.
final class PythonReadsTensorFilesTests: XCTestCase {
    func temporaryFile(_ name: String) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-tensors-\(UUID().uuidString)-\(name)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    /// Values numpy must read exactly: signed zeros, subnormals, extremes, infinities, NaN.
    static let awkward: [Double] = [0, -0.0, 1.0 / 3, -Double.leastNormalMagnitude / 4, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.infinity, .nan, 1e300, -7]

    func testNumpyReadsEveryElementTypeAndShapeExactly() throws {
        let floats32: [Float] = [0, -0.0, 1.0 / 3, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .infinity]
        let names = ["ann", "Zoë 🙂", "", String(repeating: "x", count: 64), "a\u{301}"]
        let arrays: [(name: String, array: NumpyArray)] = [
            ("f4", try NumpyArray(shape: [2, 3], values: .float32(floats32))),
            ("f8", try NumpyArray(shape: [5, 1, 2], values: .float64(Self.awkward))),
            ("i8", NumpyArray(.int64([.min, -1, 0, 1, .max]))),
            ("names", NumpyArray(.unicode(names))),
            ("scalar", try NumpyArray(shape: [], values: .unicode(["cartpole-balance"]))),
            ("empty", try NumpyArray(shape: [0, 4, 3], values: .float64([]))),
            ("no strings", NumpyArray(.unicode([]))),
        ]
        let path = temporaryFile("all.npz")
        try NumpyArchive.encode(arrays).write(to: URL(fileURLWithPath: path))
        let read = try ProjectPython.npz(path)

        XCTAssertEqual(Set(read.keys), Set(arrays.map(\.name)))
        XCTAssertEqual(read["f4"]?.dtype, "<f4")
        XCTAssertEqual(read["f4"]?.shape, [2, 3])
        XCTAssertEqual(read["f4"]?.floats?.map { Float($0).bitPattern }, floats32.map(\.bitPattern))
        XCTAssertEqual(read["f8"]?.dtype, "<f8")
        XCTAssertEqual(read["f8"]?.shape, [5, 1, 2])
        XCTAssertEqual(read["f8"]?.floats?.map(\.bitPattern), Self.awkward.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern })
        XCTAssertEqual(read["i8"]?.dtype, "<i8")
        XCTAssertEqual(read["i8"]?.integers, [.min, -1, 0, 1, .max])
        XCTAssertEqual(read["names"]?.dtype, "<U64", "as wide as the longest name, in Unicode scalars")
        XCTAssertEqual(read["names"]?.strings, names)
        XCTAssertEqual(read["scalar"]?.shape, [])
        XCTAssertEqual(read["scalar"]?.strings, ["cartpole-balance"])
        XCTAssertEqual(read["empty"]?.shape, [0, 4, 3])
        XCTAssertEqual(read["no strings"]?.shape, [0])
        XCTAssertEqual(read["no strings"]?.dtype, "<U1")
    }

    func testTheSafetensorsPackageReadsTensorsAndMetadataExactly() throws {
        let tensors: [Safetensors.Tensor] = [
            (name: "policy.layer0.weight", shape: [2, 3], values: [1, -2, 0.1, -0.0, .leastNormalMagnitude, 3e38]),
            (name: "scalar", shape: [], values: [42]),
            (name: "empty", shape: [0, 5], values: []),
            (name: "long", shape: [1000], values: (0..<1000).map { Float($0) / 7 }),
        ]
        let path = temporaryFile("t.safetensors")
        let bytes = try Safetensors.encode(tensors, metadata: ["task": "walker-walk", "note": "ü ✓ \"quoted\""])
        try bytes.write(to: URL(fileURLWithPath: path))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual((8 + headerLength) % 8, 0, "the data starts on an 8-byte boundary")

        let read = try ProjectPython.safetensors(path)
        XCTAssertEqual(read.metadata, ["task": "walker-walk", "note": "ü ✓ \"quoted\""])
        XCTAssertEqual(Set(read.tensors.keys), Set(tensors.map(\.name)))
        for tensor in tensors {
            let loaded = try XCTUnwrap(read.tensors[tensor.name])
            XCTAssertEqual(loaded.dtype, "<f4", tensor.name)
            XCTAssertEqual(loaded.shape, tensor.shape, tensor.name)
            XCTAssertEqual(loaded.floats?.map { Float($0).bitPattern }, tensor.values.map(\.bitPattern), tensor.name)
        }
    }

    func testMalformedArraysAreRefusedWithTheirName() {
        let cases: [(() throws -> Data, String)] = [
            ({ try Safetensors.encode([(name: "w", shape: [2, 2], values: [1, 2, 3])]) }, "w has 3 values for shape [2, 2]"),
            ({ try Safetensors.encode([(name: "w", shape: [1], values: [1]), (name: "w", shape: [1], values: [2])]) }, "tensor w appears twice"),
            ({ try Safetensors.encode([(name: "__metadata__", shape: [1], values: [1])]) }, "cannot be called '__metadata__'"),
            ({ try NumpyArchive.encode([("a", NumpyArray(.int64([1]))), ("a", NumpyArray(.int64([2])))]) }, "array a appears twice"),
            ({ try NumpyArchive.encode([("a/b", NumpyArray(.int64([1])))]) }, "cannot be called 'a/b'"),
            ({ try NumpyArray(shape: [2, -1], values: .float64([])).encoded() }, "impossible shape [2, -1]"),
        ]
        for (write, message) in cases {
            XCTAssertThrowsError(try write()) { XCTAssert("\($0)".contains(message), "\($0)") }
        }
    }
}
