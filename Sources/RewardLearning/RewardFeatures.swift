import Ratings

/// Builds the reward model's per-step input, concat(normalised observation, action).
public enum RewardFeatures {
    /// The segment's L rows of `normalize(observation) ++ action`, row-major.
    ///
    /// - Parameter normalize: the policy's observation normaliser, applied to
    ///   each raw observation (by default the observation as it is).
    public static func concatenated(_ segment: Segment,
                                    normalize: ([Double]) -> [Float] = { $0.map(Float.init) }) -> [Float] {
        var rows: [Float] = []
        for t in 0..<segment.length {
            rows.append(contentsOf: normalize(segment.observations[t]))
            rows.append(contentsOf: segment.actions[t].map(Float.init))
        }
        return rows
    }
}
