/// How a sweep tells the runs it starts who started them.
public enum ParentProcess {
    /// The environment variable through which a sweep gives its runs its process id
    /// (`ratingrl train` stops, with a checkpoint, when that process is gone).
    public static let variable = "RATINGRL_PARENT_PID"
}
