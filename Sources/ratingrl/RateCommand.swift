import ArgumentParser
import Control
import NIOCore
import Foundation
import Playback
import RatingPage
import RatingStore

struct RateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "Serve a web page where people rate segments; every rating is committed to a SQLite database.",
        discussion: """
        SRC is a training run's folder (its ratings.jsonl holds each segment's start state and actions) or a file of replay requests, one {"task", "state", "actions"} per line. Its segments are imported into --db once (a rerun imports nothing twice), then the page is served: a looping clip of the segment at real speed, the rating scale, progress, and keys (number keys rate, space replays, Backspace undoes the last rating, s skips). Several raters can rate at once; each is offered every segment once. Clips are rendered headless (EGL) into DB.clips/, each rater's next ones ahead.

        The page's JSON API (GET /api/next?rater=R, POST /api/ratings, DELETE /api/ratings/ID, GET /api/ratings[?format=csv]) serves scripts too. It listens on loopback unless --host says otherwise, and then only with --token: every request must carry it (?token=T or Authorization: Bearer T), because ratings are research data.
        """)

    @Option(help: ArgumentHelp("The ratings database (SQLite; created if missing).", valueName: "file"))
    var db: String

    @Option(help: ArgumentHelp("A run folder or a file of replay requests to import.", valueName: "src"))
    var segments: String?

    @Option(help: "Rating classes (2 to 6); default: the run's, or the database's.")
    var classes: Int?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port, 0 to 65535 (0: any free one; the address is printed).")
    var port = 8080

    @Option(help: ArgumentHelp("Token every request must carry; required off loopback.", valueName: "T"))
    var token: String?

    @OptionGroup var frame: FrameOptions<RatingClipSize>

    @Option(help: ArgumentHelp("A text file whose words replace the task's rating instructions shown above the clip (what good behaviour is, for this study).",
                               valueName: "file"))
    var instructions: String?

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        guard (0...65_535).contains(port) else { throw ValidationFailure(message: "--port must be between 0 and 65535 (0: any free one), got \(port)") }
        let instructionText = try instructions.map(Self.readInstructions)
        guard ["127.0.0.1", "localhost", "::1"].contains(host) || token != nil else {
            throw ValidationFailure(message: "--host \(host) listens beyond this machine: add --token T (every request must then carry it)")
        }
        if let token, token.count < 8 { throw ValidationFailure(message: "--token must have at least 8 characters") }
        let models = try modelOptions.directory()
        let database: RatingDatabase
        do { database = try openDatabase(path: db, source: segments, classes: classes, models: models) } catch let error as RatingStoreError {
            throw ValidationFailure(message: error.description)
        }
        let count = (try? database.segmentCount()) ?? 0
        if count == 0 {
            // An online run (train --ratings-db F --wait) adds its segments round by round.
            guard segments == nil else { throw ValidationFailure(message: "\(segments!) holds no segments") }
            print("\(db) holds no segments yet; the page offers them as a run with --ratings-db \(db) --wait adds them")
        }
        let log: @Sendable (String) -> Void = { line in
            print(line)
            fflush(nil)
        }
        let clips = try ClipCache(folder: db + ".clips", database: database,
                                  settings: frame.settings(), models: models, log: log)
        let server = RatingServer(database: database, clips: clips, token: token, allowedHosts: RatingServer.allowedHosts(listeningOn: host),
                                  instructions: instructionText ?? RatingInstructions.text(for: database.task), log: log)
        let (host, port, token) = (self.host, self.port, self.token)
        let failure = ErrorBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run(host: host, port: port) { bound in
                    let address = host.contains(":") ? "[\(host)]" : host
                    print("rating page: http://\(address):\(bound)/\(token.map { "?token=\($0)" } ?? "") (\(count) segments of \(database.task), \(database.classCount) classes, database \(database.path)); Ctrl-C stops")
                    fflush(nil)
                }
            } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        clips.stop()
        if let error = failure.error {
            if let error = error as? IOError, error.errnoCode == EADDRINUSE {
                throw ValidationFailure(message: "port \(port) on \(host) is in use (another server?); choose another --port, or --port 0 for any free one")
            }
            throw CleanExit.failure(error)
        }
    }

    /// The words of an --instructions file: UTF-8 text, at most 4 KiB.
    static func readInstructions(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ValidationFailure(message: "cannot read --instructions \(path): give a UTF-8 text file")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, data.count <= 4096 else {
            throw ValidationFailure(message: "--instructions \(path) must hold 1 to 4096 bytes of text, got \(data.count)")
        }
        return trimmed
    }
}

/// Holds an error across a task boundary.
private final class ErrorBox: @unchecked Sendable { var error: Error? }

/// Opens (or creates) a ratings database for `source`'s task, importing its
/// segments once each has been replayed in `models`' task (none that cannot be shown).
func openDatabase(path: String, source: String?, classes: Int?, models: ModelDirectory) throws -> RatingDatabase {
    let imported = try source.map(SegmentImport.init(source:))
    try imported?.check(models: models)
    let existing = FileManager.default.fileExists(atPath: path) ? try RatingDatabase.describe(path: path) : nil
    guard let task = imported?.task ?? existing?.task else {
        throw RatingStoreError("\(path) does not exist yet: give --segments SRC to create it")
    }
    guard let classCount = classes ?? existing?.classCount ?? imported?.classCount else {
        throw RatingStoreError("say how many rating classes: --classes n (2 to 6)")
    }
    let database = try RatingDatabase(path: path, task: task, classCount: classCount)
    if let imported {
        let added = try database.addSegments(imported.segments)
        print("imported \(added) new segment\(added == 1 ? "" : "s") of \(imported.segments.count) from \(source!)")
    }
    return database
}
