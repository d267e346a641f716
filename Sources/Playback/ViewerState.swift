import Render

/// What a viewer is showing: which clip in which order, which frame, paused
/// or playing and how fast. A value: inputs change it, time advances it.
public struct ViewerState: Sendable, Equatable {
    /// The order clips are visited in.
    public enum Order: String, CaseIterable, Sendable {
        /// As given (ratings.jsonl order).
        case file
        /// Highest class first; ties by higher true return.
        case rating
        /// Largest disagreement between the given class and the reward
        /// model's predicted return first (see `disagreements`).
        case disagreement
    }

    /// What a key asks for.
    public enum Command: Equatable, Sendable {
        case next, previous, togglePause, stepForward, stepBackward, faster, slower, cycleOrder, toggleHelp, screenshot, quit
    }

    /// One clip's facts the orders need.
    public struct ClipFacts: Sendable, Equatable {
        public var frameCount: Int
        public var rating: Int?
        public var trueReturn: Double?
        public var predictedReturn: Double?
        public init(frameCount: Int, rating: Int? = nil, trueReturn: Double? = nil, predictedReturn: Double? = nil) {
            self.frameCount = frameCount; self.rating = rating; self.trueReturn = trueReturn; self.predictedReturn = predictedReturn
        }
    }

    /// Playback speeds, as multiples of real time.
    public static let speeds: [Double] = [0.125, 0.25, 0.5, 1, 2, 4]

    public private(set) var clips: [ClipFacts]
    public private(set) var order: Order
    /// Clip indices in visiting order.
    public private(set) var sequence: [Int]
    /// Each clip's disagreement score (see `disagreements`), as of the last
    /// change of order (and of every prediction while the order is disagreement).
    public private(set) var disagreement: [Double]
    /// Position in `sequence`.
    public private(set) var position = 0
    public private(set) var frame = 0
    public var paused: Bool
    public private(set) var speedIndex = 3
    public private(set) var showsHelp = false
    /// Time played into the current frame, in frames.
    private var framePhase = 0.0

    public init(clips: [ClipFacts], order: Order = .file, paused: Bool = false) {
        precondition(!clips.isEmpty && clips.allSatisfy { $0.frameCount > 0 }, "ViewerState: no clips, or an empty one")
        self.clips = clips
        self.order = order
        self.paused = paused
        disagreement = Self.disagreements(clips)
        sequence = Self.sequence(clips, order, disagreement: disagreement)
    }

    /// The clip shown (an index into `clips`).
    public var clip: Int { sequence[position] }
    /// The playback speed, a multiple of real time.
    public var speed: Double { Self.speeds[speedIndex] }
    /// The order after this one (file, rating, disagreement, file, ...).
    public var nextOrder: Order {
        let orders = Order.allCases
        return orders[(orders.firstIndex(of: order)! + 1) % orders.count]
    }

    /// Applies a command; `.screenshot` and `.quit` change nothing here.
    public mutating func apply(_ command: Command) {
        switch command {
        case .next: show(position: (position + 1) % sequence.count)
        case .previous: show(position: (position + sequence.count - 1) % sequence.count)
        case .togglePause: paused.toggle(); framePhase = 0
        case .stepForward: paused = true; frame = (frame + 1) % clips[clip].frameCount
        case .stepBackward: paused = true; frame = (frame + clips[clip].frameCount - 1) % clips[clip].frameCount
        case .faster: speedIndex = min(speedIndex + 1, Self.speeds.count - 1)
        case .slower: speedIndex = max(speedIndex - 1, 0)
        case .cycleOrder: setOrder(nextOrder)
        case .toggleHelp: showsHelp.toggle()
        case .screenshot, .quit: break
        }
    }

    /// Visits clips in `order`, starting from its first clip.
    public mutating func setOrder(_ order: Order) {
        self.order = order
        disagreement = Self.disagreements(clips)
        sequence = Self.sequence(clips, order, disagreement: disagreement)
        show(position: 0)
    }

