import Control
import Foundation

/// Segments to rate, imported into a ratings database: a training run's rated
/// segments (with the run's own ratings), or a file of replay requests (one
/// `{"task", "state", "actions"}` per line).
public struct SegmentImport: Sendable {
    public let task: String
    public let segments: [StoredSegment]
    /// The run's own ratings (line order), for a run folder; empty for a segments file.
    public let ratings: [Int]
    /// The run's number of rating classes, for a run folder.
    public let classCount: Int?

    /// Segments of `task`; for a run's segments, also the run's ratings (in
    /// segment order) and its number of classes.
    /// - Throws: `RatingStoreError` for a task whose segments cannot be replayed.
    public init(task: String, segments: [StoredSegment], ratings: [Int] = [], classCount: Int? = nil) throws {
        if Suite.traits(of: task)?.replaysFromState == false {
            throw RatingStoreError("\(task) segments cannot be replayed (the target is drawn per episode), so they cannot be shown")
        }
        self.task = task
        self.segments = segments
        self.ratings = ratings
        self.classCount = classCount
    }

    /// The segments of the file of replay requests at `path`, one per line.
    /// - Throws: `RatingStoreError` for an unreadable, empty or malformed file, or one that mixes tasks.
    public init(requestsFile path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw RatingStoreError("cannot read \(path)") }
        let decoder = JSONDecoder()
        let requests = try text.split(separator: "\n").enumerated().map { number, line in
            do { return try decoder.decode(ReplayRequest.self, from: Data(line.utf8)) } catch {
                throw RatingStoreError("\(path) line \(number + 1) is not a replay request {\"task\", \"state\", \"actions\"}")
            }
        }
        guard let first = requests.first else { throw RatingStoreError("\(path) holds no segments") }
        if let other = requests.first(where: { $0.task != first.task }) {
            throw RatingStoreError("\(path) mixes tasks (\(first.task), \(other.task)); a database holds one task")
        }
        let source = Self.sourceName(path)
        try self.init(task: first.task, segments: requests.enumerated().map { index, request in
            StoredSegment(id: 0, task: request.task, source: source, sourceIndex: index, episode: 0, startStep: 0,
                          startState: request.state, actions: request.actions, trueReturn: nil)
        })
    }

    /// How a database names the run folder or file at `path`: its standardised absolute path.
    public static func sourceName(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Replays every segment in the task's environment, so that nothing that
    /// cannot be shown (a state of the wrong size for the model, actions of the
    /// wrong size or out of range, no actions, more than an episode) gets into
    /// a database, where it could be rated but never rendered.
    /// - Throws: `RatingStoreError` naming the first such segment and why.
    public func check(models: ModelDirectory) throws {
        let environment: ControlEnvironment
        do { environment = try Suite.make(task, models: models) } catch {
            throw RatingStoreError("cannot import segments of \(task): \(error)")
        }
        for segment in segments {
            let place = "segment \(segment.sourceIndex) of \(segment.source) (line \(segment.sourceIndex + 1))"
            guard !segment.actions.isEmpty else { throw RatingStoreError("\(place) has no actions, so it has no clip; nothing was imported") }
            do { _ = try environment.replay(state: segment.startState, actions: segment.actions) } catch {
                throw RatingStoreError("\(place) cannot be replayed in \(task): \(error); nothing was imported")
            }
        }
    }
}
