import Foundation

/// The choice of rating scale a configuration makes (`feedback.scale`).
public enum RatingScaleRule: String, Codable, Sendable, CaseIterable {
    /// n equal bins of [0, G_max] (`feedback.maxReturn`): RbRL's scale.
    case uniform
    /// The task's fixed boundaries of unequal width (`TaskRatingScale`).
    case task
}

/// A rating scale per task, set by one rule from two measured numbers:
///
/// - `low`: what a random policy's 50-step segments typically earn (their
///   median return), but at least `floor`, so that class 0 means "no better
///   than acting at random";
/// - `high`: the median 50-step segment return of PPO on the true reward
///   (quick preset) at the end of the rating window (640k steps: 20 rounds
///   from 32k, one every 32k), so that the top class means "as good as the
///   reference policy by the time the last ratings are given".
///
/// The n−1 inner edges run geometrically from `low` to `high`:
/// e_k = low·(high/low)^((k−1)/(n−2)) for k = 1…n−1 (n ≥ 3), and
/// e_1 = √(low·high) for n = 2. Geometric spacing gives the early, near-random
/// segments (returns of 0–5 on most tasks) classes of their own, which equal
/// bins of [0, 50] cannot: with G_max = 50 and n = 4, class 1 needs 12.5.
/// The edges are fixed for a run, so a rating means the same at every round.
///
/// Measured with `ratingrl segment-returns` (10 episodes, every 50-step
/// window, seed 100; OpenBLAS Haswell kernel for the PPO policies, quick
/// preset, seed 100, 640k steps):
///
/// | task | random median (p99) | PPO at 640k median (p25) | edges at n = 4 |
/// |---|---|---|---|
/// | cartpole-balance | 14.20 (46.46) | 49.99 (49.99) | 14.2, 26.6, 50.0 |
/// | ball_in_cup-catch | 0.00 (50.00) | 50.00 (50.00) | 0.5, 5.0, 50.0 |
/// | finger-spin | 0.00 (0.00) | 32.00 (27.00) | 0.5, 4.0, 32.0 |
/// | cheetah-run | 0.07 (1.30) | 28.48 (24.34) | 0.5, 3.8, 28.5 |
/// | walker-walk | 1.42 (5.26) | 26.51 (21.34) | 1.42, 6.1, 26.5 |
/// | quadruped-walk | 0.06 (5.10) | 12.10 (11.83) | 0.5, 2.5, 12.1 |
///
/// RbRL's scales, for comparison: walker equal bins of [0, 50] (n = 4: 12.5,
/// 25, 37.5), which rate most of what quick-preset runs produce in the rating
/// window class 0; quadruped G_max 20 (5, 10, 15). A random policy's p99 is no
/// use as `low`: on ball_in_cup one lucky random episode catches the ball
/// (p99 50), so the median it is.
public enum TaskRatingScale {
    /// The least `low`: a segment must earn this much to rise above class 0.
    public static let floor = 0.5

    /// (random median, PPO median at 640k) per task, from the table above.
    public static let measured: [String: (randomMedian: Double, referenceMedian: Double)] = [
        "cartpole-balance": (14.20, 49.99),
        "ball_in_cup-catch": (0.00, 50.00),
        "finger-spin": (0.00, 32.00),
        "cheetah-run": (0.07, 28.48),
        "walker-walk": (1.42, 26.51),
        "quadruped-walk": (0.06, 12.10),
    ]

    /// The n−1 inner edges of `task`'s scale for `classCount` classes.
    /// - Throws: `RatingError` for a task without measurements or a class count outside 2…6.
    public static func innerEdges(task: String, classCount: Int) throws -> [Double] {
        try RatingScale.validate(classCount: classCount)
        guard let numbers = measured[task] else {
            throw RatingError.invalidSetting(name: "rating scale 'task'", value: task,
                                             allowed: "a task with measured boundaries: \(measured.keys.sorted().joined(separator: ", ")) (or the uniform scale)")
        }
        return geometricEdges(low: max(floor, numbers.randomMedian), high: numbers.referenceMedian, classCount: classCount)
    }

    /// n−1 edges from `low` to `high`, evenly spaced in log(return).
    public static func geometricEdges(low: Double, high: Double, classCount: Int) -> [Double] {
        guard classCount > 2 else { return [(low * high).squareRoot()] }
        return (0..<(classCount - 1)).map { k in low * pow(high / low, Double(k) / Double(classCount - 2)) }
    }
}
