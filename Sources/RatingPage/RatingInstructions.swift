/// What a rater reads above the clip: what the agent is trying to do and what
/// makes one clip better than another, in a sentence or two per task.
/// `rate --instructions FILE` replaces it for a study.
public enum RatingInstructions {
    /// The instructions for a suite task (by dm_control name); a general
    /// sentence for a task without its own.
    public static func text(for task: String) -> String {
        if let own = byTask[task] { return own }
        return "Rate how well the agent does its task in this clip: better clips make steady progress towards the goal."
    }

    private static let byTask: [String: String] = [
        "cartpole-balance": "The cart slides left and right to keep the pole standing up. Better clips keep the pole straight up and the cart near the middle, with little motion.",
        "cartpole-balance_sparse": "The cart slides left and right to keep the pole standing up. Better clips keep the pole upright the whole time; a pole that tips over is bad.",
        "cartpole-swingup": "The cart swings the hanging pole up and then balances it. Better clips bring the pole upright sooner and keep it there, the cart near the middle.",
        "cartpole-swingup_sparse": "The cart swings the hanging pole up and then balances it. Better clips get the pole upright and hold it there longer.",
        "ball_in_cup-catch": "The cup moves to catch the ball hanging from it on a string. Better clips get the ball into the cup sooner and keep it there.",
        "finger-spin": "The two-jointed finger flicks the hinged bar so that it spins. Better clips keep the bar spinning fast and steadily.",
        "finger-turn_easy": "The finger turns the hinged bar so that its tip points at the target. Better clips bring the tip onto the target sooner and hold it there.",
        "finger-turn_hard": "The finger turns the hinged bar so that its tip points at the small target. Better clips bring the tip onto the target sooner and hold it there.",
        "cheetah-run": "The cheetah runs forward (to the right). Better clips run faster without stumbling; flipping over or moving backwards is bad.",
        "walker-stand": "The walker stands up straight. Better clips keep the torso high and upright; falling down is worst.",
        "walker-walk": "The walker walks forward, upright. Better clips keep the torso high and upright while walking steadily forward; falling down is worst.",
        "walker-run": "The walker runs forward, upright. Better clips move forward faster while staying upright; falling down is worst.",
        "quadruped-walk": "The four-legged robot walks forward. Better clips stay upright and move forward steadily; lying down or turning over is worst.",
        "quadruped-run": "The four-legged robot runs forward. Better clips stay upright and move forward faster; lying down or turning over is worst.",
    ]
}
