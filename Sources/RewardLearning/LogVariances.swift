import Foundation

/// The learnable task-weight parameters of one ensemble member:
/// s₁ = log σ₁² (regression) and s₂ = log σ₂² (classification), both starting at 0.
public struct LogVariances: Sendable, Equatable, Codable {
    /// s₁, the regression term's log-variance.
    public var s1: Double
    /// s₂, the classification term's log-variance.
    public var s2: Double

    /// The pair (s₁, s₂); the default is the initial (0, 0).
    public init(s1: Double = 0, s2: Double = 0) {
        self.s1 = s1
        self.s2 = s2
    }
}
