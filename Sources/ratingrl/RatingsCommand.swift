import ArgumentParser
import Control
import Foundation
import RatingStore

struct RatingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratings",
        abstract: "Import segments (and a run's synthetic ratings) into a ratings database, or export its ratings.",
        subcommands: [Import.self, Export.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a run's rated segments (or a file of replay requests) into a ratings database.",
            discussion: "With --synthetic, the run's own ratings (from its synthetic rater) are stored too, as rater \"synthetic\", source synthetic.")

        @Option(help: ArgumentHelp("The ratings database (created if missing).", valueName: "file"))
        var db: String
        @Option(help: ArgumentHelp("A run folder or a file of replay requests.", valueName: "src"))
        var segments: String
        @Option(help: "Rating classes (2 to 6); default: the run's, or the database's.")
        var classes: Int?
        @Flag(help: "Also store the run's synthetic ratings.")
        var synthetic = false
        @OptionGroup var modelOptions: ModelOptions

        func run() throws {
            let models = try modelOptions.directory()
            do {
                let database = try openDatabase(path: db, source: segments, classes: classes, models: models)
                guard synthetic else { return }
                let imported = try SegmentImport(source: segments)
                guard !imported.ratings.isEmpty else { throw RatingStoreError("\(segments) has no ratings of its own (it is not a run folder)") }
                guard imported.classCount == database.classCount else {
                    throw RatingStoreError("the run rated with \(imported.classCount ?? 0) classes, the database has \(database.classCount)")
                }
                let stored = try database.segments().filter { $0.source == SegmentImport.sourceName(segments) }
                let byIndex = Dictionary(uniqueKeysWithValues: stored.map { ($0.sourceIndex, $0.id) })
                let already = Set(try database.ratings().filter { $0.source == .synthetic }.map(\.segment))
                var added = 0
                for (index, rating) in imported.ratings.enumerated() {
                    guard let id = byIndex[index], !already.contains(id) else { continue }
                    try database.addRating(segment: id, rating: rating, rater: "synthetic", source: .synthetic)
                    added += 1
                }
                print("stored \(added) synthetic rating\(added == 1 ? "" : "s")")
            } catch let error as RatingStoreError {
                throw ValidationFailure(message: error.description)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every rating with its segment's facts as CSV, JSON lines, or a numpy dataset (npz).",
            discussion: """
                npz holds one row per rating: each segment replayed from its start state for its observations \
                (float64 [N, T, obs]) and actions ([N, T, act]), with rating, rater, time and, where known, the true \
                return; numpy.load(FILE) opens it. See docs/python.md.
                """)

        /// The export's file format.
        enum Format: String, CaseIterable, ExpressibleByArgument {
            case csv, jsonl, npz
        }

        @Option(help: ArgumentHelp("The ratings database.", valueName: "file"))
        var db: String
        @Option(help: "The file format.")
        var format = Format.csv
        @Flag(help: "Include undone (withdrawn) ratings, with the time each was undone in withdrawn_at.")
        var withdrawn = false
        @Option(help: ArgumentHelp("Output file, or - for standard output (csv and jsonl).", valueName: "file"))
        var output = "-"
        @OptionGroup var modelOptions: ModelOptions

        func run() throws {
            if format == .npz && output == "-" { throw ValidationFailure(message: "npz is binary: give --output FILE") }
            do {
                let (task, classes) = try RatingDatabase.describe(path: db)
                let database = try RatingDatabase(path: db, task: task, classCount: classes)
                let data: Data
                switch format {
                case .csv: data = Data(RatingExport.csv(try RatingExport.rows(database, includingWithdrawn: withdrawn)).utf8)
                case .jsonl: data = Data(try RatingExport.jsonLines(try RatingExport.rows(database, includingWithdrawn: withdrawn)).utf8)
                case .npz:
                    let environment = try Suite.make(task, models: try modelOptions.directory())
                    data = try RatingDataset.npz(database, environment: environment, includingWithdrawn: withdrawn)
                }
                try writeOutput(data, to: output)
            } catch let error as RatingStoreError {
                throw ValidationFailure(message: error.description)
            }
        }
    }
}
