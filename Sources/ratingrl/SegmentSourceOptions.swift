import ArgumentParser
import Playback

/// Where rated segments come from, for `render` and `view`: a replay file, or
/// a run's ratings (one of them, or its best or worst K).
struct SegmentSourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A replay request (JSON: task, state, actions).", valueName: "file"))
    var replay: String?
    @Option(name: .customLong("run"), help: ArgumentHelp("A training run's folder.", valueName: "dir"))
    var runFolder: String?
    @Option(name: .long, help: ArgumentHelp("Rating K of the run (ratings.jsonl line, from 0).", valueName: "K"))
    var rating: Int?
    @Option(name: .long, help: ArgumentHelp("The run's K highest-rated segments (ties: higher true return first).", valueName: "K"))
    var best: Int?
    @Option(name: .long, help: ArgumentHelp("The run's K lowest-rated segments.", valueName: "K"))
    var worst: Int?

    /// The run selectors given (--rating, --best, --worst), after checking their values.
    func selectors() throws -> [String] {
        var given: [String] = []
        for (name, value, least) in [("--rating", rating, 0), ("--best", best, 1), ("--worst", worst, 1)] {
            guard let value else { continue }
            guard value >= least else {
                throw ValidationFailure(message: "\(name) must be \(least == 0 ? "0 or more" : "at least 1"), got \(value)")
            }
            given.append(name)
        }
        return given
    }

    /// The --replay source, if given; `others` are the other source options given with it.
    func replaySource(others: [String]) throws -> ClipSource? {
        guard let replay else { return nil }
        let conflicting = (runFolder == nil ? [] : ["--run"]) + others
        guard conflicting.isEmpty else {
            throw ValidationFailure(message: "--replay cannot be combined with \(conflicting.joined(separator: ", "))")
        }
        let request = try readReplayRequest(replay)
        _ = try resolveTasks(request.task)
        return .replay(request)
    }

    /// What --rating, --best or --worst selects of `run`, if one was given.
    func runSource(_ run: String) -> ClipSource? {
        if let rating { return .rating(run: run, index: rating) }
        if let best { return .best(run: run, count: best) }
        if let worst { return .worst(run: run, count: worst) }
        return nil
    }
}
