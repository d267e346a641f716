import Foundation
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
