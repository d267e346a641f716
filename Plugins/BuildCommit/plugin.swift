import Foundation
import PackagePlugin

/// Before every build, writes the git commit the package is built from (and
/// whether tracked files differ from it) into the BuildInfo target, so that
/// every run can record the code that trained it. The file is replaced only
/// when its text changes, so an unchanged tree rebuilds nothing.
@main struct BuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.pluginWorkDirectoryURL
        let output = folder.appending(path: "BuildCommit.swift").path
        let root = context.package.directoryURL.path
        let script = """
            commit=$(git -C '\(root)' rev-parse HEAD 2>/dev/null || echo unknown)
            if [ -n "$(git -C '\(root)' status --porcelain --untracked-files=no 2>/dev/null)" ]; then dirty=true; else dirty=false; fi
            printf '// Written by the BuildCommit plugin before each build.\\nextension BuildCommit {\\n    public static let commit = "%s"\\n    public static let dirty = %s\\n}\\n' "$commit" "$dirty" > '\(output).new'
            cmp -s '\(output).new' '\(output)' && rm '\(output).new' || mv '\(output).new' '\(output)'
            """
        return [.prebuildCommand(displayName: "Record the git commit of this build", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script], outputFilesDirectory: folder)]
    }
}
