import Foundation

/// Which reward-model loss a method trains with (docs/method.md §6). Raw values
/// are the command-line names. (`ppo` trains no reward model and has no case.)
///
/// | case | loss |
/// |---|---|
/// | rbrl | L_cls |
/// | ours | ½e^(−s₁)·L_reg + e^(−s₂)·L_cls + ½s₁ + ½s₂ |
/// | oursEqual | 0.5·L_reg + 0.5·L_cls |
/// | oursCls | e^(−s₂)·L_cls + ½s₂ |
/// | oursReg | ½e^(−s₁)·L_reg + ½s₁ |
public enum RewardLoss: String, Sendable, Codable, CaseIterable {
    case rbrl
    case ours
    case oursEqual = "ours-equal"
    case oursCls = "ours-cls"
    case oursReg = "ours-reg"

    /// Whether s₁ (the regression log-variance) is trained.
    public var learnsS1: Bool { self == .ours || self == .oursReg }
    /// Whether s₂ (the classification log-variance) is trained.
    public var learnsS2: Bool { self == .ours || self == .oursCls }

    /// The early-stop rule a method trains with unless told otherwise. rbrl
    /// keeps RbRL's plain-accuracy rule: its loss sees the returns only
    /// through a min-max normalisation, so the balanced rule's long training
    /// on ratings that are nearly all one class drives its tanh outputs into
    /// saturation (a constant reward; docs/results.md, "The stop rule and the
    /// walker question"). The methods of the paper, whose variants are ablations of
    /// one another, share the balanced rule, which a skewed histogram cannot fool.
    public var defaultStopRule: RewardTrainingSettings.StopRule { self == .rbrl ? .accuracy : .balancedAccuracy }

    /// The effective weights multiplying L_reg and L_cls at the given s₁, s₂.
    public func weights(_ s: LogVariances) -> (regression: Double, classification: Double) {
        switch self {
        case .rbrl: return (0, 1)
        case .ours: return (0.5 * exp(-s.s1), exp(-s.s2))
        case .oursEqual: return (0.5, 0.5)
        case .oursCls: return (0, exp(-s.s2))
        case .oursReg: return (0.5 * exp(-s.s1), 0)
        }
    }

    /// The total loss and its partial derivatives with respect to L_cls, L_reg, s₁ and s₂.
    /// Derivatives for an s the method does not learn are 0.
    public func combine(classification: Double, regression: Double, logVariances s: LogVariances) -> LossCombination {
        let w = weights(s)
        var total = w.regression * regression + w.classification * classification
        var dS1 = 0.0, dS2 = 0.0
        if learnsS1 {
            total += 0.5 * s.s1
            dS1 = -w.regression * regression + 0.5
        }
        if learnsS2 {
            total += 0.5 * s.s2
            dS2 = -w.classification * classification + 0.5
        }
        return LossCombination(total: total, dClassification: w.classification, dRegression: w.regression,
                               dS1: dS1, dS2: dS2)
    }
}

/// A method's total loss and its partial derivatives.
public struct LossCombination: Sendable, Equatable {
    /// L, the method's total loss.
    public let total: Double
    /// ∂L/∂L_cls.
    public let dClassification: Double
    /// ∂L/∂L_reg.
    public let dRegression: Double
    /// ∂L/∂s₁.
    public let dS1: Double
    /// ∂L/∂s₂.
    public let dS2: Double
}
