import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MuJoCo

/// The folder holding the DeepMind Control Suite XML models (`make models`
/// fetches them into the checkout's `models/`).
public struct ModelDirectory: Sendable, Equatable {
    public let path: String

    /// Uses `path` as is; it must contain the suite's XML files.
    /// - Throws: `ControlError.modelsIncomplete` naming the missing files when
    ///   the folder has only some of them, else `modelsNotFound`.
    public init(path: String) throws {
        let missing = ModelDirectory.missingFiles(path)
        guard missing.isEmpty else {
            if missing.count < ModelDirectory.requiredFiles.count {
                throw ControlError.modelsIncomplete(folder: path, missing: missing)
            }
            throw ControlError.modelsNotFound(searched: [path])
        }
        self.path = path
    }

    /// Finds the models: an explicit folder if given, else `$RATINGRL_MODELS`,
    /// else `./models`, else a `models/` beside or above the running executable.
    public static func locate(explicit: String? = nil) throws -> ModelDirectory {
        if let explicit { return try ModelDirectory(path: explicit) }
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["RATINGRL_MODELS"], !fromEnvironment.isEmpty {
            return try ModelDirectory(path: fromEnvironment)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/models")
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("models").path)
            folder.deleteLastPathComponent()
        }
        for candidate in candidates where looksComplete(candidate) {
            return try ModelDirectory(path: candidate)
        }
        throw ControlError.modelsNotFound(searched: candidates)
    }

    /// Files every task needs; a folder without them is not a model folder.
    static let requiredFiles = ["cartpole.xml", "ball_in_cup.xml", "finger.xml", "cheetah.xml",
                                "walker.xml", "quadruped.xml", "common/materials.xml",
                                "common/skybox.xml", "common/visual.xml"]

    static func looksComplete(_ path: String) -> Bool { missingFiles(path).isEmpty }

    static func missingFiles(_ path: String) -> [String] {
        requiredFiles.filter { !FileManager.default.isReadableFile(atPath: path + "/" + $0) }
    }

    /// Compiles one of the suite's model files unchanged.
    public func load(_ file: String) throws -> Model {
        try Model(contentsOf: path + "/" + file)
    }

    /// Compiles a model file after editing its XML, as dm_control's Python
    /// does for some domains. The edited text stays in memory; includes still
    /// resolve against this folder.
    public func load(_ file: String, editing edit: (XMLDocument) throws -> Void) throws -> Model {
        let url = URL(fileURLWithPath: path + "/" + file)
        let document: XMLDocument
        do {
            document = try XMLDocument(contentsOf: url, options: [])
        } catch {
            throw MuJoCoError("cannot parse \(url.path): \(error.localizedDescription)")
        }
        try edit(document)
        let stem = url.deletingPathExtension().lastPathComponent
        return try Model(xml: document.xmlString, path: path + "/" + stem + ".edited.xml")
    }
}

extension XMLDocument {
    /// Removes every element matched by an XPath query; it is an error when none match.
    func removeElements(matching query: String) throws {
        let nodes = try nodes(forXPath: query)
        guard !nodes.isEmpty else { throw MuJoCoError("model edit found nothing at \(query)") }
        for node in nodes { node.detach() }
    }

    /// Sets an attribute on the single element matched by an XPath query.
    func setAttribute(_ name: String, to value: String, at query: String) throws {
        let nodes = try nodes(forXPath: query)
        guard nodes.count == 1, let element = nodes[0] as? XMLElement else {
            throw MuJoCoError("model edit expected one element at \(query), found \(nodes.count)")
        }
        element.attribute(forName: name)?.stringValue = value
        if element.attribute(forName: name) == nil {
            element.addAttribute(XMLNode.attribute(withName: name, stringValue: value) as! XMLNode)
        }
    }
}
