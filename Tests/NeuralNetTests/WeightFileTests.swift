import Foundation
import XCTest
@testable import NeuralNet
import Randomness

final class WeightFileTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    var path: String { directory + "/weights.bin" }

    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    func sampleTensors() -> [WeightFile.Tensor] {
        let specials: [Float] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude,
                                 .greatestFiniteMagnitude, Float(bitPattern: 0x7FC0_1234), 1.0 / 3]
        return [
            (name: "policy.layer0.weight", shape: [2, 4], values: specials),
            (name: "scalar", shape: [], values: [42]),
            (name: "empty", shape: [0, 3], values: []),
            (name: "ünïcødé ✓", shape: [3], values: [1, 2, 3]),
        ]
    }

    func assertIdentical(_ a: [WeightFile.Tensor], _ b: [WeightFile.Tensor], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.map(\.name), b.map(\.name), file: file, line: line)
        XCTAssertEqual(a.map(\.shape), b.map(\.shape), file: file, line: line)
        XCTAssertEqual(a.map { $0.values.map(\.bitPattern) }, b.map { $0.values.map(\.bitPattern) }, file: file, line: line)
    }

    func testRoundTripIsBitExact() throws {
        let tensors = sampleTensors()
        try WeightFile.save(tensors, to: path)
        assertIdentical(try WeightFile.load(from: path), tensors)
    }

    func testSaveLeavesNoTemporaryFilesAndReplacesAtomically() throws {
        try WeightFile.save(sampleTensors(), to: path)
        XCTAssertEqual(try contents(), ["weights.bin"])
        let replacement: [WeightFile.Tensor] = [(name: "x", shape: [1], values: [7])]
        try WeightFile.save(replacement, to: path)
        XCTAssertEqual(try contents(), ["weights.bin"])
        assertIdentical(try WeightFile.load(from: path), replacement)
    }

    func testFailedSaveLeavesTheOldFileAndNoTemporaryFiles() throws {
        try WeightFile.save(sampleTensors(), to: path)
        let bad: [WeightFile.Tensor] = [(name: "x", shape: [2, 2], values: [1, 2, 3])]
        XCTAssertThrowsError(try WeightFile.save(bad, to: path)) { error in
            XCTAssertEqual(error as? WeightFileError, .invalidTensor(name: "x", detail: "3 values for shape [2, 2]"))
        }
        let duplicate: [WeightFile.Tensor] = [(name: "x", shape: [1], values: [1]), (name: "x", shape: [1], values: [2])]
        XCTAssertThrowsError(try WeightFile.save(duplicate, to: path)) { error in
            XCTAssertEqual(error as? WeightFileError, .invalidTensor(name: "x", detail: "the name is used twice"))
        }
        XCTAssertEqual(try contents(), ["weights.bin"])
        assertIdentical(try WeightFile.load(from: path), sampleTensors())
    }

    func testUnwritableDirectory() {
        let target = directory + "/no/such/dir/weights.bin"
        XCTAssertThrowsError(try WeightFile.save(sampleTensors(), to: target)) { error in
            guard case .unwritable(let p, let reason)? = error as? WeightFileError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(p, target)
            XCTAssertTrue(reason.contains("No such file"), reason)
        }
    }

    func testMissingFile() {
        XCTAssertThrowsError(try WeightFile.load(from: path)) { error in
            guard case .unreadable(let p, let reason)? = error as? WeightFileError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(p, path)
            XCTAssertTrue(reason.contains("No such file"), reason)
            XCTAssertTrue("\(error)".hasPrefix("cannot read weight file '\(path)'"))
        }
    }

    func testDirectoryIsUnreadable() {
        XCTAssertThrowsError(try WeightFile.load(from: directory)) { error in
            guard case .unreadable? = error as? WeightFileError else { return XCTFail("unexpected error \(error)") }
        }
    }

    func writeRaw(_ bytes: [UInt8]) {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    func savedBytes() throws -> [UInt8] {
        try WeightFile.save(sampleTensors(), to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testWrongMagic() throws {
        var bytes = try savedBytes()
        bytes[0] = UInt8(ascii: "X")
        writeRaw(bytes)
        XCTAssertThrowsError(try WeightFile.load(from: path)) {
            XCTAssertEqual($0 as? WeightFileError, .badMagic(path: path))
        }
        writeRaw(Array("PK\u{3}\u{4} a zip archive".utf8))
        XCTAssertThrowsError(try WeightFile.load(from: path)) {
            XCTAssertEqual($0 as? WeightFileError, .badMagic(path: path))
        }
    }

    /// A file cut anywhere, even inside the magic string or just after a
    /// complete header, is truncated (not damaged or malformed).
    func testEveryProperPrefixIsTruncated() throws {
        let bytes = try savedBytes()
        for length in 0..<bytes.count {
            writeRaw(Array(bytes.prefix(length)))
            XCTAssertThrowsError(try WeightFile.load(from: path)) { error in
                guard case .truncated(let p, _)? = error as? WeightFileError else {
                    return XCTFail("length \(length): \(error)")
                }
                XCTAssertEqual(p, path)
                XCTAssert("\(error)".contains("is truncated") && "\(error)".contains(path), "\(error)")
            }
        }
    }

    /// Header fields overwritten with garbage are reported as a damaged header
    /// naming the file, not as truncation, though the file's data then no
    /// longer matches either.
    func testDamagedHeaderIsReportedAsSuch() throws {
        let good = try savedBytes()
        // Offsets: tensor count 12, first name length 16, first name 20..<40, its rank 40.
        let damages: [(String, Int, [UInt8])] = [
            ("tensor count", 12, [0xFF, 0xFF, 0xFF, 0xFF]),
            ("name length", 16, [0x00, 0x00, 0x01, 0x00]),
            ("name bytes", 20, [0xFF, 0xFE]),
            ("rank", 40, [0x31, 0x32, 0x33, 0x34]),
            ("dimension", 44 + 4, [0x00, 0x00, 0x00, 0x80]),
        ]
        for (field, offset, garbage) in damages {
            var bytes = good
            bytes.replaceSubrange(offset..<(offset + garbage.count), with: garbage)
            writeRaw(bytes)
            XCTAssertThrowsError(try WeightFile.load(from: path), field) { error in
                guard case .damagedHeader(let p, _)? = error as? WeightFileError else {
                    return XCTFail("\(field): \(error)")
                }
                XCTAssertEqual(p, path)
                let text = "\(error)"
                XCTAssert(text.contains("damaged header") && text.contains(path) && !text.contains("truncated"), text)
            }
        }
    }

    func testSaveRefusesWhatTheHeaderCannotHold() {
        let long = String(repeating: "n", count: WeightFile.maxNameLength + 1)
        XCTAssertThrowsError(try WeightFile.save([(name: long, shape: [1], values: [0])], to: path))
        XCTAssertThrowsError(try WeightFile.save([(name: "deep", shape: Array(repeating: 1, count: 9), values: [0])], to: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testUnsupportedVersion() throws {
        var bytes = try savedBytes()
        XCTAssertEqual(Array(bytes[8..<12]), [1, 0, 0, 0])
        bytes[8] = 2
        writeRaw(bytes)
        XCTAssertThrowsError(try WeightFile.load(from: path)) {
            XCTAssertEqual($0 as? WeightFileError, .unsupportedVersion(path: path, found: 2, supported: 1))
        }
    }

    func testTruncatedData() throws {
        let bytes = try savedBytes()
        writeRaw(Array(bytes.dropLast(3)))
        XCTAssertThrowsError(try WeightFile.load(from: path)) { error in
            guard case .truncated(_, let detail)? = error as? WeightFileError else {
                return XCTFail("unexpected error \(error)")
            }
            // 8 + 1 + 0 + 3 floats = 12 floats = 48 bytes expected.
            XCTAssertEqual(detail, "expected 48 bytes of tensor data, found 45")
        }
    }

    func testTruncatedHeader() throws {
        let bytes = try savedBytes()
        for length in [10, 16, 20, 30] {
            writeRaw(Array(bytes.prefix(length)))
            XCTAssertThrowsError(try WeightFile.load(from: path)) { error in
                guard case .truncated(let p, let detail)? = error as? WeightFileError else {
                    return XCTFail("unexpected error \(error) at length \(length)")
                }
                XCTAssertEqual(p, path)
                XCTAssertTrue(detail.hasPrefix("the header ends inside"), detail)
            }
        }
    }

    func testTrailingBytesAreMalformed() throws {
        writeRaw(try savedBytes() + [0, 0, 0, 0])
        XCTAssertThrowsError(try WeightFile.load(from: path)) {
            XCTAssertEqual($0 as? WeightFileError,
                           .malformed(path: path, detail: "4 unexpected bytes after the tensor data"))
        }
    }

    func makePolicy(inputSize: Int, seed: UInt64) -> MLP {
        var random = SeededRandom(seed: seed)
        return MLP(inputSize: inputSize, hiddenSizes: [256], outputSize: 6, hiddenActivation: .tanh,
                   outputActivation: .identity, initialization: .uniformFanIn, random: &random)
    }

    func testShapeMismatchMessage() throws {
        try WeightFile.save(makePolicy(inputSize: 24, seed: 1).tensors(prefix: "policy"), to: path)
        let other = makePolicy(inputSize: 17, seed: 2)
        let before = other.parameters
        XCTAssertThrowsError(try other.load(tensors: WeightFile.load(from: path), prefix: "policy")) { error in
            XCTAssertEqual("\(error)", "policy.layer0.weight has shape [24, 256] in file, model expects [17, 256]")
            XCTAssertEqual((error as? LocalizedError)?.errorDescription,
                           "policy.layer0.weight has shape [24, 256] in file, model expects [17, 256]")
        }
        XCTAssertEqual(other.parameters, before, "a failed load must not change the model")
        let tensor = try WeightFile.load(from: path)[1]
        XCTAssertNoThrow(try WeightFile.checkShape(of: tensor, expected: [256]))
        XCTAssertThrowsError(try WeightFile.checkShape(of: tensor, expected: [6])) {
            XCTAssertEqual($0 as? WeightFileError, .shapeMismatch(name: "policy.layer0.bias", found: [256], expected: [6]))
        }
    }

    func testMissingAndUnexpectedTensors() throws {
        let small = makePolicy(inputSize: 4, seed: 3)
        XCTAssertThrowsError(try small.load(tensors: small.tensors(prefix: "policy"), prefix: "value")) {
            XCTAssertEqual($0 as? WeightFileError, .missingTensor(name: "value.layer0.weight"))
        }
        var random = SeededRandom(seed: 4)
        let deeper = MLP(inputSize: 4, hiddenSizes: [256, 6], outputSize: 6, hiddenActivation: .tanh,
                         outputActivation: .identity, initialization: .uniformFanIn, random: &random)
        var tensors = small.tensors(prefix: "policy")
        tensors += deeper.tensors(prefix: "policy").filter { $0.name.hasPrefix("policy.layer2") }
        XCTAssertThrowsError(try small.load(tensors: tensors, prefix: "policy")) {
            XCTAssertEqual($0 as? WeightFileError, .unexpectedTensor(name: "policy.layer2.weight"))
        }
    }

    func testModelsAndOptimiserRoundTripThroughOneFile() throws {
        var random = SeededRandom(seed: 5)
        let policy = MLP(inputSize: 5, hiddenSizes: [8, 8], outputSize: 2, hiddenActivation: .tanh,
                         outputActivation: .identity, initialization: .orthogonal(outputGain: 0.01), random: &random)
        let value = MLP(inputSize: 5, hiddenSizes: [8], outputSize: 1, hiddenActivation: .tanh,
                        outputActivation: .identity, initialization: .orthogonal(outputGain: 1), random: &random)
        var adam = Adam(parameterCount: policy.parameterCount, learningRate: 0.01, epsilon: 1e-5)
        for _ in 0..<3 {
            policy.gradients = (0..<policy.parameterCount).map { _ in Float(random.normal()) }
            adam.step(parameters: &policy.parameters, gradients: policy.gradients)
        }
        try WeightFile.save(policy.tensors(prefix: "policy") + value.tensors(prefix: "value")
                            + adam.tensors(prefix: "adam"), to: path)

        let loaded = try WeightFile.load(from: path)
        var fresh = SeededRandom(seed: 99)
        let policy2 = MLP(inputSize: 5, hiddenSizes: [8, 8], outputSize: 2, hiddenActivation: .tanh,
                          outputActivation: .identity, initialization: .uniformFanIn, random: &fresh)
        let value2 = MLP(inputSize: 5, hiddenSizes: [8], outputSize: 1, hiddenActivation: .tanh,
                         outputActivation: .identity, initialization: .uniformFanIn, random: &fresh)
        var adam2 = Adam(parameterCount: policy.parameterCount, learningRate: 0.01, epsilon: 1e-5)
        try policy2.load(tensors: loaded, prefix: "policy")
        try value2.load(tensors: loaded, prefix: "value")
        try adam2.load(tensors: loaded, prefix: "adam")
        XCTAssertEqual(policy2.parameters.map(\.bitPattern), policy.parameters.map(\.bitPattern))
        XCTAssertEqual(value2.parameters.map(\.bitPattern), value.parameters.map(\.bitPattern))
        XCTAssertEqual(adam2.stepCount, 3)
        XCTAssertEqual(adam2.firstMoment, adam.firstMoment)
        XCTAssertEqual(adam2.secondMoment, adam.secondMoment)
        // Training continues identically.
        let gradients = (0..<policy.parameterCount).map { _ in Float(random.normal()) }
        adam.step(parameters: &policy.parameters, gradients: gradients)
        adam2.step(parameters: &policy2.parameters, gradients: gradients)
        XCTAssertEqual(policy2.parameters, policy.parameters)

        var wrongSize = Adam(parameterCount: 7)
        XCTAssertThrowsError(try wrongSize.load(tensors: loaded, prefix: "adam")) {
            XCTAssertEqual($0 as? WeightFileError,
                           .shapeMismatch(name: "adam.m", found: [policy.parameterCount], expected: [7]))
        }
    }
}
