import Foundation
import XCTest

/// `ratingrl refit` on real runs: a table with one row per feedback round, a
/// final line, and one-line errors for what cannot be refitted.
extension CommandLineTests {
    func testRefitTrainsOnARunsRatingsRoundByRound() throws {
        let root = temporaryFolder("refit")
        try trainTinyRuns(into: root)
        let ours0 = root + "/ours/seed0", ours1 = root + "/ours/seed1"

        let own = try run(["refit", "--run", ours0, "--seed", "1"])
        XCTAssertEqual(own.status, 0, own.error)
        var lines = own.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5, own.output)
        XCTAssert(lines[0].hasPrefix("refit of \(ours0) (cartpole-balance, n = 4): ours under the balanced-accuracy rule, seed 1; "
                                     + "80 ratings in 2 rounds; tested on 20 segments (every fifth of its ratings)"), lines[0])
        XCTAssert(lines[1].hasPrefix("round  ratings  histogram"), lines[1])
        XCTAssert(lines[2].hasPrefix("0      40       ["), lines[2])
        XCTAssert(lines[3].hasPrefix("1      80       ["), lines[3])
        XCTAssert(lines[4].hasPrefix("final: test Spearman "), lines[4])

        // Another method takes its own stop rule; --test replaces the held-out fifth.
        let other = try run(["refit", "--run", ours0, "--method", "rbrl", "--test", ours1])
        XCTAssertEqual(other.status, 0, other.error)
        lines = other.output.split(separator: "\n").map(String.init)
        XCTAssert(lines[0].contains("rbrl under the accuracy rule, seed 0; 100 ratings in 2 rounds; tested on 100 segments "
                                    + "(the rated segments of \(ours1))"), lines[0])
        XCTAssert(lines[2].contains(" 0.00   1.00 "), "rbrl weighs only the classification term: \(lines[2])")
        let ruled = try run(["refit", "--run", ours0, "--method", "rbrl", "--stop-rule", "balanced-accuracy"])
        XCTAssert(ruled.output.hasPrefix("refit of \(ours0) (cartpole-balance, n = 4): rbrl under the balanced-accuracy rule"),
                  ruled.output + ruled.error)

        for (arguments, message) in [
            (["--run", root + "/ppo/seed0"], "is a ppo run, which rates nothing"),
            (["--run", root + "/missing"], "does not exist"),
            (["--run", ours0, "--method", "best"], "The value 'best' is invalid for '--method <method>'. Please provide one of 'rbrl', 'ours',"),
            (["--run", ours0, "--stop-rule", "never"], "The value 'never' is invalid for '--stop-rule <rule>'. Please provide one of 'accuracy',"),
        ] {
            let outcome = try run(["refit"] + arguments)
            XCTAssertNotEqual(outcome.status, 0, "\(arguments)")
            XCTAssert(outcome.error.contains(message), "\(arguments): \(outcome.error)")
        }
        // A run of another task (its config.json is all that is read before the refusal).
        let walker = root + "/walker"
        try FileManager.default.createDirectory(atPath: walker, withIntermediateDirectories: false)
        let config = try String(contentsOfFile: ours1 + "/config.json", encoding: .utf8)
        XCTAssert(config.contains("\"task\" : \"cartpole-balance\""), config)
        try config.replacingOccurrences(of: "\"task\" : \"cartpole-balance\"", with: "\"task\" : \"walker-walk\"")
            .write(toFile: walker + "/config.json", atomically: true, encoding: .utf8)
        let mixed = try run(["refit", "--run", ours0, "--test", walker])
        XCTAssertNotEqual(mixed.status, 0)
        XCTAssert(mixed.error.contains("is a walker-walk run; \(ours0) trains cartpole-balance"), mixed.error)
    }
}
