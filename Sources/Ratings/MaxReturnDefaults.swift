extension SyntheticRater {
    /// Default G_max per task (dm_control "domain-task" names): the segment
    /// return (L = 50) at the top of the rating scale.
    ///
    /// Chosen from measured segment-return distributions (`ratingrl
    /// segment-returns`, 10 episodes, every length-50 window; trained = PPO,
    /// quick preset, 1M steps, seeds 0–2; see docs/training.md, "The rating scale"):
    ///
    /// | task | random policy p99 / max | trained policies p95 (per seed) |
    /// |---|---|---|
    /// | cartpole-balance | 46.4 / 47.2 | 50.0, 49.95, – |
    /// | ball_in_cup-catch | 0 / 0 | 50, 50 |
    /// | finger-spin | 0 / 2 | 50, 47 |
    /// | cheetah-run | 1.3 / 1.6 | 49.9, 35.8 |
    /// | walker-walk | 3.6 / 6.7 | 29.9, 16.3, 46.7 |
    /// | quadruped-walk | 4.5 / 26.7 | 17.1, 9.2, 49.8 |
    ///
    /// In every task a trained policy reaches segment returns of about 50 (each
    /// step's reward is at most 1), and random policies stay far below in all
    /// but cartpole, so G_max = 50 = L everywhere: the scale spans what is
    /// attainable, and its top class means near-perfect behaviour. RbRL's
    /// values (30; walker 50; quadruped 20) would put every segment of a
    /// half-trained cartpole or quadruped policy in the top class.
    public static let defaultMaxReturns: [String: Double] = [
        "cartpole-balance": 50,
        "ball_in_cup-catch": 50,
        "finger-spin": 50,
        "cheetah-run": 50,
        "walker-walk": 50,
        "quadruped-walk": 50,
    ]

    /// G_max for `task`: its entry in `defaultMaxReturns`, otherwise the
    /// segment length's worth of the maximum per-step reward (50).
    public static func defaultMaxReturn(task: String) -> Double {
        defaultMaxReturns[task] ?? 50
    }
}
