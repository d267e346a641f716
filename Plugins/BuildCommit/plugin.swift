import Foundation
import PackagePlugin

/// Writes the git commit the package is built from (and whether tracked files
/// differ from it) into the BuildInfo target, so that every run can record the
/// code that trained it. The file is replaced only when its text changes, so an
/// unchanged tree rebuilds nothing.
///
/// A build command, not a prebuild command: SwiftPM runs prebuild commands only
/// when it plans the build again, which a commit or an edited source file does
/// not cause, so a binary built after a commit recorded the commit before it.
/// This command's inputs are every source file of the package, the manifest and
/// git's HEAD log (written by every commit, checkout and reset), so it runs
/// whenever any of them changed since the last build.
@main struct BuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.pluginWorkDirectoryURL
        let output = folder.appending(path: "BuildCommit.swift")
        let root = context.package.directoryURL
        let script = """
            commit=$(git -C '\(root.path)' rev-parse HEAD 2>/dev/null || echo unknown)
            if [ -n "$(git -C '\(root.path)' status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=true; else dirty=false; fi
            printf '// Written by the BuildCommit plugin before each build.\\nextension BuildCommit {\\n    public static let commit = "%s"\\n    public static let dirty = %s\\n}\\n' "$commit" "$dirty" > '\(output.path).new'
            cmp -s '\(output.path).new' '\(output.path)' && rm '\(output.path).new' || mv '\(output.path).new' '\(output.path)'
            touch '\(folder.appending(path: "ran").path)'
            """
        let sources = context.package.targets.compactMap { $0.sourceModule }.flatMap { $0.sourceFiles.map(\.url) }
        let inputs = sources + [root.appending(path: "Package.swift")] + gitHeadLog(root: root)
        // `ran` changes on every run, so the command is not repeated while its inputs stay older than it.
        return [.buildCommand(displayName: "Record the git commit of this build", executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: ["-c", script], inputFiles: inputs,
                              outputFiles: [output, folder.appending(path: "ran")])]
    }

    /// git's log of HEAD: `.git/logs/HEAD`, or the worktree's own when `.git` is a file naming another git directory.
    private func gitHeadLog(root: URL) -> [URL] {
        let dotGit = root.appending(path: ".git")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return [] }
        if isDirectory.boolValue { return [dotGit.appending(path: "logs/HEAD")] }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("gitdir:") }) else { return [] }
        let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
        let gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appending(path: path)
        return [gitDirectory.appending(path: "logs/HEAD")]
    }
}
