import Foundation
import RatingStore
import Training

extension SegmentImport {
    /// The segments of `path`: a training run's folder (its ratings.jsonl
    /// holds each rated segment's start state and actions, and its ratings) or
    /// a file of replay requests.
    /// - Throws: `RatingStoreError` for a missing, empty or malformed source.
    init(source path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RatingStoreError("no segment source at \(path): give a run folder (with ratings.jsonl) or a file of replay requests")
        }
        guard isFolder.boolValue else {
            try self.init(requestsFile: path)
            return
        }
        let run: RunRatings
        do { run = try RunRatings(folder: path) } catch { throw RatingStoreError("cannot import \(path): \(error)") }
        let lines = run.records
        guard !lines.isEmpty else { throw RatingStoreError("\(path) has no rated segments yet (ratings.jsonl is empty)") }
        let source = Self.sourceName(path)
        try self.init(task: run.task, segments: lines.enumerated().map { index, line in
            guard let state = line.startState else {
                throw RatingStoreError("\(path)/ratings.jsonl line \(index + 1) has no start state (the run did not record segment states)")
            }
            return StoredSegment(id: 0, task: run.task, source: source, sourceIndex: index, episode: line.episode,
                                 startStep: line.startStep, startState: state, actions: line.actions, trueReturn: line.trueReturn)
        }, ratings: lines.map(\.rating), classCount: run.config.feedback?.classes)
    }
}
