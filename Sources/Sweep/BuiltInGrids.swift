
/// Grids that come with the program, by name (`ratingrl sweep --grid NAME`).
public enum BuiltInGrids {
    /// A built-in grid's name.
    public enum Name: String, CaseIterable, Sendable {
        case paper, smoke

        /// The grid's text.
        public var text: String {
            switch self {
            case .paper: BuiltInGrids.paper
            case .smoke: BuiltInGrids.smoke
            }
        }
    }

    /// The paper's grid: 6 tasks × n = 2…6 × 6 methods × 10 seeds, 4M steps,
    /// paper preset. The paper counts 1,800 runs; ppo does not use ratings, so
    /// it runs once per task and seed, not once per n: 1,560 runs.
    public static let paper = """
        # The paper's grid (ratingrl sweep --grid paper).
        tasks: [cartpole-balance, ball_in_cup-catch, finger-spin, cheetah-run, walker-walk, quadruped-walk]
        classes: [2, 3, 4, 5, 6]
        methods: [ppo, rbrl, ours, ours-equal, ours-cls, ours-reg]
        seeds: [12345, 23451, 34512, 45123, 51234, 67890, 78906, 89067, 90678, 6789]
        steps: 4000000
        preset: paper
        """

    /// A few minutes' check that sweeps and every run type work: 2 tasks × 2
    /// methods × 2 seeds of 12,288 steps (6 quick rollouts) with 3 small
    /// feedback rounds (the first once episodes have finished, at 8,192 steps).
    public static let smoke = """
        # A quick end-to-end check (ratingrl sweep --grid smoke).
        tasks: [cartpole-balance, walker-walk]
        methods: [ppo, ours]
        seeds: [1, 2]
        classes: 4
        steps: 12288
        preset: quick
        evaluationEpisodes: 2
        firstRound: 8192
        roundInterval: 2048
        ratingsPerRound: 20
        ratings: 60
        rewardEpochs: 10
        """
}
