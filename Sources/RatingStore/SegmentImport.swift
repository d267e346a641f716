import Control
import Experiments
import Foundation

/// Segments to rate, read from a training run's ratings.jsonl or from a file
/// of replay requests (one `{"task", "state", "actions"}` per line).
public struct SegmentImport: Sendable {
    public let task: String
    public let segments: [StoredSegment]
    /// The run's own ratings (line order), for a run folder; empty for a segments file.
    public let ratings: [Int]
    /// The run's number of rating classes, for a run folder.
    public let classCount: Int?

    /// - Throws: `RatingStoreError` for a missing, empty or malformed source.
    public init(source path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RatingStoreError("no segment source at \(path): give a run folder (with ratings.jsonl) or a file of replay requests")
        }
        let source = URL(fileURLWithPath: path).standardizedFileURL.path
        if isFolder.boolValue {
            let run: RunRatings
            do { run = try RunRatings(folder: path) } catch { throw RatingStoreError("cannot import \(path): \(error)") }
            let lines = run.records
            guard !lines.isEmpty else { throw RatingStoreError("\(path) has no rated segments yet (ratings.jsonl is empty)") }
            task = run.task
            classCount = run.config.feedback?.classes
            ratings = lines.map(\.rating)
            segments = try lines.enumerated().map { index, line in
                guard let state = line.startState else {
                    throw RatingStoreError("\(path)/ratings.jsonl line \(index + 1) has no start state (the run did not record segment states)")
                }
                return StoredSegment(id: 0, task: run.task, source: source, sourceIndex: index, episode: line.episode,
                                     startStep: line.startStep, startState: state, actions: line.actions, trueReturn: line.trueReturn)
            }
        } else {
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
            task = first.task
            classCount = nil
            ratings = []
            segments = requests.enumerated().map { index, request in
                StoredSegment(id: 0, task: request.task, source: source, sourceIndex: index, episode: 0, startStep: 0,
                              startState: request.state, actions: request.actions, trueReturn: nil)
            }
        }
        if Suite.traits(of: task)?.replaysFromState == false {
            throw RatingStoreError("\(task) segments cannot be replayed (the target is drawn per episode), so they cannot be shown")
        }
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
