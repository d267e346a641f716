/// Batch-size-weighted sums of one epoch's training measurements.
struct EpochStatistics: Sendable {
    var segments = 0
    var correct = 0
    var classificationLoss = 0.0
    var regressionLoss = 0.0
    var totalLoss = 0.0
    /// Per rating class: segments of that class, and those predicted correctly.
    var classTotal: [Int] = []
    var classCorrect: [Int] = []

    mutating func add(_ result: ObjectiveResult, labels: [Int]) {
        let count = labels.count
        segments += count
        correct += result.classification.correctCount
        for (label, predicted) in zip(labels, result.classification.predictions) {
            if label >= classTotal.count {
                classTotal += [Int](repeating: 0, count: label + 1 - classTotal.count)
                classCorrect += [Int](repeating: 0, count: label + 1 - classCorrect.count)
            }
            classTotal[label] += 1
            if predicted == label { classCorrect[label] += 1 }
        }
        classificationLoss += result.classification.loss * Double(count)
        regressionLoss += result.regression.loss * Double(count)
        totalLoss += result.total * Double(count)
    }

    var accuracy: Double { segments == 0 ? 0 : Double(correct) / Double(segments) }
    /// Mean recall over the classes present: a rating histogram dominated by
    /// one class cannot lift it by predicting that class everywhere.
    var balancedAccuracy: Double {
        let recalls = zip(classCorrect, classTotal).filter { $0.1 > 0 }.map { Double($0.0) / Double($0.1) }
        return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
    }
    func mean(_ sum: Double) -> Double { segments == 0 ? 0 : sum / Double(segments) }
}
