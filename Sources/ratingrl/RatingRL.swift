import ArgumentParser

@main
struct RatingRL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ratingrl",
        abstract: "Reinforcement learning from ratings on the DeepMind Control Suite.",
        subcommands: [EnvsCommand.self, TrainCommand.self, SweepCommand.self, SummarizeCommand.self, PlotCommand.self, KeepCommand.self, SegmentReturnsCommand.self, RefitCommand.self, RolloutCommand.self, ReplayCommand.self, RenderCommand.self, ViewCommand.self, RateCommand.self, RatingsCommand.self, ExportCommand.self, BenchEnvCommand.self, BenchRenderCommand.self, BenchPPOCommand.self])
}

/// Where to find the suite's XML models; shared by every command that builds a task.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder with the DeepMind Control Suite XML models.",
        discussion: "Defaults to $RATINGRL_MODELS, then ./models, then a models/ folder above the executable. `make models` fetches them.",
        valueName: "dir"))
    var models: String?
}
