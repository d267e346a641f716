import Foundation
import XCTest

/// `ratingrl export` and `ratings export --format npz` refuse bad input with
/// one line and a non-zero exit, and change nothing then.
extension XCTestCase {
    /// A new empty folder under the temporary directory, removed after the test.
    func emptyTemporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rrl-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

final class ExportCommandTests: XCTestCase {
    func temporaryFolder() throws -> String { try emptyTemporaryFolder().path }

    /// Asserts that `arguments` fail with a message containing `message`, on one line
    /// unless it is a parsing error (which the usage follows).
    func assertRefused(_ arguments: [String], _ message: String, oneLine: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try CommandLineTests.run(arguments)
        XCTAssertNotEqual(outcome.status, 0, file: file, line: line)
        if oneLine { XCTAssertEqual(outcome.error.split(separator: "\n").count, 1, outcome.error, file: file, line: line) }
        XCTAssert(outcome.error.contains(message), outcome.error, file: file, line: line)
    }

    func testExportRefusesWhatIsNotATrainedRunOrAFolderInUse() throws {
        let folder = try temporaryFolder()
        try assertRefused(["export", "--run", folder + "/missing", "--out", folder + "/out"], "run folder \(folder)/missing does not exist")
        let train = try CommandLineTests.run(["train", "--task", "cartpole-balance", "--steps", "512", "--set", "environments=2",
                                              "--eval-episodes", "1", "--out", folder + "/run", "--quiet"])
        XCTAssertEqual(train.status, 0, train.error)
        try FileManager.default.moveItem(atPath: folder + "/run/checkpoint.weights", toPath: folder + "/checkpoint.weights")
        try assertRefused(["export", "--run", folder + "/run", "--out", folder + "/out"], "has no checkpoint.weights yet")
        try "garbage".write(toFile: folder + "/run/checkpoint.weights", atomically: true, encoding: .utf8)
        try assertRefused(["export", "--run", folder + "/run", "--out", folder + "/out"], "cannot read the run's policy \(folder)/run/checkpoint.weights")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/out"), "a refused export makes nothing")
        try FileManager.default.removeItem(atPath: folder + "/run/checkpoint.weights")
        try FileManager.default.moveItem(atPath: folder + "/checkpoint.weights", toPath: folder + "/run/checkpoint.weights")

        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: false)
        try "mine".write(toFile: folder + "/out/notes.txt", atomically: true, encoding: .utf8)
        try assertRefused(["export", "--run", folder + "/run", "--out", folder + "/out"], "is not empty (notes.txt)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder + "/out"), ["notes.txt"])
        let exported = try CommandLineTests.run(["export", "--run", folder + "/run", "--out", folder + "/out", "--overwrite"])
        XCTAssertEqual(exported.status, 0, exported.error)
        XCTAssert(exported.output.contains("exported cartpole-balance (ppo) to \(folder)/out: policy, value, normaliser\n"), exported.output)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder + "/out")),
                       ["notes.txt", "model.json", "policy.safetensors", "value.safetensors", "normalizer.safetensors"])
    }

    func testRatingsExportListsItsFormatsAndNeedsAFileForNpz() throws {
        let help = try CommandLineTests.run(["ratings", "export", "--help"])
        XCTAssert(help.output.contains("values: csv, jsonl, npz"), help.output)
        let folder = try temporaryFolder()
        try assertRefused(["ratings", "export", "--db", folder + "/r.db", "--format", "xml"], "'xml'", oneLine: false)
        try assertRefused(["ratings", "export", "--db", folder + "/r.db", "--format", "npz"], "npz is binary: give --output FILE")
        try assertRefused(["ratings", "export", "--db", folder + "/r.db", "--format", "npz", "--output", folder + "/r.npz"], "\(folder)/r.db does not exist")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }
}
