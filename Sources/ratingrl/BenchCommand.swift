import ArgumentParser

/// `ratingrl bench …`: every speed measurement of the project, one
/// subcommand each. Build with -c release for meaningful numbers; `make
/// bench` runs env, nn, reward, render and rate, `make bench-ppo` compares
/// PPO with Stable-Baselines3 (scripts/bench-ppo.sh).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed: environments, network kernels, reward training, rendering, PPO, the rating server.",
        discussion: "Build with -c release for meaningful numbers; set OPENBLAS_CORETYPE on CPUs OpenBLAS does not recognise (see docs/training.md). `make bench` runs env, nn, reward, render and rate.",
        subcommands: [BenchEnvCommand.self, BenchNNCommand.self, BenchRewardCommand.self, BenchRenderCommand.self,
                      BenchPPOCommand.self, BenchRateCommand.self])
}
