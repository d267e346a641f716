import Foundation
import Ratings
import RewardLearning

/// `feedback.jsonl`: one JSON object per feedback round (rating histogram,
/// accuracy, losses, s₁, s₂ and effective weights per member, held-out
/// correlations), each written as one whole line.
public final class FeedbackLog {
    private let handle: FileHandle

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RunError("cannot create \(path)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    struct Line: Encodable {
        let envSteps: Int
        let report: TrainingReport
        enum CodingKeys: String, CodingKey {
            case envSteps = "env_steps"
            case report
        }
    }

    public func append(_ report: TrainingReport, envSteps: Int) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = try encoder.encode(Line(envSteps: envSteps, report: report))
        data.append(0x0A)
        handle.write(data)
    }
}

/// `ratings.jsonl`: every rating given, one JSON object per line, with what
/// replaying the segment needs (the physics state at its first step and its
/// actions) so it can be checked or rendered later.
public final class RatingLog {
    private let handle: FileHandle

    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw RunError("cannot create \(path)")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    struct Line: Encodable {
        let round: Int
        let episode: Int
        let startStep: Int
        let rating: Int
        let trueReturn: Double
        let startState: [Double]?
        let actions: [[Double]]
        enum CodingKeys: String, CodingKey {
            case round, episode, rating, actions
            case startStep = "start_step"
            case trueReturn = "true_return"
            case startState = "start_state"
        }
    }

    public func append(_ rated: [RatedSegment], round: Int) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for item in rated {
            let segment = item.segment
            data += try encoder.encode(Line(round: round, episode: segment.episodeID, startStep: segment.startStep,
                                            rating: item.rating, trueReturn: segment.trueReturn,
                                            startState: segment.states?.first, actions: segment.actions))
            data.append(0x0A)
        }
        handle.write(data)
    }
}
