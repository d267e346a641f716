/// One member's state after a feedback round (measurements from its last epoch).
public struct MemberDiagnostics: Sendable, Equatable, Codable {
    /// Training classification accuracy over the last epoch.
    public var accuracy: Double
    /// Mean recall over the rating classes present, over the last epoch (absent in older logs).
    public var balancedAccuracy: Double?
    /// Mean L_cls over the last epoch.
    public var classificationLoss: Double
    /// Mean L_reg over the last epoch.
    public var regressionLoss: Double
    /// Mean total loss of the method over the last epoch.
    public var totalLoss: Double
    /// s₁ at the end of the round.
    public var s1: Double
    /// s₂ at the end of the round.
    public var s2: Double
    /// The effective weight on L_reg (½e^(−s₁) for the learned methods).
    public var regressionWeight: Double
    /// The effective weight on L_cls (e^(−s₂) for the learned methods).
    public var classificationWeight: Double

    /// Field-by-field mean of several members' diagnostics.
    static func mean(_ all: [MemberDiagnostics]) -> MemberDiagnostics {
        let n = Double(max(all.count, 1))
        func average(_ field: (MemberDiagnostics) -> Double) -> Double { all.reduce(0) { $0 + field($1) } / n }
        return MemberDiagnostics(
            accuracy: average(\.accuracy), balancedAccuracy: all.allSatisfy { $0.balancedAccuracy != nil } ? average { $0.balancedAccuracy! } : nil,
            classificationLoss: average(\.classificationLoss),
            regressionLoss: average(\.regressionLoss), totalLoss: average(\.totalLoss),
            s1: average(\.s1), s2: average(\.s2),
            regressionWeight: average(\.regressionWeight), classificationWeight: average(\.classificationWeight))
    }
}

/// What one feedback round of reward-model training did and reached.
public struct TrainingReport: Sendable, Equatable, Codable {
    /// The feedback round's index (as given by the caller).
    public var round: Int
    /// The loss trained.
    public var loss: RewardLoss
    /// Rated segments trained on.
    public var segmentCount: Int
    /// Rated segments per class.
    public var ratingHistogram: [Int]
    /// Epochs run.
    public var epochs: Int
    /// Whether training stopped because mean accuracy exceeded the threshold.
    public var stoppedEarly: Bool
    /// Per-member diagnostics, in member order.
    public var members: [MemberDiagnostics]
    /// The members' mean.
    public var mean: MemberDiagnostics
    /// Number of held-out segments the correlations were measured on.
    public var heldOutCount: Int
    /// Pearson's r between ensemble-mean predicted and true returns on the
    /// held-out segments (nil if fewer than 2 or either side is constant).
    public var pearson: Double?
    /// Spearman's ρ on the same pairs.
    public var spearman: Double?
    /// True when the ensemble predicts the same return for every held-out
    /// segment (its per-step outputs are constant, e.g. saturated): the policy
    /// then trains on a constant reward. Nil without held-out segments.
    public var heldOutPredictionsConstant: Bool? = nil
    /// Wall-clock seconds the round took (not reproducible; everything else is).
    public var seconds: Double
}
