import ArgumentParser
import Foundation
import Processes

/// `bench rate` is a shell-level benchmark: the server runs as its own
/// process, Python clients post to it over loopback and headless Chromium
/// drives the page, so the numbers include what a rater's browser sees. This
/// command runs the checkout's script against this very `ratingrl`.
struct BenchRateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rate",
        abstract: "The rating server's speed: ratings committed per second, and the time from a key press in the page to the next clip playing.",
        discussion: """
        Runs \(script) from the checkout against this ratingrl: `rate` serves 2,000 cartpole segments, 4 keep-alive Python clients POST 2,000 ratings on loopback (each answered 201 after its commit), then headless Chromium rates 10 clips, watching each for 2 s. Needs python3 and Debian's chromium (`make test-deps`).
        """)

    static let script = "scripts/bench-rate.sh"

    func run() throws {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let folders = [FileManager.default.currentDirectoryPath]
            + sequence(first: executable.deletingLastPathComponent(), next: { $0.deletingLastPathComponent() }).prefix(6).map(\.path)
        guard let script = folders.map({ $0 + "/" + Self.script }).first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw ValidationFailure(message: "cannot find \(Self.script) in the current folder or above the executable; run ratingrl bench rate from the checkout")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["RATINGRL"] = executable.path
        let status = try ExternalProgram.run(["/bin/bash", script], environment: environment, capture: false).status
        guard status == 0 else { throw ExitCode(status) }
    }
}
