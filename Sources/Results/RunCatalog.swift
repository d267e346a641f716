import Foundation
import RewardLearning
import Training

/// One run folder found below a results root: its flattened configuration and,
/// once it has finished, its summary.
public struct RunRecord: Sendable {
    /// The folder relative to the root ("." for the root itself).
    public let path: String
    /// The folder as a usable path (the root joined with `path`).
    public let folder: String
    public let config: FlatConfig
    /// Present only when the run finished (it wrote `summary.json`).
    public let summary: TrainingSummary?

    public var finished: Bool { summary != nil }
    public var task: String { config["task"] ?? "" }
    public var method: String { config["method"] ?? "" }
    /// The seed as written in config.json.
    public var seed: String { config["seed"] ?? "" }

    public init(path: String, folder: String, config: FlatConfig, summary: TrainingSummary?) {
        self.path = path; self.folder = folder; self.config = config; self.summary = summary
    }
}

/// Every run folder below one or more roots: a folder holding `config.json`
/// (written when a run starts) and, if it finished, `summary.json`. Folders
/// that cannot be read are reported in `warnings` and left out rather than
/// stopping the scan.
public struct RunCatalog: Sendable {
    /// Readable runs, by path (numbers in paths compare as numbers); a path is
    /// relative to its root, or, with several roots, the root joined with it,
    /// so that runs of two sweeps with the same folder names stay apart.
    public let runs: [RunRecord]
    /// One sentence per run folder that was left out, naming it and why.
    public let warnings: [String]

    /// Scans each root in turn (see `init(root:)`). Throws when a root cannot
    /// be read.
    public init(roots: [String]) throws {
        precondition(!roots.isEmpty, "RunCatalog: no roots")
        guard roots.count > 1 else {
            self = try RunCatalog(root: roots[0])
            return
        }
        var runs: [RunRecord] = [], warnings: [String] = []
        for root in roots {
            let catalog = try RunCatalog(root: root)
            runs += catalog.runs.map { RunRecord(path: $0.folder, folder: $0.folder, config: $0.config, summary: $0.summary) }
            warnings += catalog.warnings.map { "\(root): \($0)" }
        }
        self.runs = runs
        self.warnings = warnings
    }

    /// Scans `root` recursively. Throws only when `root` itself cannot be read.
    public init(root: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
              let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw RunError("cannot read \(root): not a folder")
        }
        var folders = Set<String>()
        for case let path as String in enumerator {
            let name = (path as NSString).lastPathComponent
            if name == "config.json" || name == "summary.json" {
                let parent = (path as NSString).deletingLastPathComponent
                folders.insert(parent.isEmpty ? "." : parent)
            }
        }
        var runs: [RunRecord] = [], warnings: [String] = []
        for path in folders.sorted(by: Self.pathOrder) {
            do { runs.append(try Self.read(root: root, path: path)) } catch {
                warnings.append("skipped \(path): \(error)")
            }
        }
        self.runs = runs
        self.warnings = warnings
    }

    /// Paths in natural order: "seed2" before "seed10".
    static func pathOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.numeric]) == .orderedAscending
    }

    static func read(root: String, path: String) throws -> RunRecord {
        let folder = path == "." ? root : root + "/" + path
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder + "/config.json") else {
            throw RunError("summary.json without config.json")
        }
        let config: FlatConfig
        do { config = try FlatConfig(json: Data(contentsOf: URL(fileURLWithPath: folder + "/config.json"))) } catch {
            throw RunError("config.json is unreadable (\(RunDirectory.describe(error)))")
        }
        for key in ["task", "method", "seed"] where config[key] == nil {
            throw RunError("config.json has no \(key)")
        }
        var summary: TrainingSummary?
        if manager.fileExists(atPath: folder + "/summary.json") {
            do {
                summary = try JSONDecoder().decode(TrainingSummary.self,
                                                   from: Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json")))
            } catch {
                throw RunError("summary.json is unreadable (\(RunDirectory.describe(error)))")
            }
            if let summary, summary.task != config["task"] || summary.method != config["method"]
                || String(summary.seed) != config["seed"] {
                throw RunError("summary.json (\(summary.task) \(summary.method) seed \(summary.seed)) disagrees with config.json")
            }
        }
        return RunRecord(path: path, folder: folder, config: config, summary: summary)
    }
}

/// One line of a run's `feedback.jsonl`.
public struct FeedbackEntry: Sendable, Decodable {
    /// Environment steps when the round ran (rounds due before the first
    /// finished episode all run once it has finished).
    public var envSteps: Int
    public var report: TrainingReport
    enum CodingKeys: String, CodingKey {
        case envSteps = "env_steps"
        case report
    }
}

extension RunRecord {
    /// The run's evaluations, in file order (empty before the first).
    public func evaluations() throws -> [EvaluationPoint] {
        let path = folder + "/evaluations.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunError("cannot read \(self.path)/evaluations.csv")
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: ",").map(String.init) else { return [] }
        let names = Array(EvaluationPoint.columns.prefix(4))
        let columns = names.compactMap { header.firstIndex(of: $0) }
        guard columns.count == names.count else {
            throw RunError("\(self.path)/evaluations.csv lacks one of the columns \(names.joined(separator: ", "))")
        }
        let returnsColumn = header.firstIndex(of: EvaluationPoint.columns[4])
        return try lines.dropFirst().enumerated().map { index, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count, let steps = Int(fields[columns[0]]),
                  let mean = Double(fields[columns[1]]), let std = Double(fields[columns[2]]),
                  let episodes = Int(fields[columns[3]]) else {
                throw RunError("\(self.path)/evaluations.csv line \(index + 2) is malformed")
            }
            let returns = returnsColumn.map { fields[$0].split(separator: " ").compactMap { Double($0) } }
            if let returns, returns.count != episodes {
                throw RunError("\(self.path)/evaluations.csv line \(index + 2) has \(returns.count) readable returns for \(episodes) episodes")
            }
            return EvaluationPoint(envSteps: steps, meanReturn: mean, stdReturn: std, episodes: episodes, returns: returns)
        }
    }

    /// The run's feedback rounds; empty for a run without `feedback.jsonl` (PPO).
    public func feedbackRounds() throws -> [FeedbackEntry] {
        let path = folder + "/feedback.jsonl"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RunError("cannot read \(self.path)/feedback.jsonl")
        }
        let decoder = JSONDecoder()
        return try text.split(whereSeparator: \.isNewline).enumerated().map { index, line in
            do { return try decoder.decode(FeedbackEntry.self, from: Data(line.utf8)) } catch {
                throw RunError("\(self.path)/feedback.jsonl line \(index + 1): \(RunDirectory.describe(error))")
            }
        }
    }
}
