/// The git commit this program was built from (`commit`, "unknown" outside a
/// git checkout) and whether tracked files differed from it (`dirty`); both
/// are written before each build by the BuildCommit plugin.
public enum BuildCommit {
    /// "abc1234…" or "abc1234… (dirty)": what a run records.
    public static var description: String { commit + (dirty ? " (dirty)" : "") }
}
