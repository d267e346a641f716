import Foundation
import RunConfiguration
import Training

/// A grid's runs under a root folder, with where each stands.
///
/// Layout: ROOT/sweep.json (the grid, shorthands resolved) and one folder per
/// run (see `SweepGrid.runs()`) holding request.json (the run's fields from
/// the grid, given to `ratingrl train --config`), train.log (the child's
/// output), the run's own files, and failed.json when its last attempt failed.
public struct SweepPlan: Sendable {
    public static let gridFileName = "sweep.json"

    public let root: String
    public let grid: SweepGrid
    public let runs: [SweepRun]

    public init(grid: SweepGrid, root: String) throws {
        self.root = root
        self.grid = grid
        runs = try grid.runs()
    }

    /// The same plan with only the runs in `folders` (paths relative to the root).
    /// - Throws: `SweepError` naming a folder that is not one of the grid's runs.
    public func restricted(to folders: [String]) throws -> SweepPlan {
        let known = Set(runs.map(\.folder))
        if let unknown = folders.first(where: { !known.contains($0) }) {
            throw SweepError("\(unknown) is not a run of the sweep in \(root) (its runs are folders like \(runs.first?.folder ?? "?"))")
        }
        let wanted = Set(folders)
        return SweepPlan(root: root, grid: grid, runs: runs.filter { wanted.contains($0.folder) })
    }

    private init(root: String, grid: SweepGrid, runs: [SweepRun]) {
        self.root = root; self.grid = grid; self.runs = runs
    }

    /// The plan saved in `root` by an earlier sweep.
    public static func load(root: String) throws -> SweepPlan {
        let path = root + "/" + gridFileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw SweepError("\(root) holds no sweep (no \(gridFileName)); start one with `ratingrl sweep GRID --out \(root)`")
        }
        return try SweepPlan(grid: SweepGrid(path: path), root: root)
    }

    public func path(of run: SweepRun) -> String { root + "/" + run.folder }

    public func state(of run: SweepRun) -> RunState { RunState(folder: path(of: run)) }

    /// Runs whose folder holds a different run than the grid asks for (an
    /// edited grid on an old root), each with what differs.
    public func conflicts() -> [String] {
        runs.compactMap { run in
            let folder = path(of: run)
            if let data = FileManager.default.contents(atPath: folder + "/request.json") {
                let saved = try? JSONDecoder().decode(ConfigValue.self, from: data)
                if saved != run.request { return "\(run.folder): its request.json differs from the grid's" }
            }
            if let data = FileManager.default.contents(atPath: folder + "/config.json"),
               let saved = try? JSONDecoder().decode(TrainingConfig.self, from: data), saved != run.config {
                return "\(run.folder): its config.json differs from the grid's run"
            }
            return nil
        }
    }

    /// Why this grid cannot be swept into ROOT: ROOT/sweep.json holds another
    /// grid (saving this one would silently replace it); nil when it holds none or this one.
    public func savedGridDiffers() -> String? {
        let path = root + "/" + Self.gridFileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let saved = try? JSONDecoder().decode(ConfigValue.self, from: data)
        guard saved != grid.tree else { return nil }
        return "\(root) holds the sweep of another grid (its \(Self.gridFileName) differs from this one); choose another --out, continue that sweep with `ratingrl sweep --out \(root)`, or remove \(path) to sweep this grid there on purpose"
    }

    /// Writes ROOT/sweep.json (creating ROOT).
    public func saveGrid() throws {
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            throw SweepError("cannot create \(root): \(error.localizedDescription)")
        }
        try SweepFiles.write(try grid.tree.prettyJSON(), to: root + "/" + Self.gridFileName)
    }

    /// Counts of runs by state.
    public func counts() -> [RunState: Int] {
        runs.reduce(into: [:]) { $0[state(of: $1), default: 0] += 1 }
    }

    /// Estimated seconds still to train `run` on one core: its whole estimate,
    /// less the share of steps an interrupted run already has.
    public func remainingEstimate(of run: SweepRun) -> Double {
        let total = RunTimeEstimate(run.config).seconds
        switch state(of: run) {
        case .finished: return 0
        case .new: return total
        case .interrupted, .failed, .running:
            let done = SweepFiles.lastProgress(folder: path(of: run))?.steps ?? 0
            return total * max(0, 1 - Double(done) / Double(max(1, run.config.updates * run.config.ppo.rolloutSize)))
        }
    }

    /// The `--dry-run` listing: every run's folder, state and estimated time,
    /// then the totals.
    public func dryRunReport(jobs: Int) -> String {
        let width = max(6, runs.map(\.folder.count).max() ?? 0)
        var lines = [pad("run", width) + "  state        estimate"]
        var total = 0.0
        for run in runs {
            let state = state(of: run)
            let seconds = remainingEstimate(of: run)
            total += seconds
            lines.append(pad(run.folder, width) + "  " + pad(state.rawValue, 11) + "  "
                         + (state == .finished ? "-" : formatDuration(seconds)))
        }
        lines.append(countsLine())
        let toRun = runs.count - (counts()[.finished] ?? 0)
        lines.append("\(toRun) run\(toRun == 1 ? "" : "s") to train: about \(formatDuration(total)) on one core, "
                     + "\(formatDuration(total / Double(max(1, min(jobs, toRun))))) with \(jobs) job\(jobs == 1 ? "" : "s")"
                     + " (an estimate: \(RunTimeEstimate.basis))")
        return lines.joined(separator: "\n")
    }

    /// The `--status` summary: counts by state, then the runs that are not
    /// finished, with each failure's reason.
    public func statusReport() -> String {
        var lines = [countsLine()]
        for state in [RunState.failed, .running, .interrupted, .new] {
            let matching = runs.filter { self.state(of: $0) == state }
            guard !matching.isEmpty else { continue }
            lines.append("\(state.rawValue == "new" ? "not started" : state.rawValue):")
            for run in matching.prefix(state == .new ? 10 : matching.count) {
                var line = "  " + run.folder
                if state == .failed, let record = FailureRecord.read(folder: path(of: run)) { line += "  " + record.summary }
                if state == .interrupted || state == .running, let progress = SweepFiles.lastProgress(folder: path(of: run)) {
                    line += "  at \(progress.steps) of \(run.config.updates * run.config.ppo.rolloutSize) steps"
                }
                lines.append(line)
            }
            if state == .new && matching.count > 10 { lines.append("  ... and \(matching.count - 10) more") }
        }
        return lines.joined(separator: "\n")
    }

    func countsLine() -> String {
        let counts = counts()
        return "\(runs.count) runs in \(root): \(counts[.finished] ?? 0) finished, \(counts[.interrupted] ?? 0) interrupted, "
            + "\(counts[.failed] ?? 0) failed, \(counts[.new] ?? 0) not started"
            + ((counts[.running] ?? 0) > 0 ? ", \(counts[.running]!) running (trained by another process now)" : "")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
