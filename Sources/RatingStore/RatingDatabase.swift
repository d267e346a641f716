import Foundation
import GRDB

/// A segment people (or the synthetic rater) can rate: where it comes from and
/// what replaying it needs.
public struct StoredSegment: Codable, Sendable, Equatable {
    public var id: Int64
    public var task: String
    /// The run folder or segments file it was imported from.
    public var source: String
    /// Its line (from 0) in that source.
    public var sourceIndex: Int
    public var episode: Int
    public var startStep: Int
    /// The physics state at the first step (qpos, qvel, act).
    public var startState: [Double]
    public var actions: [[Double]]
    /// The true return, when known (synthetic sources).
    public var trueReturn: Double?

    public init(id: Int64, task: String, source: String, sourceIndex: Int, episode: Int, startStep: Int,
                startState: [Double], actions: [[Double]], trueReturn: Double?) {
        self.id = id; self.task = task; self.source = source; self.sourceIndex = sourceIndex; self.episode = episode
        self.startStep = startStep; self.startState = startState; self.actions = actions; self.trueReturn = trueReturn
    }
}

/// One rating as stored.
public struct StoredRating: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable { case human, synthetic }
    public var id: Int64
    public var segment: Int64
    public var rating: Int
    public var classCount: Int
    public var rater: String
    /// Seconds since 1970.
    public var time: Double
    public var source: Source
    /// When the rater undid it (seconds since 1970); nil for a rating in force.
    /// An undone rating is kept, so nothing a person gave is lost, but
    /// training, exports and the page's progress skip it.
    public var withdrawnAt: Double? = nil
}

/// What undoing a rating did.
public enum Withdrawal: Sendable, Equatable {
    /// The rating was withdrawn.
    case withdrawn
    /// The rater has no rating in force with that id.
    case notFound
    /// The rating is the rater's but not their most recent one in force (that one's id).
    case notLast(Int64)
}

/// Why a ratings database cannot be used or a rating not stored; each message
/// says what is wrong and what to do.
public struct RatingStoreError: Error, CustomStringConvertible, Equatable {
    public let description: String
    /// For a second rating of a segment by the same rater: the existing rating's id.
    public var existingRating: Int64?
    public init(_ description: String) { self.description = description }

    static func alreadyRated(segment: Int64, rater: String, rating: Int64) -> RatingStoreError {
        var error = RatingStoreError("\(rater) has already rated segment \(segment) (rating \(rating)); undo it first to rate it again")
        error.existingRating = rating
        return error
    }
}

/// The ratings database: segments and their ratings in one SQLite file (WAL),
/// made for one task and one number of classes. Every rating is committed
/// before `addRating` returns. Safe to use from several threads.
public final class RatingDatabase: Sendable {
    public let path: String
    public let task: String
    public let classCount: Int
    private let pool: DatabasePool

