import Foundation
import Ratings
import RewardLearning

/// A file of JSON objects, one per line, each line written whole.
public final class JSONLinesLog {
    private let handle: FileHandle
    private let encoder: JSONEncoder

    /// A new, empty log; or, with `keepingBytes`, an existing one cut back to
    /// that many bytes (a resumed run's position) and appended to.
    public init(path: String, keepingBytes: UInt64? = nil) throws {
        handle = try openLog(path: path, header: "", keepingBytes: keepingBytes)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
    }

    deinit { try? handle.close() }

    /// Bytes written so far.
    public var size: UInt64 { handle.offsetInFile }

    /// Appends one line per value, in one write (so a kill never leaves half a line).
    public func append<Value: Encodable>(_ values: [Value]) throws {
        var data = Data()
        for value in values {
            data += try encoder.encode(value)
            data.append(0x0A)
        }
        handle.write(data)
    }
}

/// A line of `feedback.jsonl`: one feedback round's diagnostics (rating
/// histogram, accuracy, losses, s₁, s₂ and effective weights per member,
/// held-out correlations).
struct FeedbackLine: Encodable {
    let envSteps: Int
    let report: TrainingReport
    enum CodingKeys: String, CodingKey {
        case envSteps = "env_steps"
        case report
    }
}

/// A line of `ratings.jsonl`: one rating with what replaying its segment needs
/// (the physics state at its first step and its actions).
public struct RatingLine: Codable, Sendable, Equatable {
    public var round: Int
    public var episode: Int
    public var startStep: Int
    public var rating: Int
    public var trueReturn: Double
    /// The physics state at the segment's first step; nil when the run did not record states.
    public var startState: [Double]?
    public var actions: [[Double]]
    enum CodingKeys: String, CodingKey {
        case round, episode, rating, actions
        case startStep = "start_step"
        case trueReturn = "true_return"
        case startState = "start_state"
    }

    init(_ rated: RatedSegment, round: Int) {
        self.round = round
        episode = rated.segment.episodeID
        startStep = rated.segment.startStep
        rating = rated.rating
        trueReturn = rated.segment.trueReturn
        startState = rated.segment.states?.first
        actions = rated.segment.actions
    }
}
