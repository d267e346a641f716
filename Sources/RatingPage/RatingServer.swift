import Foundation
import Hummingbird
import NIOCore
import RatingStore

/// The rating page and its JSON API over a ratings database:
///
/// - `GET /` the page;
/// - `GET /api/next?rater=R[&after=ID]` the next segment R has not rated
///   (after segment ID when given, e.g. to skip): `{"segment": ID or null,
///   "clip", "following", "rated", "total", "classes", "names", "task"}`;
/// - `GET /api/clips/ID.webm` its looping clip;
/// - `POST /api/ratings` `{"segment": ID, "rating": K, "rater": R}` → 201
///   with the stored rating (its `id`) once committed; 400 and nothing stored
///   for a class outside 0…n−1, an unknown segment or malformed JSON; 409
///   (with the existing rating's `id`) when the rater has already rated it;
/// - `DELETE /api/ratings/RID` undoes a rating (404 if there is none);
/// - `GET /api/ratings` every rating as JSON (`?format=csv` for CSV).
///
/// With a token every request must carry it (`Authorization: Bearer T` or `?token=T`).
public struct RatingServer: Sendable {
    public let database: RatingDatabase
    public let clips: ClipCache
    public let token: String?
    /// Told one line per stored or undone rating.
    public let log: @Sendable (String) -> Void

    public init(database: RatingDatabase, clips: ClipCache, token: String?, log: @escaping @Sendable (String) -> Void) {
        self.database = database; self.clips = clips; self.token = token; self.log = log
    }

    /// Serves until the process is stopped; `onRunning` gets the bound port.
    public func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "ratingrl"),
                              onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
        try await app.runService()
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        if let token { router.add(middleware: TokenCheck(token: token)) }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: RatingPageHTML.page)))
        }
        router.get("/api/next") { request, _ in try next(request) }
        router.get("/api/clips/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".webm"), let id = Int64(file.dropLast(5)), try database.segment(id) != nil else {
                return Self.json(["error": "no clip \(file)"], status: .notFound)
            }
            let data = try await clips.clip(id)
            return Response(status: .ok, headers: [.contentType: "video/webm", .cacheControl: "max-age=86400"],
                            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/api/ratings") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            return add(Data(buffer: body))
        }
        router.delete("/api/ratings/:id") { _, context in
            guard let id = context.parameters.get("id").flatMap(Int64.init) else {
                return Self.json(["error": "a rating id is a number"], status: .badRequest)
            }
            guard try database.deleteRating(id) else { return Self.json(["error": "there is no rating \(id)"], status: .notFound) }
            log("undid rating \(id)")
            return Self.json(["deleted": id])
        }
        router.get("/api/ratings") { request, _ in
            let rows = try RatingExport.rows(database)
            if request.uri.queryParameters["format"] == "csv" {
                return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: RatingExport.csv(rows))))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(rows))))
        }
        return router
    }

    private func next(_ request: Request) throws -> Response {
        guard let rater = request.uri.queryParameters["rater"].map(String.init)?.trimmingCharacters(in: .whitespaces), !rater.isEmpty else {
            return Self.json(["error": "say who rates: /api/next?rater=NAME"], status: .badRequest)
        }
        let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) }
        let segment = try database.nextSegment(for: rater, after: after)
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
