/// Subcommands that moved: their old spelling, which scripts may still use,
/// now stops with one line naming the new one (RatingRL.main).
enum RenamedCommand: String, CaseIterable {
    case benchEnv = "bench-env"
    case benchRender = "bench-render"
    case benchPPO = "bench-ppo"

    /// The command's words now, after `ratingrl`.
    var replacement: String {
        switch self {
        case .benchEnv: "bench env"
        case .benchRender: "bench render"
        case .benchPPO: "bench ppo"
        }
    }

    /// The error line for a command line that uses the old spelling.
    var message: String { "\(rawValue) is now 'ratingrl \(replacement)'" }

    /// The renamed command `arguments` (without the program) start with, if any.
    init?(arguments: [String]) {
        guard let first = arguments.first else { return nil }
        self.init(rawValue: first)
    }
}
