import Foundation

/// A duration as 45s, 12m30s, 3h05m or 152d01h.
public func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    if s >= 86_400 { return "\(s / 86_400)d" + String(format: "%02dh", s % 86_400 / 3600) }
    if s >= 3600 { return "\(s / 3600)h" + String(format: "%02dm", s % 3600 / 60) }
    return s >= 60 ? "\(s / 60)m" + String(format: "%02ds", s % 60) : "\(s)s"
}
