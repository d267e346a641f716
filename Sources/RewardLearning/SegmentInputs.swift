import Ratings

/// The reward model's inputs for a list of segments, one row per step:
/// `values[(s·L + t)·inputSize + c]` is column c of step t of segment s.
public struct SegmentInputs: Sendable, Equatable {
    /// Steps per segment, L.
    public let segmentLength: Int
    /// Columns per step.
    public let inputSize: Int
    /// Row-major values, count × L × inputSize.
    public let values: [Float]

    /// Inputs from flat values. Throws `RewardLearningError.invalidSetting`
    /// unless sizes are positive and `values` holds whole segments.
    public init(segmentLength: Int, inputSize: Int, values: [Float]) throws {
        guard segmentLength > 0, inputSize > 0, values.count % (segmentLength * inputSize) == 0 else {
            throw RewardLearningError.invalidSetting(
                name: "segment inputs", value: "\(values.count) values for L = \(segmentLength), width \(inputSize)",
                allowed: "whole segments with positive sizes")
        }
        self.segmentLength = segmentLength
        self.inputSize = inputSize
        self.values = values
    }

    /// Inputs for `segments`, each turned into L·inputSize row-major values by
    /// `features` (e.g. `RewardFeatures.concatenated`).
    /// Throws if the segments differ in length or `features` returns the wrong count.
    public init(segments: [Segment], inputSize: Int, features: (Segment) throws -> [Float]) throws {
        let length = segments.first?.length ?? 1
        guard inputSize > 0 else {
            throw RewardLearningError.invalidSetting(name: "input size", value: "\(inputSize)", allowed: "positive")
        }
        var values: [Float] = []
        values.reserveCapacity(segments.count * length * inputSize)
        for segment in segments {
            guard segment.length == length else {
                throw RewardLearningError.segmentLengthMismatch(expected: length, found: segment.length)
            }
            let rows = try features(segment)
            guard rows.count == length * inputSize else {
                throw RewardLearningError.featureCountMismatch(
                    episodeID: segment.episodeID, startStep: segment.startStep,
                    expected: length * inputSize, found: rows.count)
            }
            values.append(contentsOf: rows)
        }
        try self.init(segmentLength: length, inputSize: inputSize, values: values)
    }

    /// Number of segments.
    public var count: Int { values.count / (segmentLength * inputSize) }

    /// Copies the rows of the given segments, in order, to `destination`.
    func copyRows<C: Collection>(of segments: C, to destination: UnsafeMutablePointer<Float>) where C.Element == Int {
        let stride = segmentLength * inputSize
        values.withUnsafeBufferPointer { source in
            var target = destination
            for s in segments {
                target.update(from: source.baseAddress! + s * stride, count: stride)
                target += stride
            }
        }
    }
}
