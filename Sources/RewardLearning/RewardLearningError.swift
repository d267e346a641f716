/// Why reward learning refused its input or stopped.
public enum RewardLearningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Training was asked to run on a label buffer with no rated segments.
    case emptyLabelBuffer(round: Int)
    /// The loss (or a gradient) of a minibatch was NaN or infinite; that update
    /// was not applied and the round stopped.
    case nonFiniteLoss(round: Int, member: Int, epoch: Int, batch: Int, detail: String)
    /// A setting has a value it cannot take.
    case invalidSetting(name: String, value: String, allowed: String)
    /// The feature function returned the wrong number of values for a segment.
    case featureCountMismatch(episodeID: Int, startStep: Int, expected: Int, found: Int)
    /// Segments of different lengths were given together.
    case segmentLengthMismatch(expected: Int, found: Int)
    /// Inputs of the wrong width were given to the reward model.
    case inputSizeMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .emptyLabelBuffer(let round):
            return "feedback round \(round): the label buffer is empty, so there is nothing to train the reward model on"
        case .nonFiniteLoss(let round, let member, let epoch, let batch, let detail):
            return "feedback round \(round): reward-model training stopped, \(detail) in ensemble member \(member), "
                + "epoch \(epoch), minibatch \(batch); that update was not applied"
        case .invalidSetting(let name, let value, let allowed):
            return "\(name) = \(value) is invalid: must be \(allowed)"
        case .featureCountMismatch(let episode, let start, let expected, let found):
            return "the feature function gave \(found) values for the segment of episode \(episode) at step \(start); "
                + "expected \(expected) (segment length × input size)"
        case .segmentLengthMismatch(let expected, let found):
            return "all segments must have the same length: found \(found) steps where \(expected) were expected"
        case .inputSizeMismatch(let expected, let found):
            return "reward-model inputs have \(found) columns; the model expects \(expected)"
        }
    }
}
