/// Batch-size-weighted sums of one epoch's training measurements.
struct EpochStatistics: Sendable {
    var segments = 0
    var correct = 0
    var classificationLoss = 0.0
    var regressionLoss = 0.0
    var totalLoss = 0.0

    mutating func add(_ result: ObjectiveResult, count: Int) {
        segments += count
        correct += result.classification.correctCount
        classificationLoss += result.classification.loss * Double(count)
        regressionLoss += result.regression.loss * Double(count)
        totalLoss += result.total * Double(count)
    }

    var accuracy: Double { segments == 0 ? 0 : Double(correct) / Double(segments) }
    func mean(_ sum: Double) -> Double { segments == 0 ? 0 : sum / Double(segments) }
}
