import Ratings

/// Everything that defines the reward model's training loss: the method and
/// the constants of its two terms.
public struct RewardObjective: Sendable, Equatable, Codable {
    /// Which loss the method trains with.
    public var loss: RewardLoss
    /// The classification term (k, ε).
    public var classification: ClassificationTerm
    /// The regression term (α).
    public var regression: RegressionTerm

    /// An objective; defaults are docs/method.md's (§3–6: ours, k = 30, ε = 1e-6, α = 0.1).
    public init(loss: RewardLoss = .ours, classification: ClassificationTerm = ClassificationTerm(),
                regression: RegressionTerm = RegressionTerm()) {
        self.loss = loss
        self.classification = classification
        self.regression = regression
    }

    /// Throws `RewardLearningError.invalidSetting` unless k, ε and α are positive and finite.
    public func validate() throws {
        for (name, value) in [("classification steepness k", classification.steepness),
                              ("normalisation ε", classification.epsilon),
                              ("regression scale α", regression.scale)] {
            guard value > 0, value.isFinite else {
                throw RewardLearningError.invalidSetting(name: name, value: "\(value)", allowed: "positive and finite")
            }
        }
    }

    /// Both terms, the method's total and dL/dR̂, dL/ds₁, dL/ds₂ on one minibatch.
    ///
    /// Both terms are always evaluated (so diagnostics and accuracy exist for
    /// every method); only those with non-zero weight reach the gradient.
    /// - Parameter boundaries: fixed boundaries instead of the batch's own (see `ClassificationTerm`).
    /// - Precondition: labels in 0…n−1, one per return.
    public func evaluate(returns: [Double], labels: [Int], classCount: Int, segmentLength: Int,
                         logVariances: LogVariances, boundaries: RatingBoundaries? = nil) -> ObjectiveResult {
        let cls = classification.evaluate(returns: returns, labels: labels, classCount: classCount,
                                          boundaries: boundaries)
        let reg = regression.evaluate(returns: returns, labels: labels, segmentLength: segmentLength)
        let combination = loss.combine(classification: cls.loss, regression: reg.loss, logVariances: logVariances)
        var gradient = [Double](repeating: 0, count: returns.count)
        for j in returns.indices {
            gradient[j] = combination.dClassification * cls.gradient[j] + combination.dRegression * reg.gradient[j]
        }
        return ObjectiveResult(classification: cls, regression: reg, combination: combination,
                               returnGradient: gradient)
    }
}

/// The objective evaluated on one minibatch.
public struct ObjectiveResult: Sendable {
    /// The classification term (loss, accuracy, Q, boundaries).
    public let classification: ClassificationResult
    /// The regression term.
    public let regression: RegressionResult
    /// The total loss and its partial derivatives.
    public let combination: LossCombination
    /// dL/dR̂ per segment.
    public let returnGradient: [Double]

    /// L, the method's total loss.
    public var total: Double { combination.total }

    /// Whether the loss and every gradient entry are finite.
    public var isFinite: Bool {
        combination.total.isFinite && combination.dS1.isFinite && combination.dS2.isFinite
            && classification.loss.isFinite && regression.loss.isFinite
            && returnGradient.allSatisfy(\.isFinite)
    }
}
