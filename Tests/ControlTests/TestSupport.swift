import Control
import Foundation
import XCTest

/// Paths inside the checkout, found from this file's location.
enum TestPaths {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsFolder.appendingPathComponent("Fixtures")
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()

    /// The checkout's models/, which `make test` fetches first.
    static func models() throws -> ModelDirectory {
        do {
            return try ModelDirectory(path: repositoryRoot.appendingPathComponent("models").path)
        } catch {
            XCTFail("models/ is missing: run `make models` (or `make test`, which fetches them)")
            throw error
        }
    }
}

/// One fixture file written by scripts/fixtures/make_fixtures.py from dm_control 1.0.7.
struct TaskFixture: Decodable {
    struct Episode: Decodable {
        let seed: Int
        let state: [Double]
        let actions: [[Double]]
        let observations: [[Double]]
        let rewards: [Double]
        let discounts: [Double]
        let step_types: [String]
        let observation_keys: [[KeyOrSize]]
        let task_params: TaskParameters?
    }
    /// finger-turn's per-episode target, which is not part of the physics state.
    struct TaskParameters: Decodable {
        let target_site_pos: [Double]
        let target_site_size: Double
    }
    enum KeyOrSize: Decodable {
        case key(String), size(Int)
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let size = try? container.decode(Int.self) { self = .size(size) } else { self = .key(try container.decode(String.self)) }
        }
    }
    let task: String
    let n_sub_steps: Int
    let reset_states: [[Double]]
    let episodes: [Episode]

    static func load(_ task: String) throws -> TaskFixture {
        let url = TestPaths.fixtures.appendingPathComponent("\(task).json")
        return try JSONDecoder().decode(TaskFixture.self, from: Data(contentsOf: url))
    }
}

func maxAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