    /// Opens the database at `path`, creating it (for `task` and `classCount`)
    /// when there is no file.
    /// - Throws: `RatingStoreError` when the file was made for another task or
    ///   class count, is not a SQLite database or fails its integrity check;
    ///   such a file is left as it is.
    public init(path: String, task: String, classCount: Int) throws {
        guard (2...6).contains(classCount) else {
            throw RatingStoreError("ratings need 2 to 6 classes, got \(classCount)")
        }
        self.path = path
        self.task = task
        self.classCount = classCount
        do {
            if !FileManager.default.fileExists(atPath: path) {
                try Self.create(path: path, task: task, classCount: classCount)
            }
            try Self.checkIntegrity(path)
            pool = try DatabasePool(path: path, configuration: Self.configuration)
            try Self.migrator.migrate(pool)
        } catch let error as RatingStoreError {
            throw error
        } catch {
            throw RatingStoreError("\(path) is not a usable ratings database (\(Self.brief(error))); it was left as it is")
        }
        try pool.write { db in
            let stored = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT key, value FROM meta").map {
                (($0["key"] as String), ($0["value"] as String))
            })
            if let storedTask = stored["task"], let storedClasses = stored["classes"].flatMap(Int.init) {
                guard storedTask == task, storedClasses == classCount else {
                    throw RatingStoreError("\(path) holds ratings of \(storedTask) with \(storedClasses) classes, not \(task) with \(classCount); use another --db or --classes \(storedClasses)")
                }
            } else {
                try Self.recordMeta(db, task: task, classCount: classCount)
            }
        }
    }

    /// What a database file was made for, without opening it for writing.
    /// - Throws: `RatingStoreError` for a missing or unusable file.
    public static func describe(path: String) throws -> (task: String, classCount: Int) {
        guard FileManager.default.fileExists(atPath: path) else { throw RatingStoreError("\(path) does not exist") }
        try checkIntegrity(path)
        do {
            let queue = try DatabaseQueue(path: path, configuration: readOnly)
            return try queue.read { db in
                let task = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'task'")
                let classes = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'classes'").flatMap(Int.init)
                guard let task, let classes else { throw RatingStoreError("\(path) is not a ratings database (no task or classes)") }
                return (task, classes)
            }
        } catch let error as RatingStoreError {
            throw error
        } catch {
            throw RatingStoreError("\(path) is not a usable ratings database (\(brief(error))); it was left as it is")
        }
    }

    // MARK: Segments

    /// Adds segments not already stored (same source and index); returns how many were new.
    @discardableResult
    public func addSegments(_ segments: [StoredSegment]) throws -> Int {
        try pool.write { db in
            var added = 0
            for segment in segments {
                guard segment.task == task else {
                    throw RatingStoreError("segment \(segment.sourceIndex) of \(segment.source) is of \(segment.task), the database of \(task)")
                }
                // Not INSERT OR IGNORE: an ignored insert would still use up an id.
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM segments WHERE source = ? AND source_index = ?",
                                       arguments: [segment.source, segment.sourceIndex]) == nil else { continue }
                try db.execute(sql: """
                    INSERT INTO segments (task, source, source_index, episode, start_step, start_state, actions, true_return)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [segment.task, segment.source, segment.sourceIndex, segment.episode, segment.startStep,
                                     Self.json(segment.startState), Self.json(segment.actions), segment.trueReturn])
                added += 1
            }
            return added
        }
    }

    /// The segment with `id`, if there is one.
    public func segment(_ id: Int64) throws -> StoredSegment? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM segments WHERE id = ?", arguments: [id]).map(Self.segment) }
    }

    /// Every segment, by id.
    public func segments() throws -> [StoredSegment] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM segments ORDER BY id").map(Self.segment) }
    }

    public func segmentCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM segments") ?? 0 }
    }

    /// The first segment (by id, after `after` when given, wrapping around)
    /// that `rater` has not rated, or nil when they have rated every one.
    public func nextSegment(for rater: String, after: Int64? = nil) throws -> Int64? {
        try pool.read { db in
            let unrated = "SELECT id FROM segments WHERE id NOT IN (SELECT segment_id FROM ratings WHERE rater = ? AND \(Self.inForce))"
            if let after, let id = try Int64.fetchOne(db, sql: unrated + " AND id > ? ORDER BY id LIMIT 1", arguments: [rater, after]) {
                return id
            }
            return try Int64.fetchOne(db, sql: unrated + " ORDER BY id LIMIT 1", arguments: [rater])
        }
    }

    /// How many segments `rater` has rated.
    public func ratedCount(by rater: String) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT segment_id) FROM ratings WHERE rater = ? AND \(Self.inForce)",
                             arguments: [rater]) ?? 0
        }
    }

    // MARK: Ratings

    /// Stores a rating and commits it.
    /// - Returns: the stored rating, with its id.
    /// - Throws: `RatingStoreError` for a class outside 0…n−1, an unknown
    ///   segment, an empty rater name or a segment the rater has already
    ///   rated (`existingRating` set); nothing is stored then.
    @discardableResult
    public func addRating(segment: Int64, rating: Int, rater: String, source: StoredRating.Source = .human,
                          time: Date = Date()) throws -> StoredRating {
        guard (0..<classCount).contains(rating) else {
            throw RatingStoreError("rating \(rating) is outside 0...\(classCount - 1) (\(classCount) classes)")
        }
        let rater = try Self.raterName(rater)
        return try pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM segments WHERE id = ?", arguments: [segment]) != nil else {
                throw RatingStoreError("there is no segment \(segment)")
            }
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM ratings WHERE segment_id = ? AND rater = ? AND \(Self.inForce)",
                                                 arguments: [segment, rater]) {
                throw RatingStoreError.alreadyRated(segment: segment, rater: rater, rating: existing)
            }
            try db.execute(sql: "INSERT INTO ratings (segment_id, class, class_count, rater, time, source) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [segment, rating, classCount, rater, time.timeIntervalSince1970, source.rawValue])
            return StoredRating(id: db.lastInsertedRowID, segment: segment, rating: rating, classCount: classCount, rater: rater,
                                time: time.timeIntervalSince1970, source: source)
        }
    }

    /// Undoes `rater`'s rating `id`, which must be their most recent one in
    /// force: it is marked withdrawn (kept, never deleted), so the segment is
    /// offered to them again. Nobody can undo another rater's rating.
    public func withdrawRating(_ id: Int64, by rater: String, time: Date = Date()) throws -> Withdrawal {
        let rater = try Self.raterName(rater)
        return try pool.write { db in
            guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM ratings WHERE rater = ? AND \(Self.inForce)",
                                                arguments: [rater]) else { return .notFound }
            guard last == id else {
                let theirs = try Int.fetchOne(db, sql: "SELECT 1 FROM ratings WHERE id = ? AND rater = ? AND \(Self.inForce)",
                                              arguments: [id, rater]) != nil
                return theirs ? .notLast(last) : .notFound
            }
            try db.execute(sql: "UPDATE ratings SET withdrawn_at = ? WHERE id = ?", arguments: [time.timeIntervalSince1970, id])
            return .withdrawn
        }
    }

    /// Every rating in force (with `includingWithdrawn`, undone ones too), by id.
    public func ratings(includingWithdrawn: Bool = false) throws -> [StoredRating] {
        try pool.read { db in
            let filter = includingWithdrawn ? "" : " WHERE \(Self.inForce)"
            return try Row.fetchAll(db, sql: "SELECT * FROM ratings\(filter) ORDER BY id").map { row in
                StoredRating(id: row["id"], segment: row["segment_id"], rating: row["class"], classCount: row["class_count"],
                             rater: row["rater"], time: row["time"], source: StoredRating.Source(rawValue: row["source"]) ?? .human,
                             withdrawnAt: row["withdrawn_at"])
            }
        }
    }

    /// SQL that holds for ratings in force (not withdrawn).
    private static let inForce = "withdrawn_at IS NULL"

    /// The longest rater name, in characters.
    public static let maximumRaterName = 64

    /// A rater name as stored: trimmed, 1 to `maximumRaterName` characters,
    /// with no control characters (a NUL would cut it short in SQLite's C
    /// strings and let one name pass for another).
    /// - Throws: `RatingStoreError` saying what is wrong with it.
    public static func raterName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RatingStoreError("a rating needs a rater name") }
        guard trimmed.count <= maximumRaterName else {
            throw RatingStoreError("a rater name has at most \(maximumRaterName) characters, got \(trimmed.count)")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RatingStoreError("a rater name cannot hold control characters (such as NUL, tab or a line break)")
        }
        return trimmed
    }

    // MARK: Schema

    /// The schema's versions, applied in order; a database keeps the list of
    /// those it has (grdb_migrations), so a newer program upgrades an older file.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: segments and ratings") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE segments (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    task TEXT NOT NULL,
                    source TEXT NOT NULL,
                    source_index INTEGER NOT NULL,
                    episode INTEGER NOT NULL,
                    start_step INTEGER NOT NULL,
                    start_state TEXT NOT NULL,
                    actions TEXT NOT NULL,
                    true_return REAL,
                    UNIQUE (source, source_index));
                CREATE TABLE ratings (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    segment_id INTEGER NOT NULL REFERENCES segments(id),
                    class INTEGER NOT NULL,
                    class_count INTEGER NOT NULL,
                    rater TEXT NOT NULL,
                    time REAL NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('human', 'synthetic')));
                CREATE UNIQUE INDEX one_rating_per_rater ON ratings (rater, segment_id);
                """)
        }
        // Undo keeps the rating, marked withdrawn; a rater may rate the segment
        // again, so only ratings in force are unique per rater and segment.
        migrator.registerMigration("v2: withdrawn ratings are kept") { db in
            try db.execute(sql: """
                ALTER TABLE ratings ADD COLUMN withdrawn_at REAL;
                DROP INDEX one_rating_per_rater;
                CREATE UNIQUE INDEX one_rating_per_rater ON ratings (rater, segment_id) WHERE withdrawn_at IS NULL;
                """)
        }
        return migrator
    }

    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL with synchronous=NORMAL: a commit survives the process being
            // killed at any instant (the WAL is in the OS's hands); FULL would
            // also survive power loss, at an fsync per rating.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// `configuration` for reading only: it too waits while another process
    /// holds a lock instead of failing with "database is locked".
    private static var readOnly: Configuration {
        var readOnly = configuration
        readOnly.readonly = true
        return readOnly
    }

    /// What the database was made for, in its meta table.
    private static func recordMeta(_ db: Database, task: String, classCount: Int) throws {
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('task', ?), ('classes', ?)", arguments: [task, "\(classCount)"])
    }

    /// Makes a new database (schema and meta) under a temporary name beside
    /// `path` and links it into place, so that another process (`rate` started
    /// beside `train`) never sees a half-made file. When another process made
    /// `path` first, theirs is kept.
    private static func create(path: String, task: String, classCount: Int) throws {
        let temporary = path + ".new-\(ProcessInfo.processInfo.processIdentifier)"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
        }
        do {
            let pool = try DatabasePool(path: temporary, configuration: configuration)
            try migrator.migrate(pool)
            try pool.write { db in try recordMeta(db, task: task, classCount: classCount) }
            try pool.close()
        } catch {
            throw RatingStoreError("cannot create the ratings database \(path) (\(brief(error))); check that its folder exists and is writable")
        }
        // link(2), unlike rename(2), fails instead of replacing a file made meanwhile.
        if link(temporary, path) != 0 && errno != EEXIST {
            throw RatingStoreError("cannot create the ratings database \(path) (\(String(cString: strerror(errno)))); check that its folder is writable")
        }
    }

    /// Refuses a file that is not SQLite or fails SQLite's quick check, reading it only.
    private static func checkIntegrity(_ path: String) throws {
        let result: String
        do {
            let queue = try DatabaseQueue(path: path, configuration: readOnly)
            result = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ") }
        } catch {
            throw RatingStoreError("\(path) is not a usable ratings database (\(brief(error))); it was left as it is")
        }
        guard result == "ok" else {
            throw RatingStoreError("\(path) fails SQLite's integrity check (\(result.prefix(200))); it was left as it is")
        }
    }

    private static func segment(_ row: Row) throws -> StoredSegment {
        let decoder = JSONDecoder()
        return StoredSegment(id: row["id"], task: row["task"], source: row["source"], sourceIndex: row["source_index"],
                             episode: row["episode"], startStep: row["start_step"],
                             startState: try decoder.decode([Double].self, from: Data((row["start_state"] as String).utf8)),
                             actions: try decoder.decode([[Double]].self, from: Data((row["actions"] as String).utf8)),
                             trueReturn: row["true_return"])
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private static func brief(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
