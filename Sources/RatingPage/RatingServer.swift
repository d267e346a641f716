import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RatingStore

/// The rating page and its JSON API over a ratings database:
///
/// - `GET /` the page;
/// - `GET /api/task` what is rated: `{"task", "classes", "names", "instructions"}`;
/// - `GET /api/next?rater=R[&after=ID]` the next segment R has not rated
///   (after segment ID when given, e.g. to skip): `{"segment": ID or null,
///   "clip", "following", "rated", "total", "classes", "names", "task"}`;
///   segments whose clip cannot be rendered are passed over;
/// - `GET /api/clips/ID.webm` its looping clip (422 with the reason, also
///   logged, when it cannot be rendered);
/// - `POST /api/ratings` `{"segment": ID, "rating": K, "rater": R}` with
///   `Content-Type: application/json` → 201 with the stored rating (its `id`)
///   once committed; 400 and nothing stored for a class outside 0…n−1, an
///   unknown segment, a bad rater name (1–64 characters, no control
///   characters) or malformed JSON; 409 (with the existing rating's `id`) when
///   the rater has already rated it; 415 for another content type; 413 for a
///   body over 64 KiB; 422 for a segment whose clip cannot be shown;
/// - `DELETE /api/ratings/RID?rater=R` undoes R's most recent rating RID: it
///   is kept, marked withdrawn, and no longer counts (404 when R has no such
///   rating in force, 409 when it is not R's most recent one);
/// - `GET /api/ratings` every rating in force as JSON (`?format=csv` for
///   CSV), without the true returns and source files raters must not see.
///
/// Requests from other web sites are refused (403): on loopback the Host
/// header must name this machine (against DNS rebinding), and a request that
/// changes data must come from the page's own origin when the browser says
/// where it comes from (Origin, Sec-Fetch-Site). With a token every request
/// must also carry it (`Authorization: Bearer T` or `?token=T`).
public struct RatingServer: Sendable {
    public let database: RatingDatabase
    public let clips: ClipCache
    public let token: String?
    /// Host names the Host header may give (any port); nil accepts any (a
    /// server off loopback, which has a token).
    public let allowedHosts: Set<String>?
    /// What raters read above the clip.
    public let instructions: String
    /// Told one line per stored or undone rating and per clip that cannot be rendered.
    public let log: @Sendable (String) -> Void

