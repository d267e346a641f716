import ArgumentParser
import Foundation

@main
struct RatingRL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratingrl",
        abstract: "Reinforcement learning from ratings on the DeepMind Control Suite.",
        subcommands: [EnvsCommand.self, TrainCommand.self, SweepCommand.self, SummarizeCommand.self, PlotCommand.self, KeepCommand.self, SegmentReturnsCommand.self, RefitCommand.self, RolloutCommand.self, ReplayCommand.self, RenderCommand.self, ViewCommand.self, RateCommand.self, RatingsCommand.self, ExportCommand.self, BenchCommand.self])

    /// Runs the command as ArgumentParser does, except that an option's value
    /// that does not parse (e.g. one outside its choices) is reported in one
    /// line, like every other mistake, rather than with the option's help and
    /// the usage after it (`--help` has those), and so is a command's old
    /// spelling (`RenamedCommand`).
    static func main() {
        if let renamed = RenamedCommand(arguments: Array(CommandLine.arguments.dropFirst())) {
            printError("Error: " + renamed.message)
            exit(withError: ExitCode.validationFailure)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard let line = invalidValueLine(message(for: error)) else { exit(withError: error) }
            printError("Error: " + line)
            exit(withError: exitCode(for: error))
        }
    }

    /// ArgumentParser's message for a value that does not parse, in one line
    /// (a long list of values, one per line, joined); nil for other errors.
    static func invalidValueLine(_ message: String) -> String? {
        guard message.hasPrefix("The value '"), message.contains("' is invalid for '") else { return nil }
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count > 1, lines[0].hasSuffix(" the following:") else { return lines.joined(separator: " ") }
        let values = lines.dropFirst().map { $0.hasPrefix("- ") ? "'\($0.dropFirst(2))'" : $0 }
        return lines[0].dropLast(" the following:".count) + " " + values.joined(separator: ", ") + "."
    }
}

/// Where to find the suite's XML models; shared by every command that builds a task.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder with the DeepMind Control Suite XML models.",
        discussion: "Defaults to $RATINGRL_MODELS, then ./models, then a models/ folder above the executable. `make models` fetches them.",
        valueName: "dir"))
    var models: String?
}
