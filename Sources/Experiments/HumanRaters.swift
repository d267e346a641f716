import Ratings

/// People who rate a feedback round's segments instead of the synthetic rater
/// (e.g. through a ratings database and its web page).
public protocol HumanRaters: AnyObject {
    /// Offers round `round`'s `segments` for rating and returns their classes
    /// once they are rated (nil for one left unrated), in order. Offering the
    /// same round's segments again (a resumed run) returns the ratings already
    /// given. Asks `shouldStop` while it waits and then throws `stopped()`.
    func ratings(for segments: [Segment], round: Int, shouldStop: () -> Bool, stopped: () -> Error) throws -> [Int?]
}
