/// Which viewpoint a frame is rendered from.
public enum CameraChoice: Equatable, Sendable, CustomStringConvertible {
    /// A camera of the model, by name.
    case named(String)
    /// A camera of the model, by index (0-based, model order).
    case index(Int)
    /// A free camera that follows the model's root body from the side.
    case tracking
    /// MuJoCo's default free camera, framing the whole model.
    case free

    /// Parses "track", "free", a camera index or a camera name.
    public init(_ text: String) {
        switch text {
        case "track", "tracking": self = .tracking
        case "free": self = .free
        default: self = Int(text).map(CameraChoice.index) ?? .named(text)
        }
    }

    public var description: String {
        switch self {
        case let .named(name): name
        case let .index(index): String(index)
        case .tracking: "track"
        case .free: "free"
        }
    }
}
