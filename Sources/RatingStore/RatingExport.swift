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

    /// One exported rating: the rating with what its segment is. What a rater
    /// must not see while judging (the true return, the files segments came
    /// from) is nil in the rater's view (`hidingAnswers`) and then left out.
    public struct Row: Codable, Sendable, Equatable {
        public var id: Int64
        public var segment: Int64
        public var rating: Int
        public var classCount: Int
        public var rater: String
        public var time: Double
        public var source: String
        public var task: String
        public var segmentSource: String?
        public var sourceIndex: Int
        public var startStep: Int
        public var trueReturn: Double?
        /// When the rater undid it; present only in exports that include undone ratings.
        public var withdrawnAt: Double?

        enum CodingKeys: String, CodingKey {
            case id, segment, rating, rater, time, source, task
            case classCount = "class_count", segmentSource = "segment_source", sourceIndex = "source_index"
            case startStep = "start_step", trueReturn = "true_return", withdrawnAt = "withdrawn_at"
        }

        /// The row as a rater may see it: without the true return and the source's path.
        public var hidingAnswers: Row {
            var row = self
            row.trueReturn = nil
            row.segmentSource = nil
            return row
        }
    }

    /// Every rating in force of `database` (with `includingWithdrawn`, undone
    /// ones too) with its segment's facts, by rating id.
    public static func rows(_ database: RatingDatabase, includingWithdrawn: Bool = false) throws -> [Row] {
        let segments = Dictionary(uniqueKeysWithValues: try database.segments().map { ($0.id, $0) })
        return try database.ratings(includingWithdrawn: includingWithdrawn).map { rating in
            let segment = segments[rating.segment]
            return Row(id: rating.id, segment: rating.segment, rating: rating.rating, classCount: rating.classCount,
                       rater: rating.rater, time: rating.time, source: rating.source.rawValue, task: segment?.task ?? "",
                       segmentSource: segment?.source ?? "", sourceIndex: segment?.sourceIndex ?? -1,
                       startStep: segment?.startStep ?? 0, trueReturn: segment?.trueReturn, withdrawnAt: rating.withdrawnAt)
        }
    }

    /// CSV with a header line. Text fields are quoted where they need it, and
    /// one that a spreadsheet would run as a formula (starting with =, +, -,
    /// @, a tab or a carriage return) is prefixed with an apostrophe, as
    /// spreadsheet tools expect. A rater's view (`Row.hidingAnswers`) has no
    /// segment_source and true_return columns; withdrawn_at appears when a row has it.
    public static func csv(_ rows: [Row]) -> String {
        let answers = rows.isEmpty || rows.contains { $0.segmentSource != nil }
        let withdrawn = rows.contains { $0.withdrawnAt != nil }
        var header = ["id", "segment", "rating", "class_count", "rater", "time", "source", "task"]
        if answers { header += ["segment_source"] }
        header += ["source_index", "start_step"]
        if answers { header += ["true_return"] }
        if withdrawn { header += ["withdrawn_at"] }
        var lines = [header.joined(separator: ",")]
        for row in rows {
            var fields = [String(row.id), String(row.segment), String(row.rating), String(row.classCount), csvText(row.rater),
                          String(format: "%.3f", row.time), csvText(row.source), csvText(row.task)]
            if answers { fields.append(csvText(row.segmentSource ?? "")) }
            fields += [String(row.sourceIndex), String(row.startStep)]
            if answers { fields.append(row.trueReturn.map { "\($0)" } ?? "") }
            if withdrawn { fields.append(row.withdrawnAt.map { String(format: "%.3f", $0) } ?? "") }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A text field of CSV: formula triggers neutralised, quoted where needed.
    static func csvText(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
        return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// One JSON object per line.
    public static func jsonLines(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try rows.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }
}
