import Ratings

/// Builds the reward model's per-step input, concat(normalised observation, action).
public enum RewardFeatures {
    /// The segment's L rows of `normalize(observation) ++ action`, row-major.
    ///
    /// - Parameter normalize: the policy's observation normaliser, applied to
    ///   each raw observation (identity if the caller has none).
    public static func concatenated(_ segment: Segment, normalize: ([Double]) -> [Double] = { $0 }) -> [Float] {
        var rows: [Float] = []
        for t in 0..<segment.length {
            rows.append(contentsOf: normalize(segment.observations[t]).map(Float.init))
            rows.append(contentsOf: segment.actions[t].map(Float.init))
        }
        return rows
    }
}
