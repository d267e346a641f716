import Control
import Ratings

extension ControlEnvironment {
    /// The segment that `actions` make from the physics state `state`: the
    /// observation and physics state before each action and the true reward
    /// after it, as the episode that first produced it recorded them.
    /// - Throws: `ControlError` for a state of the wrong size or a bad action.
    public func replayedSegment(episode: Int, startStep: Int, state: [Double], actions: [[Double]]) throws -> Segment {
        let replay = try self.replay(state: state, actions: actions, recordingStates: true)
        return Segment(episodeID: episode, startStep: startStep, observations: Array(replay.observations.dropLast()),
                       actions: actions, rewards: replay.rewards, states: replay.states)
    }
}
