/// The rating scale's admissible sizes.
public enum RatingScale {
    /// The allowed numbers of rating classes n: 2…6.
    public static let classCounts: ClosedRange<Int> = 2...6

    /// Throws `RatingError.invalidClassCount` unless `classCount` is in 2…6.
    public static func validate(classCount: Int) throws {
        guard classCounts.contains(classCount) else { throw RatingError.invalidClassCount(classCount) }
    }
}
