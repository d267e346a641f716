/// Why a rating component rejected its input or settings.
public enum RatingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number of rating classes is outside 2…6.
    case invalidClassCount(Int)
    /// A rating is outside 0…classCount−1.
    case ratingOutOfRange(rating: Int, classCount: Int)
    /// A setting has a value it cannot take (name, value, what is allowed).
    case invalidSetting(name: String, value: String, allowed: String)
    /// No stored episode is long enough to cut a window of the requested length.
    case noWindows(segmentLength: Int, episodeCount: Int)
    /// An episode's observations, actions and rewards have different step counts.
    case inconsistentEpisode(detail: String)
    /// A per-segment score list does not have one score per candidate.
    case scoreCountMismatch(scores: Int, candidates: Int)

    public var description: String {
        switch self {
        case .invalidClassCount(let n):
            return "the number of rating classes must be between 2 and 6, got \(n)"
        case .ratingOutOfRange(let rating, let n):
            return "rating \(rating) is outside 0…\(n - 1) for \(n) classes"
        case .invalidSetting(let name, let value, let allowed):
            return "\(name) = \(value) is invalid: must be \(allowed)"
        case .noWindows(let length, let episodes):
            return "no stored episode (of \(episodes)) has at least \(length) steps, so no segment can be sampled"
        case .inconsistentEpisode(let detail):
            return "inconsistent episode: \(detail)"
        case .scoreCountMismatch(let scores, let candidates):
            return "disagreement scoring returned \(scores) scores for \(candidates) candidate segments"
        }
    }
}
