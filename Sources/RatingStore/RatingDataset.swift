import Control
import Foundation
import SegmentReplay
import TensorFiles

/// A ratings database as a dataset: every rating (in force, or also undone
/// ones) with its segment replayed from its start state, as named numpy
/// arrays for an `.npz` file (`ratings export --format npz`), one row per
/// rating in rating order (a segment rated by several raters appears once per
/// rating). With N ratings of segments of T steps:
///
/// - `observations` float64 [N, T, obs]: the raw observation before each action;
///   `actions` float64 [N, T, act]: the actions as stored;
/// - `rating`, `class_count`, `rating_id`, `segment`, `source_index`, `start_step`: int64 [N];
/// - `rater`, `source` ("human" or "synthetic"), `segment_source`: unicode [N];
/// - `time`: float64 [N], seconds since 1970 (UTC);
/// - `true_return`: float64 [N], the segment's true return where known (synthetic sources), NaN otherwise;
/// - `withdrawn_at`: float64 [N], when undone (NaN for ratings in force), only with undone ratings included;
/// - `task`: a 0-d unicode array; `observation_keys` (unicode) and
///   `observation_key_sizes` (int64): the observation's named parts in order.
public enum RatingDataset {
    /// The dataset of `database`, its segments replayed in `environment` (of the database's task).
    /// - Throws: `RatingStoreError` for another task, segments of different
    ///   lengths or a segment that cannot be replayed.
    public static func arrays(_ database: RatingDatabase, environment: ControlEnvironment,
                              includingWithdrawn: Bool = false) throws -> [(name: String, array: NumpyArray)] {
        guard environment.name == database.task else {
            throw RatingStoreError("\(database.path) holds ratings of \(database.task), not \(environment.name)")
        }
        let rows = try RatingExport.rows(database, includingWithdrawn: includingWithdrawn)
        let segments = Dictionary(uniqueKeysWithValues: try database.segments().map { ($0.id, $0) })
        var observations: [Int64: [[Double]]] = [:]
        for id in Set(rows.map(\.segment)) {
            guard let segment = segments[id] else { throw RatingStoreError("a rating names segment \(id), which is not in \(database.path)") }
            do {
                observations[id] = try environment.replayedSegment(episode: segment.episode, startStep: segment.startStep,
                                                                   state: segment.startState, actions: segment.actions).observations
            } catch {
                throw RatingStoreError("segment \(id) cannot be replayed: \(error)")
            }
        }
        let lengths = Set(rows.map { segments[$0.segment]!.actions.count })
        guard lengths.count <= 1 else {
            throw RatingStoreError("\(database.path) holds segments of \(lengths.sorted().map(String.init).joined(separator: ", ")) steps; an npz dataset needs one length")
        }
        let steps = lengths.first ?? 0
        let observationSize = environment.observationSpec.size, actionSize = environment.actionSpec.size
        func integers(_ value: (RatingExport.Row) -> Int64) -> NumpyArray { NumpyArray(.int64(rows.map(value))) }
        var arrays: [(name: String, array: NumpyArray)] = [
            ("observations", try NumpyArray(shape: [rows.count, steps, observationSize],
                                            values: .float64(rows.flatMap { observations[$0.segment]!.joined() }))),
            ("actions", try NumpyArray(shape: [rows.count, steps, actionSize],
                                       values: .float64(rows.flatMap { segments[$0.segment]!.actions.joined() }))),
            ("rating", integers { Int64($0.rating) }),
            ("class_count", integers { Int64($0.classCount) }),
            ("rater", NumpyArray(.unicode(rows.map(\.rater)))),
            ("time", NumpyArray(.float64(rows.map(\.time)))),
            ("source", NumpyArray(.unicode(rows.map(\.source)))),
            ("true_return", NumpyArray(.float64(rows.map { $0.trueReturn ?? .nan }))),
            ("rating_id", integers(\.id)),
            ("segment", integers(\.segment)),
            ("segment_source", NumpyArray(.unicode(rows.map { $0.segmentSource ?? "" }))),
            ("source_index", integers { Int64($0.sourceIndex) }),
            ("start_step", integers { Int64($0.startStep) }),
            ("task", try NumpyArray(shape: [], values: .unicode([database.task]))),
            ("observation_keys", NumpyArray(.unicode(environment.observationSpec.keys.map(\.name)))),
            ("observation_key_sizes", NumpyArray(.int64(environment.observationSpec.keys.map { Int64($0.size) }))),
        ]
        if includingWithdrawn { arrays.append(("withdrawn_at", NumpyArray(.float64(rows.map { $0.withdrawnAt ?? .nan })))) }
        return arrays
    }

    /// The dataset as the bytes of an `.npz` file.
    public static func npz(_ database: RatingDatabase, environment: ControlEnvironment, includingWithdrawn: Bool = false) throws -> Data {
        try NumpyArchive.encode(arrays(database, environment: environment, includingWithdrawn: includingWithdrawn))
    }
}
