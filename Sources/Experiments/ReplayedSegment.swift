import Control
import Ratings

extension ControlEnvironment {
    /// The segment that `actions` make from the physics state `state`: the
    /// observation and physics state before each action and the true reward
    /// after it, as the episode that first produced it recorded them.
    /// - Throws: `ControlError` for a state of the wrong size or a bad action.
    public func replayedSegment(episode: Int, startStep: Int, state: [Double], actions: [[Double]]) throws -> Segment {
        try restore(state: state)
        var observations: [[Double]] = [], states: [[Double]] = [], rewards: [Double] = []
        observations.reserveCapacity(actions.count)
        states.reserveCapacity(actions.count)
        rewards.reserveCapacity(actions.count)
        for action in actions {
            observations.append(observe().values)
            states.append(physics.data.state)
            rewards.append(try step(action).reward)
        }
        return Segment(episodeID: episode, startStep: startStep, observations: observations, actions: actions,
                       rewards: rewards, states: states)
    }
}
