/// A segment with the rating it was given.
public struct RatedSegment: Sendable, Equatable, Codable {
    /// The rated segment.
    public var segment: Segment
    /// Its rating class, 0 (worst) … n−1 (best).
    public var rating: Int

    /// A rated segment (not validated; `LabelBuffer` checks the rating).
    public init(segment: Segment, rating: Int) {
        self.segment = segment
        self.rating = rating
    }
}

/// Every rated segment collected so far: the reward model's training set.
public struct LabelBuffer: Sendable, Equatable, Codable {
    /// Number of rating classes n, 2…6.
    public let classCount: Int
    /// The rated segments, in the order they were added.
    public private(set) var items: [RatedSegment] = []
    /// Number of segments per class, `histogram[c]` for class c.
    public private(set) var histogram: [Int]

    /// An empty buffer; throws `RatingError.invalidClassCount` unless n is in 2…6.
    public init(classCount: Int) throws {
        try RatingScale.validate(classCount: classCount)
        self.classCount = classCount
        histogram = [Int](repeating: 0, count: classCount)
    }

    /// Number of rated segments.
    public var count: Int { items.count }
    /// Whether nothing has been rated yet.
    public var isEmpty: Bool { items.isEmpty }

    /// Adds a rated segment; throws `RatingError.ratingOutOfRange` (adding nothing)
    /// unless `rating` is in 0…n−1.
    public mutating func append(_ segment: Segment, rating: Int) throws {
        guard rating >= 0, rating < classCount else {
            throw RatingError.ratingOutOfRange(rating: rating, classCount: classCount)
        }
        items.append(RatedSegment(segment: segment, rating: rating))
        histogram[rating] += 1
    }

    /// Adds several; checks all ratings first, so on error nothing is added.
    public mutating func append(contentsOf rated: [RatedSegment]) throws {
        if let bad = rated.first(where: { $0.rating < 0 || $0.rating >= classCount }) {
            throw RatingError.ratingOutOfRange(rating: bad.rating, classCount: classCount)
        }
        for item in rated { try append(item.segment, rating: item.rating) }
    }

    private enum CodingKeys: String, CodingKey { case classCount, items }

    /// Decodes a buffer, re-validating the class count and every rating.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(classCount: container.decode(Int.self, forKey: .classCount))
        try append(contentsOf: container.decode([RatedSegment].self, forKey: .items))
    }

    /// Encodes the class count and the rated segments.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(classCount, forKey: .classCount)
        try container.encode(items, forKey: .items)
    }
}
