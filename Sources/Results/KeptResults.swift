import Foundation
import Training

/// The files of finished runs that `summarize` and `plot` read, copied below
/// another folder at the same relative paths: a record of results small enough
/// to commit, which outlives the run folders (checkpoints, ratings and reward
/// models stay behind, so it cannot be resumed, refitted or rendered).
public struct KeptResults: Sendable {
    /// What is copied of each finished run (those of them it has).
    public static let fileNames = ["config.json", "summary.json", "evaluations.csv", "feedback.jsonl"]

    /// Finished runs copied, by path below the root.
    public let copied: [String]
    /// Bytes copied in all.
    public let bytes: Int
    /// Runs left out because they have not finished.
    public let unfinished: [String]
    /// Run folders that could not be read (left out).
    public let warnings: [String]

    /// Copies every finished run below `root` to `destination` (created if
    /// needed), replacing files a previous copy left there; each file is
    /// written atomically.
    public static func copy(from root: String, to destination: String) throws -> KeptResults {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let (rootPath, destinationPath) = (resolved(root), resolved(destination))
        guard destinationPath != rootPath, !destinationPath.hasPrefix(rootPath + "/") else {
            throw RunError("\(destination) is inside \(root): its copies would be read as runs of \(root); choose a folder outside it")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder), !isFolder.boolValue {
            throw RunError("--to \(destination) is a file; give a folder (it is created if missing)")
        }
        let catalog = try RunCatalog(root: root)
        let manager = FileManager.default
        var copied: [String] = [], bytes = 0
        for run in catalog.runs where run.finished {
            let target = run.path == "." ? destination : destination + "/" + run.path
            do {
                try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
            } catch {
                throw RunError("cannot create \(target): \(error.localizedDescription)")
            }
            for name in fileNames where manager.fileExists(atPath: run.folder + "/" + name) {
                guard let data = manager.contents(atPath: run.folder + "/" + name) else {
                    throw RunError("cannot read \(run.folder)/\(name)")
                }
                try RunDirectory.writeDurably(data, to: target + "/" + name)
                bytes += data.count
            }
            copied.append(run.path)
        }
        return KeptResults(copied: copied, bytes: bytes, unfinished: catalog.runs.filter { !$0.finished }.map(\.path),
                           warnings: catalog.warnings)
    }
}
