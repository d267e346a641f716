import Control
import PPO
import Randomness
import Render

/// Plays recorded segments and policy episodes in an environment, rendering
/// a frame at the start and after every step into a `ClipWriter`.
///
/// Rendering only reads the simulation, so a played segment follows exactly
/// the trajectory an unrendered replay follows.
public final class ClipPlayer {
    public let environment: ControlEnvironment
    public let renderer: SceneRenderer

    public init(environment: ControlEnvironment, renderer: SceneRenderer) {
        self.environment = environment
        self.renderer = renderer
    }

    /// Replays `actions` from the physics `state`.
    /// - Returns: the reward of every step.
    @discardableResult
    public func playSegment(state: [Double], actions: [[Double]], clip: ClipInfo, into writer: ClipWriter) throws -> [Double] {
        guard actions.count <= environment.stepLimit else {
            throw ControlError.invalidInput("\(actions.count) actions given; an episode of \(environment.name) has at most \(environment.stepLimit)")
        }
        try environment.restore(state: state)
        writer.begin(clip)
        try emit(clip: clip, index: 0, reward: nil, into: writer)
        var rewards: [Double] = []
        for (t, action) in actions.enumerated() {
            let step: TimeStep
            do { step = try environment.step(action) } catch let error as ControlError {
                throw ControlError.invalidInput("action \(t): \(error)")
            }
            rewards.append(step.reward)
            try emit(clip: clip, index: t + 1, reward: step.reward, into: writer)
        }
        return rewards
    }

    /// Runs one episode of `agent`'s deterministic policy (the mean action,
    /// clipped to the action bounds) from the environment's initial state for `seed`.
    /// - Returns: the episode's rewards.
    @discardableResult
    public func playEpisode(agent: PPOAgent, seed: UInt64, clip: ClipInfo, into writer: ClipWriter) throws -> [Double] {
        var step = try environment.reset(seed: seed)
        writer.begin(clip)
        try emit(clip: clip, index: 0, reward: nil, returnSoFar: 0, into: writer)
        var rewards: [Double] = []
        var returnSoFar = 0.0
        let bounds = environment.actionSpec
        while !step.isLast {
            var action = agent.deterministicActions([step.observation.values])[0]
            for j in action.indices { action[j] = min(max(action[j], bounds.lower[j]), bounds.upper[j]) }
            step = try environment.step(action)
            rewards.append(step.reward)
            returnSoFar += step.reward
            try emit(clip: clip, index: rewards.count, reward: step.reward, returnSoFar: returnSoFar, into: writer)
        }
        return rewards
    }

    /// Resets to the initial state for `seed` and takes `steps` actions drawn
    /// uniformly within the action bounds (from a stream seeded by `seed`).
    /// - Returns: the rewards.
    @discardableResult
    public func playRandomActions(steps: Int, seed: UInt64, clip: ClipInfo, into writer: ClipWriter) throws -> [Double] {
        guard steps <= environment.stepLimit else {
            throw ControlError.invalidInput("\(steps) steps asked; an episode of \(environment.name) has at most \(environment.stepLimit)")
        }
        _ = try environment.reset(seed: seed)
        var random = SeededRandom(seed: seed &+ 7919)
        writer.begin(clip)
        try emit(clip: clip, index: 0, reward: nil, into: writer)
        var rewards: [Double] = []
        let bounds = environment.actionSpec
        for _ in 0..<steps {
            let action = bounds.lower.indices.map { random.uniform(bounds.lower[$0], bounds.upper[$0]) }
            rewards.append(try environment.step(action).reward)
            try emit(clip: clip, index: rewards.count, reward: rewards.last, into: writer)
        }
        return rewards
    }

    private func emit(clip: ClipInfo, index: Int, reward: Double?, returnSoFar: Double? = nil, into writer: ClipWriter) throws {
        let data = environment.physics.data
        let captioned = writer.wantsCaptionedFrame
            ? renderer.render(data, caption: Self.caption(clip: clip, index: index, reward: reward, returnSoFar: returnSoFar)) : nil
        try writer.add(renderer.render(data), captioned: captioned)
    }

    /// The filmstrip caption of a frame: step and reward, for a rated
    /// segment its class and true return, and for a policy episode the return
    /// so far (`returnSoFar`).
    public static func caption(clip: ClipInfo, index: Int, reward: Double?,
                               returnSoFar: Double? = nil) -> [(label: String, value: String)] {
        var rows: [(label: String, value: String)] = [("step", "\(clip.firstStep + index)"),
                                                      ("r", reward.map { fixed($0, digits: 3) } ?? "-")]
        if let returnSoFar { rows.append(("so far", fixed(returnSoFar, digits: 1))) }
        if let rating = clip.rating { rows.append(("class", "\(rating)")) }
        if let trueReturn = clip.trueReturn { rows.append(("return", fixed(trueReturn, digits: 2))) }
        return rows
    }

    private static func fixed(_ value: Double, digits: Int) -> String {
        let scale = Double((0..<digits).reduce(1) { r, _ in r * 10 })
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
        }
        return text
    }
}
