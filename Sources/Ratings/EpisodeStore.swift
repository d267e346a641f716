import Randomness

/// The most recent complete episodes, kept so that segments can be cut from
/// them, rated, replayed and rendered later.
///
/// Holds at most `capacity` episodes; adding one more drops the oldest.
/// Segments are uniformly random windows: every valid (episode, start step)
/// pair is equally likely, so longer episodes are drawn proportionally more.
public struct EpisodeStore: Sendable {
    /// Most episodes kept.
    public let capacity: Int
    /// Steps per sampled segment, L.
    public let segmentLength: Int
    /// The stored episodes, oldest first.
    public private(set) var episodes: [Episode] = []
    /// The id the next added episode gets.
    public private(set) var nextEpisodeID = 0

    /// An empty store. Throws `RatingError.invalidSetting` unless both values are positive.
    public init(capacity: Int = 100, segmentLength: Int = 50) throws {
        guard (1...100_000).contains(capacity) else {
            throw RatingError.invalidSetting(name: "episode capacity", value: "\(capacity)", allowed: "1 to 100000")
        }
        guard (1...100_000).contains(segmentLength) else {
            throw RatingError.invalidSetting(name: "segment length", value: "\(segmentLength)", allowed: "1 to 100000")
        }
        self.capacity = capacity
        self.segmentLength = segmentLength
    }

    /// A store holding `episodes` (oldest first) whose next episode gets `nextEpisodeID`:
    /// a store restored from a checkpoint. Throws as `init(capacity:segmentLength:)`,
    /// or `RatingError.invalidSetting` when there are more episodes than `capacity`
    /// or an id is not below `nextEpisodeID`.
    public init(capacity: Int, segmentLength: Int, episodes: [Episode], nextEpisodeID: Int) throws {
        try self.init(capacity: capacity, segmentLength: segmentLength)
        guard episodes.count <= capacity, episodes.allSatisfy({ $0.id < nextEpisodeID }) else {
            throw RatingError.invalidSetting(name: "stored episodes", value: "\(episodes.count), next id \(nextEpisodeID)",
                                             allowed: "at most \(capacity), ids below the next id")
        }
        self.episodes = episodes
        self.nextEpisodeID = nextEpisodeID
    }

    /// Number of stored episodes.
    public var count: Int { episodes.count }

    /// Number of valid (episode, start) windows over all stored episodes.
    public var windowCount: Int {
        episodes.reduce(0) { $0 + $1.windowCount(segmentLength: segmentLength) }
    }

    /// Stores a complete episode (dropping the oldest when full) and returns its id.
    /// Throws `RatingError.inconsistentEpisode` if the per-step lists differ in length.
    @discardableResult
    public mutating func add(observations: [[Double]], actions: [[Double]], rewards: [Double],
                             states: [[Double]]? = nil) throws -> Int {
        let episode = try Episode(id: nextEpisodeID, observations: observations, actions: actions,
                                  rewards: rewards, states: states)
        nextEpisodeID += 1
        episodes.append(episode)
        if episodes.count > capacity {
            episodes.removeFirst(episodes.count - capacity)
        }
        return episode.id
    }

    /// `count` windows drawn independently and uniformly over all valid
    /// (episode, start) pairs (with replacement).
    /// Throws `RatingError.noWindows` when no stored episode is long enough.
    public func sampleSegments(count: Int, random: inout SeededRandom) throws -> [Segment] {
        precondition(count >= 0, "EpisodeStore.sampleSegments: count must be non-negative")
        // cumulative[i] = number of windows in episodes 0...i.
        var cumulative: [Int] = []
        cumulative.reserveCapacity(episodes.count)
        var total = 0
        for episode in episodes {
            total += episode.windowCount(segmentLength: segmentLength)
            cumulative.append(total)
        }
        guard total > 0 else {
            throw RatingError.noWindows(segmentLength: segmentLength, episodeCount: episodes.count)
        }
        var segments: [Segment] = []
        segments.reserveCapacity(count)
        for _ in 0..<count {
            let window = RandomDraws.index(below: total, random: &random)
            let e = firstIndex(in: cumulative, above: window)
            let start = window - (e == 0 ? 0 : cumulative[e - 1])
            segments.append(episodes[e].segment(start: start, length: segmentLength))
        }
        return segments
    }

    /// The first index whose value exceeds `value` in the non-decreasing `values` (binary search).
    private func firstIndex(in values: [Int], above value: Int) -> Int {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = (low + high) / 2
            if values[mid] > value { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
