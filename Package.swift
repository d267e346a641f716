// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "RatingRL",
    products: [
        .library(name: "RatingRL", targets: ["MuJoCo", "Randomness", "Control", "NeuralNet", "PPO", "Ratings", "RewardLearning", "SegmentReplay", "Processes", "RunConfiguration", "Training", "Results", "Sweep", "Render", "Playback", "RatingStore", "RatingPage", "TensorFiles", "ModelExport"]),
        .executable(name: "ratingrl", targets: ["ratingrl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // One trait, not its default two: SwiftPM 6.3 passes enabled traits as -D flags in an order
        // that changes from one build plan to the next, and each change recompiled HummingbirdCore
        // and Hummingbird (swift-package-manager issue 10525, fixed in 6.4). ConfigurationSupport
        // (building its types from swift-configuration) is unused here.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
    ],
    targets: [
        // Debian's libmujoco-dev (MuJoCo 2.2.2); no pkg-config file is shipped.
        .systemLibrary(name: "CMuJoCo", path: "Sources/CMuJoCo",
                       providers: [.apt(["libmujoco-dev"])]),
        .target(name: "MuJoCo", dependencies: ["CMuJoCo"]),
        .target(name: "Randomness"),
        // Debian's libopenblas-dev; one BLAS thread per process (OPENBLAS_NUM_THREADS=1).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Vectorised element-wise kernels (tanh, Adam), dispatched by CPU features at load time.
        .target(name: "CKernels"),
        .target(name: "NeuralNet", dependencies: ["COpenBLAS", "CKernels", "Randomness"]),
        .target(name: "PPO", dependencies: ["Control", "NeuralNet", "Randomness"]),
        .target(name: "Ratings", dependencies: ["Randomness"]),
        .target(name: "RewardLearning", dependencies: ["NeuralNet", "Ratings", "Randomness"]),
        // A segment replayed from its start state in its task's environment.
        .target(name: "SegmentReplay", dependencies: ["Control", "Ratings"]),
        // The git commit a binary was built from, written before each build by the BuildCommit plugin.
        .plugin(name: "BuildCommit", capability: .buildTool()),
        .target(name: "BuildInfo", plugins: ["BuildCommit"]),
        // TensorBoard event files (scalars), written as a run goes.
        .target(name: "TensorBoardEvents"),
        // Other programs run to their end (Python, Slurm's commands); SIGINT and SIGTERM caught as requests to stop.
        .target(name: "Processes"),
        // config.json's types, and how configuration files and options resolve into one.
        .target(name: "RunConfiguration", dependencies: ["Control", "PPO", "Ratings", "RewardLearning", .product(name: "Yams", package: "Yams")]),
        // A training run: its loop, run folder, checkpoints and logs, and reading back what it left.
        .target(name: "Training", dependencies: ["BuildInfo", "TensorBoardEvents", "Control", "PPO", "NeuralNet", "Randomness", "Ratings", "RewardLearning",
                                                "RunConfiguration", "SegmentReplay"]),
        // Finished run folders read into tables, statistics, tidy CSVs and figures.
        .target(name: "Results", dependencies: ["Processes", "Randomness", "Ratings", "RewardLearning", "RunConfiguration", "Training"]),
        // Arrays as files Python loads in one line: safetensors, numpy's .npy and .npz (zlib's CRC-32).
        .target(name: "TensorFiles", dependencies: ["CZlib"]),
        // A trained run's networks and normaliser as safetensors files with a JSON description (`ratingrl export`).
        .target(name: "ModelExport", dependencies: ["Control", "NeuralNet", "PPO", "RewardLearning", "TensorFiles", "Training"]),
        // Sweeps: grids of runs, each a child `ratingrl train` process.
        .target(name: "Sweep", dependencies: ["Processes", "RunConfiguration", "Training"]),
        .target(name: "Control", dependencies: ["MuJoCo", "Randomness"]),
        // Debian's libegl-dev (glvnd); Mesa's libegl-mesa0 and libgl1-mesa-dri at run time.
        // Opened at run time (dlopen), not linked: see Sources/CEGL/shim.h.
        .systemLibrary(name: "CEGL", path: "Sources/CEGL",
                       providers: [.apt(["libegl-dev", "libegl-mesa0", "libgl1-mesa-dri"])]),
        // Debian's libosmesa6-dev: Mesa's off-screen software GL, also opened at run time.
        .systemLibrary(name: "COSMesa", path: "Sources/COSMesa", providers: [.apt(["libosmesa6-dev"])]),
        // Debian's libglfw3-dev: a (hidden) window's OpenGL context where a display exists.
        .systemLibrary(name: "CGLFW", path: "Sources/CGLFW", pkgConfig: "glfw3",
                       providers: [.apt(["libglfw3-dev"])]),
        // Debian's zlib1g-dev, for PNG's deflate and CRC.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // MuJoCo's own renderer in a headless OpenGL context; PNG and video output.
        .target(name: "Render", dependencies: ["MuJoCo", "CMuJoCo", "CEGL", "COSMesa", "CGLFW", "CZlib"]),
        // Frames of replays, rated segments and policy episodes, and where they go.
        .target(name: "Playback", dependencies: ["Render", "Control", "PPO", "Randomness", "RunConfiguration", "Training"]),
        // Segments and their ratings in SQLite (GRDB; Debian's libsqlite3-dev), human and synthetic.
        .target(name: "RatingStore", dependencies: ["Control", "Randomness", "Ratings", "SegmentReplay", "TensorFiles", .product(name: "GRDB", package: "GRDB.swift")]),
        // The rating web page and its JSON API (Hummingbird), clips rendered by Playback.
        .target(name: "RatingPage", dependencies: ["RatingStore", "Playback", "Render", "Control",
                                                   .product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(name: "ratingrl", dependencies: [
            "BuildInfo", "Control", "NeuralNet", "PPO", "Processes", "Randomness", "Ratings", "RewardLearning", "RunConfiguration", "Training", "Results", "Sweep", "Render", "Playback",
            "RatingStore", "RatingPage", "ModelExport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "MuJoCoTests", dependencies: ["MuJoCo"]),
        .testTarget(name: "CLITests", dependencies: ["ratingrl", "RunConfiguration", "RatingStore", "PythonCheck",
                                                 .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Shared by the gradient-checking test targets.
        .target(name: "GradientCheck", path: "Tests/GradientCheck"),
        // Shared by the test targets that read files with Python's own readers.
        .target(name: "PythonCheck", dependencies: ["Processes", "Results", "Training"], path: "Tests/PythonCheck"),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Randomness", "GradientCheck"]),
        .testTarget(name: "PPOTests", dependencies: ["PPO", "NeuralNet", "Randomness"]),
        .testTarget(name: "RunConfigurationTests", dependencies: ["RunConfiguration", "PPO", "Ratings", "RewardLearning"]),
        // Also ModelExport's tests (they export runs these tests train) and a check of a run's evaluations as Results reads them.
        .testTarget(name: "TrainingTests", dependencies: ["Training", "RunConfiguration", "Results", "TensorBoardEvents", "PPO", "Randomness", "Control", "RewardLearning",
                                                      "NeuralNet", "Ratings", "ModelExport", "PythonCheck", "BuildInfo", "SegmentReplay"]),
        .testTarget(name: "ResultsTests", dependencies: ["Results", "RunConfiguration", "PPO", "RewardLearning"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Processes", "RunConfiguration", "Training"]),
        .testTarget(name: "RatingsTests", dependencies: ["Ratings", "Randomness"]),
        .testTarget(name: "RewardLearningTests", dependencies: ["RewardLearning", "Ratings", "NeuralNet", "Randomness", "GradientCheck"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "TensorBoardEventsTests", dependencies: ["TensorBoardEvents"]),
        .testTarget(name: "RatingStoreTests", dependencies: ["RatingStore", "Control", "PythonCheck", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TensorFilesTests", dependencies: ["TensorFiles", "PythonCheck"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Playback", "Control", "MuJoCo", "PPO", "Randomness", "Ratings", "RewardLearning", "RunConfiguration", "Training"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "MuJoCo", "Randomness"],
                    exclude: ["Fixtures"]),
    ]
)
