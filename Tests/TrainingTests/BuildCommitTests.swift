import BuildInfo
import Foundation
import XCTest

/// The commit a binary records (and so every run it trains) is the checkout's
/// at build time. `make test` builds right before it tests, so the recorded
/// commit and dirtiness must equal git's now; a plugin that ran only when
/// SwiftPM re-planned the build recorded the commit before the last one.
final class BuildCommitTests: XCTestCase {
    func testTheBinaryRecordsTheCheckoutItWasBuiltFrom() throws {
        let root = TrainingRunTests.repositoryRoot
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path) else {
            throw XCTSkip("not a git checkout: nothing to compare the recorded commit with")
        }
        let head = try git(["rev-parse", "HEAD"], in: root)
        let status = try git(["status", "--porcelain", "--untracked-files=no"], in: root)
        XCTAssertEqual(BuildCommit.commit, head, "the build recorded another commit than HEAD; rebuild, and if it persists the BuildCommit plugin did not run")
        XCTAssertEqual(BuildCommit.dirty, !status.isEmpty, "tracked files: \(status.isEmpty ? "clean" : status)")
        XCTAssertEqual(BuildCommit.commit.count, 40)
    }

    private func git(_ arguments: [String], in root: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "git \(arguments.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
