import Control
import Foundation
import Playback
import RatingStore
import Render

/// Looping clips of a database's segments as WebM files in a folder, rendered
/// on one thread of their own (a GL context belongs to the thread that made
/// it), most recently asked for first. The server asks for each rater's
/// current and following segment, so the next clip is ready before it is
/// needed; nothing else is rendered.
public final class ClipCache: @unchecked Sendable {
    public let folder: String
    private let database: RatingDatabase
    private let settings: RenderSettings
    private let models: ModelDirectory
    private let log: @Sendable (String) -> Void
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var urgent: [Int64] = []
    private var failures: [Int64: String] = [:]
    private var stopped = false

    /// Starts rendering into `folder` (created if missing); `log` is told each
    /// clip that cannot be rendered, with the reason.
    public init(folder: String, database: RatingDatabase, settings: RenderSettings, models: ModelDirectory,
                log: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.log = log
        self.folder = folder
        self.database = database
        self.settings = settings
        self.models = models
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let thread = Thread { [weak self] in self?.renderLoop() }
        thread.name = "ratingrl clips"
        thread.start()
    }

    /// Ends the render thread after the clip it is on.
    public func stop() {
        condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
    }

    /// The clip's file (whether or not it exists yet).
    public func path(of segment: Int64) -> String { folder + "/\(segment).webm" }

    /// Asks for these segments before any other, most urgent first.
    public func prefer(_ segments: [Int64]) {
        condition.lock()
        urgent.removeAll { segments.contains($0) }
        urgent.insert(contentsOf: segments.filter { !FileManager.default.fileExists(atPath: path(of: $0)) }, at: 0)
        condition.broadcast()
        condition.unlock()
    }

    /// The clip of `segment`, waiting up to `timeout` seconds for it to be rendered.
    /// - Throws: `RatingStoreError` when rendering it failed or took too long.
    public func clip(_ segment: Int64, timeout: Double = 60) async throws -> Data {
        prefer([segment])
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let data = FileManager.default.contents(atPath: path(of: segment)) { return data }
            if let failure = failure(of: segment) { throw RatingStoreError("segment \(segment) cannot be shown: \(failure)") }
            guard Date() < deadline else { throw RatingStoreError("the clip of segment \(segment) took over \(Int(timeout)) s to render") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Why the clip of `segment` could not be rendered; nil if it was not tried or worked.
    public func failure(of segment: Int64) -> String? {
        condition.lock()
        defer { condition.unlock() }
        return failures[segment]
    }

    private func renderLoop() {
        while true {
            condition.lock()
            while !stopped && urgent.isEmpty { condition.wait() }
            if stopped { condition.unlock(); return }
            let next = urgent.removeFirst()
            condition.unlock()
            guard !FileManager.default.fileExists(atPath: path(of: next)), failure(of: next) == nil else { continue }
            do {
                guard let segment = try database.segment(next) else { throw RatingStoreError("no segment \(next)") }
                let request = ReplayRequest(task: segment.task, state: segment.startState, actions: segment.actions)
                _ = try RenderJob.run(.replay(request), settings: settings, outputs: ClipWriter.Outputs(video: path(of: next)),
                                      models: models)
            } catch {
                condition.lock(); failures[next] = "\(error)"; condition.unlock()
                log("the clip of segment \(next) cannot be rendered, so it will not be offered for rating: \(error)")
            }
        }
    }
}