    /// Records a clip's predicted return (e.g. once computed); re-sorts when
    /// the order depends on it, keeping the clip shown.
    public mutating func setPredictedReturn(_ value: Double, of index: Int) {
        clips[index].predictedReturn = value
        if order == .disagreement {
            disagreement = Self.disagreements(clips)
            let shown = clip
            sequence = Self.sequence(clips, order, disagreement: disagreement)
            position = sequence.firstIndex(of: shown)!
        }
    }

    /// Plays `seconds` of wall time at `framesPerSecond` × speed (nothing when
    /// paused), looping the clip.
    public mutating func advance(seconds: Double, framesPerSecond: Double) {
        guard !paused, seconds > 0 else { return }
        framePhase += seconds * framesPerSecond * speed
        let whole = Int(framePhase)
        framePhase -= Double(whole)
        frame = (frame + whole) % clips[clip].frameCount
    }

    private mutating func show(position: Int) {
        self.position = position
        frame = 0
        framePhase = 0
    }

    private static func sequence(_ clips: [ClipFacts], _ order: Order, disagreement score: [Double]) -> [Int] {
        switch order {
        case .file:
            return Array(clips.indices)
        case .rating:
            return clips.indices.sorted { a, b in
                let (x, y) = (clips[a], clips[b])
                if x.rating != y.rating { return (x.rating ?? -1) > (y.rating ?? -1) }
                if x.trueReturn != y.trueReturn { return (x.trueReturn ?? -.infinity) > (y.trueReturn ?? -.infinity) }
                return a < b
            }
        case .disagreement:
            return clips.indices.sorted { a, b in score[a] != score[b] ? score[a] > score[b] : a < b }
        }
    }

    /// How much each clip's class and predicted return disagree: the distance
    /// between the clip's rank by class and its rank by predicted return, each
    /// as a fraction of the clips (mid-ranks for ties), from 0 (same place in
    /// both orders) to 1. Clips without a class or prediction score −1.
    public static func disagreements(_ clips: [ClipFacts]) -> [Double] {
        let known = clips.indices.filter { clips[$0].rating != nil && clips[$0].predictedReturn != nil }
        var scores = [Double](repeating: -1, count: clips.count)
        guard known.count > 1 else { return scores }
        let classRanks = fractionalRanks(known.map { Double(clips[$0].rating!) })
        let predictedRanks = fractionalRanks(known.map { clips[$0].predictedReturn! })
        for (k, index) in known.enumerated() { scores[index] = abs(classRanks[k] - predictedRanks[k]) }
        return scores
    }

    /// Mid-ranks of `values` scaled to 0…1.
    static func fractionalRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            for k in start...end { ranks[order[k]] = Double(start + end) / 2 }
            start = end + 1
        }
        return ranks.map { $0 / Double(max(1, values.count - 1)) }
    }
}

extension ViewerState.Command {
    /// The command a key stands for, if any: n / → next, p / ← previous,
    /// space pause, . and , one frame forward / back, + (or =) and - speed,
    /// o order, h help, s screenshot, q / Esc quit.
    public init?(_ input: ViewerInput) {
        switch input {
        case .character(let c):
            switch c {
            case "n": self = .next
            case "p": self = .previous
            case " ": self = .togglePause
            case ".": self = .stepForward
            case ",": self = .stepBackward
            case "+", "=": self = .faster
            case "-": self = .slower
            case "o": self = .cycleOrder
            case "h": self = .toggleHelp
            case "s": self = .screenshot
            case "q": self = .quit
            default: return nil
            }
        case .rightArrow: self = .next
        case .leftArrow: self = .previous
        case .escape, .close: self = .quit
        }
    }

    /// The keys, one line each, for the help overlay.
    public static let keyHelp: [(keys: String, action: String)] = [
        ("n  ->", "next clip"), ("p  <-", "previous clip"), ("space", "pause / play"),
        (".  ,", "one frame forward / back"), ("+  -", "faster / slower"),
        ("o", "order: file, rating, disagreement"), ("s", "screenshot"), ("h", "hide this help"), ("q  Esc", "quit"),
    ]
}