    /// The Host names of a server that listens on `host`: loopback's names
    /// for a loopback address, nil (any) otherwise.
    public static func allowedHosts(listeningOn host: String) -> Set<String>? {
        let loopback: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]
        return loopback.contains(host) ? loopback : nil
    }

    public init(database: RatingDatabase, clips: ClipCache, token: String?, allowedHosts: Set<String>?, instructions: String,
                log: @escaping @Sendable (String) -> Void) {
        self.database = database; self.clips = clips; self.token = token; self.allowedHosts = allowedHosts
        self.instructions = instructions; self.log = log
    }

    /// Serves until the process is stopped; `onRunning` gets the bound port.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "ratingrl"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SameOriginCheck(allowedHosts: allowedHosts))
        if let token { router.add(middleware: TokenCheck(token: token)) }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: RatingPageHTML.page)))
        }
        router.get("/api/task") { _, _ in
            Self.json(["task": database.task, "classes": database.classCount, "names": RatingExport.classNames(database.classCount),
                       "instructions": instructions])
        }
        router.get("/api/next") { request, _ in try next(request) }
        router.get("/api/clips/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".webm"), let id = Int64(file.dropLast(5)), try database.segment(id) != nil else {
                return Self.json(["error": "no clip \(file)"], status: .notFound)
            }
            do {
                let data = try await clips.clip(id)
                return Response(status: .ok, headers: [.contentType: "video/webm", .cacheControl: "max-age=86400"],
                                body: .init(byteBuffer: ByteBuffer(bytes: data)))
            } catch {
                return Self.json(["error": "\(error)"], status: .unprocessableContent)
            }
        }
        router.post("/api/ratings") { request, _ in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                return Self.json(["error": "send the rating as JSON, with the header Content-Type: application/json"],
                                 status: .unsupportedMediaType)
            }
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: Self.maximumBody) } catch is NIOTooManyBytesError {
                return Self.json(["error": "the body is over \(Self.maximumBody / 1024) KiB; a rating is {\"segment\": ID, \"rating\": K, \"rater\": NAME}"],
                                 status: .contentTooLarge)
            }
            return add(Data(buffer: body))
        }
        router.delete("/api/ratings/:id") { request, context in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else {
                return Self.json(["error": "a rating id is a number"], status: .badRequest)
            }
            guard let rater = request.uri.queryParameters["rater"].map(String.init) else {
                return Self.json(["error": "say whose rating to undo: DELETE /api/ratings/\(id)?rater=NAME"], status: .badRequest)
            }
            do {
                switch try database.withdrawRating(id, by: rater) {
                case .withdrawn:
                    log("rating \(id) undone by \(try RatingDatabase.raterName(rater)) (kept, marked withdrawn)")
                    return Self.json(["withdrawn": id])
                case .notFound:
                    return Self.json(["error": "\(rater) has no rating \(id) to undo"], status: .notFound)
                case .notLast(let last):
                    return Self.json(["error": "only your most recent rating (\(last)) can be undone", "id": last], status: .conflict)
                }
            } catch let error as RatingStoreError {
                return Self.json(["error": error.description], status: .badRequest)
            }
        }
        router.get("/api/ratings") { request, _ in
            let rows = try RatingExport.rows(database).map(\.hidingAnswers)
            if request.uri.queryParameters["format"] == "csv" {
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: RatingExport.csv(rows))))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(rows))))
        }
        return router
    }

    /// The largest request body read (a rating is well under 1 KiB).
    static let maximumBody = 1 << 16

    private func next(_ request: Request) throws -> Response {
        let rater: String
        do { rater = try RatingDatabase.raterName(request.uri.queryParameters["rater"].map(String.init) ?? "") } catch let error as RatingStoreError {
            return Self.json(["error": error.description + "; say who rates: /api/next?rater=NAME"], status: .badRequest)
        }
        let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) }
        // A segment whose clip cannot be rendered cannot be rated: pass over it.
        var segment = try database.nextSegment(for: rater, after: after)
        var passed: Set<Int64> = []
        while let candidate = segment, clips.failure(of: candidate) != nil {
            guard passed.insert(candidate).inserted else { segment = nil; break }
            segment = try database.nextSegment(for: rater, after: candidate)
        }
        let following = try segment.flatMap { try database.nextSegment(for: rater, after: $0) }.flatMap { $0 == segment ? nil : $0 }
        // Render ahead: this clip, then the next few the rater will see.
        var ahead = [segment, following].compactMap { $0 }
        while ahead.count < 4, let last = ahead.last, let after = try database.nextSegment(for: rater, after: last), !ahead.contains(after) {
            ahead.append(after)
        }
        clips.prefer(ahead)
        let body: [String: Any] = [
            "segment": segment.map { NSNumber(value: $0) } ?? NSNull(),
            "clip": segment.map { "/api/clips/\($0).webm" } ?? NSNull(),
            "following": following.map { NSNumber(value: $0) } ?? NSNull(),
            "rated": try database.ratedCount(by: rater),
            "total": try database.segmentCount(),
            "classes": database.classCount,
            "names": RatingExport.classNames(database.classCount),
            "task": database.task,
        ]
        return Self.json(body)
    }

    private func add(_ body: Data) -> Response {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return Self.json(["error": "the body is not a JSON object; send {\"segment\": ID, \"rating\": K, \"rater\": NAME}"], status: .badRequest)
        }
        guard let segment = (object["segment"] as? NSNumber).flatMap({ Int64(exactly: $0.doubleValue) }),
              let rating = (object["rating"] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
              let rater = object["rater"] as? String else {
            return Self.json(["error": "send {\"segment\": ID, \"rating\": K, \"rater\": NAME} with whole numbers and a name"], status: .badRequest)
        }
        if let failure = clips.failure(of: segment) {
            return Self.json(["error": "segment \(segment) cannot be shown (\(failure)), so it cannot be rated"], status: .unprocessableContent)
        }
        do {
            let stored = try database.addRating(segment: segment, rating: rating, rater: rater)
            log("rating \(stored.id): segment \(segment) rated \(rating) by \(stored.rater)")
            return Self.json(["id": stored.id, "segment": segment, "rating": rating, "rater": stored.rater,
                              "time": stored.time], status: .created)
        } catch let error as RatingStoreError {
            if let existing = error.existingRating {
                return Self.json(["error": error.description, "id": existing], status: .conflict)
            }
            return Self.json(["error": error.description], status: .badRequest)
        } catch {
            return Self.json(["error": "the rating was not stored: \(error)"], status: .internalServerError)
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Refuses requests without the server's token.
struct TokenCheck: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bearer = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : $0 }
        guard bearer == token || request.uri.queryParameters["token"].map(String.init) == token else {
            return RatingServer.json(["error": "this server needs its token: add ?token=T to the page's address, or the header Authorization: Bearer T"],
                                     status: .unauthorized)
        }
        return try await next(request, context)
    }
}

/// Refuses what another web site makes a rater's browser send: a Host that is
/// not this machine (DNS rebinding), and writes whose Origin or Sec-Fetch-Site
/// say they come from another origin. Scripts that send neither header pass.
struct SameOriginCheck: RouterMiddleware {
    typealias Context = BasicRequestContext
    let allowedHosts: Set<String>?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority ?? ""
        if let allowedHosts, !allowedHosts.contains(Self.hostName(authority)) {
            return RatingServer.json(["error": "this server answers only requests addressed to this machine (Host \(authority.prefix(100)) is not)"],
                                     status: .forbidden)
        }
        if request.method != .get && request.method != .head {
            if let origin = request.headers[.origin], origin != "http://" + authority {
                return RatingServer.json(["error": "ratings are accepted from the rating page only, not from \(origin.prefix(100))"],
                                         status: .forbidden)
            }
            if let site = request.headers[Self.fetchSite], site != "same-origin" && site != "none" {
                return RatingServer.json(["error": "ratings are accepted from the rating page only (Sec-Fetch-Site \(site.prefix(40)))"],
                                         status: .forbidden)
            }
        }
        return try await next(request, context)
    }

    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    /// The host of a Host header, without its port: "[::1]:8080" → "[::1]", "localhost:80" → "localhost".
    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return String(authority[...end]) }
        return String(authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }
}
