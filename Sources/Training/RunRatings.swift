import Foundation
import RunConfiguration

/// One line of a run's `ratings.jsonl` (the format `TrainingRun` writes).
public typealias RatingRecord = RatingLine

/// A training run's task and ratings, for showing what the rater saw.
public struct RunRatings: Sendable {
    public let folder: String
    /// The run's configuration (config.json).
    public let config: TrainingConfig
    public var task: String { config.task }
    /// The ratings in file order; index K is line K (from 0).
    public let records: [RatingRecord]

    /// Reads `folder`/config.json and `folder`/ratings.jsonl.
    /// - Throws: `RunError` naming the missing or malformed file.
    public init(folder: String) throws {
        self.folder = folder
        config = try RunDirectory.configuration(in: folder)
        let ratingsPath = folder + "/ratings.jsonl"
        guard let text = try? String(contentsOfFile: ratingsPath, encoding: .utf8) else {
            throw RunError("\(folder) has no ratings.jsonl (a run with --method ppo rates nothing)")
        }
        let decoder = JSONDecoder()
        records = try text.split(separator: "\n").enumerated().map { number, line in
            do { return try decoder.decode(RatingRecord.self, from: Data(line.utf8)) } catch {
                throw RunError("\(ratingsPath) line \(number + 1) is not a rating record")
            }
        }
    }

    /// The record at `index`.
    /// - Throws: `RunError` giving the valid range.
    public func record(_ index: Int) throws -> RatingRecord {
        guard records.indices.contains(index) else {
            throw RunError(records.isEmpty ? "\(folder) has no ratings yet"
                           : "rating \(index) is not in \(folder): it has ratings 0...\(records.count - 1)")
        }
        return records[index]
    }

    /// Indices of the `count` highest-rated segments (ties: higher true return first).
    public func best(_ count: Int) -> [Int] {
        Array(records.indices.sorted { a, b in
            let (x, y) = (records[a], records[b])
            return x.rating != y.rating ? x.rating > y.rating : (x.trueReturn != y.trueReturn ? x.trueReturn > y.trueReturn : a < b)
        }.prefix(count))
    }

    /// Indices of the `count` lowest-rated segments (ties: lower true return first).
    public func worst(_ count: Int) -> [Int] {
        Array(records.indices.sorted { a, b in
            let (x, y) = (records[a], records[b])
            return x.rating != y.rating ? x.rating < y.rating : (x.trueReturn != y.trueReturn ? x.trueReturn < y.trueReturn : a < b)
        }.prefix(count))
    }
}
