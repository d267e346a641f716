import Foundation

/// The words of a rating scale and the export formats of stored ratings.
public enum RatingExport {
    /// Names of the classes 0…n−1 of an n-class scale (n = 2…6), worst first.
    public static func classNames(_ classCount: Int) -> [String] {
        switch classCount {
        case 2: ["bad", "good"]
        case 3: ["bad", "neutral", "good"]
        case 4: ["very bad", "bad", "good", "very good"]
        case 5: ["very bad", "bad", "neutral", "good", "very good"]
        case 6: ["very bad", "bad", "slightly bad", "slightly good", "good", "very good"]
        default: (0..<max(0, classCount)).map { "class \($0)" }
        }
    }

    /// One exported rating: the rating with what its segment is.
    public struct Row: Codable, Sendable, Equatable {
        public var id: Int64
        public var segment: Int64
        public var rating: Int
        public var classCount: Int
        public var rater: String
        public var time: Double
        public var source: String
        public var task: String
        public var segmentSource: String
        public var sourceIndex: Int
        public var startStep: Int
        public var trueReturn: Double?

        enum CodingKeys: String, CodingKey {
            case id, segment, rating, rater, time, source, task
            case classCount = "class_count", segmentSource = "segment_source", sourceIndex = "source_index"
            case startStep = "start_step", trueReturn = "true_return"
        }
    }

    /// Every rating of `database` with its segment's facts, by rating id.
    public static func rows(_ database: RatingDatabase) throws -> [Row] {
        let segments = Dictionary(uniqueKeysWithValues: try database.segments().map { ($0.id, $0) })
        return try database.ratings().map { rating in
            let segment = segments[rating.segment]
            return Row(id: rating.id, segment: rating.segment, rating: rating.rating, classCount: rating.classCount,
                       rater: rating.rater, time: rating.time, source: rating.source.rawValue, task: segment?.task ?? "",
                       segmentSource: segment?.source ?? "", sourceIndex: segment?.sourceIndex ?? -1,
                       startStep: segment?.startStep ?? 0, trueReturn: segment?.trueReturn)
        }
    }

    /// CSV with a header line; text fields quoted where they need it.
    public static func csv(_ rows: [Row]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = ["id,segment,rating,class_count,rater,time,source,task,segment_source,source_index,start_step,true_return"]
        for row in rows {
            lines.append([String(row.id), String(row.segment), String(row.rating), String(row.classCount), field(row.rater),
                          String(format: "%.3f", row.time), row.source, row.task, field(row.segmentSource), String(row.sourceIndex),
                          String(row.startStep), row.trueReturn.map { "\($0)" } ?? ""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON object per line.
    public static func jsonLines(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try rows.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }
}
