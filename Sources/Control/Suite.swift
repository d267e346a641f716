import MuJoCo

/// The tasks this project provides, by dm_control name ("domain-task").
public enum Suite {
    /// The six tasks of the paper's benchmark.
    public static let benchmarkTasks = ["cartpole-balance", "ball_in_cup-catch", "finger-spin",
                                        "cheetah-run", "walker-walk", "quadruped-walk"]

    /// Every task that can be built, benchmark tasks first.
    public static let taskNames = benchmarkTasks + ["cartpole-balance_sparse", "cartpole-swingup",
                                                    "cartpole-swingup_sparse", "finger-turn_easy",
                                                    "finger-turn_hard", "walker-stand", "walker-run",
                                                    "quadruped-run"]

    /// What the rest of the project needs to know about a task, so that no
    /// code outside Control tests task names.
    public struct Traits: Sendable, Equatable {
        /// A segment can be replayed from its first physics state and its
        /// actions. Not for finger-turn: its target is drawn per episode and is
        /// not part of the physics state.
        public var replaysFromState: Bool
        /// The paper's PPO settings differ for quadruped tasks (16 environments,
        /// minibatch 128, GAE λ 0.9).
        public var usesQuadrupedPPOVariant: Bool
    }

    /// The traits of a task of `taskNames`; nil for an unknown name.
    public static func traits(of task: String) -> Traits? {
        guard taskNames.contains(task) else { return nil }
        let domain = task.split(separator: "-").first.map(String.init) ?? task
        return Traits(replaysFromState: !task.hasPrefix("finger-turn"), usesQuadrupedPPOVariant: domain == "quadruped")
    }

    /// Builds a task's model and environment.
    /// - Throws: `ControlError.unknownTask` (listing the valid names) or a
    ///   model-loading error.
    public static func make(_ name: String, models: ModelDirectory, seed: UInt64 = 0) throws -> ControlEnvironment {
        let model: Model
        let task: any ControlTask
        switch name {
        case "cartpole-balance", "cartpole-balance_sparse", "cartpole-swingup", "cartpole-swingup_sparse":
            model = try Cartpole.makeModel(models)
            task = try Cartpole(model: model, start: name.contains("swingup") ? .hangingDown : .nearUpright,
                                sparse: name.hasSuffix("_sparse"))
        case "ball_in_cup-catch":
            model = try BallInCup.makeModel(models)
            task = try BallInCup(model: model)
        case "finger-spin":
            model = try Finger.makeModel(models)
            task = try Finger(model: model, goal: .spin)
        case "finger-turn_easy", "finger-turn_hard":
            model = try Finger.makeModel(models)
            task = try Finger(model: model, goal: .turn(targetRadius: name.hasSuffix("easy") ? 0.07 : 0.03))
        case "cheetah-run":
            model = try Cheetah.makeModel(models)
            task = try Cheetah(model: model)
        case "walker-stand", "walker-walk", "walker-run":
            let speed = ["walker-stand": 0.0, "walker-walk": 1, "walker-run": 8][name]!
            model = try Walker.makeModel(models)
            task = try Walker(model: model, moveSpeed: speed)
        case "quadruped-walk", "quadruped-run":
            let speed = name == "quadruped-walk" ? 0.5 : 5
            model = try Quadruped.makeModel(models, desiredSpeed: speed)
            task = try Quadruped(model: model, desiredSpeed: speed)
        default:
            throw ControlError.unknownTask(name, valid: taskNames)
        }
        return try ControlEnvironment(name: name, physics: try Physics(model: model), task: task, seed: seed)
    }
}
