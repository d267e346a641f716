/// Mean squared error over all entries, as PyTorch's `MSELoss()`, and its
/// gradient with respect to `prediction`.
/// - Precondition: both matrices have the same shape.
public func meanSquaredError(prediction: Matrix, target: Matrix) -> (loss: Float, gradient: Matrix) {
    precondition(prediction.rows == target.rows && prediction.columns == target.columns,
                 "meanSquaredError: shapes \(prediction.rows)×\(prediction.columns) and \(target.rows)×\(target.columns) differ")
    let count = prediction.values.count
    guard count > 0 else { return (0, prediction) }
    var gradient = Matrix(rows: prediction.rows, columns: prediction.columns)
    var sum = 0.0
    let scale = 2 / Float(count)
    for i in 0..<count {
        let difference = prediction.values[i] - target.values[i]
        sum += Double(difference * difference)
        gradient.values[i] = scale * difference
    }
    return (Float(sum / Double(count)), gradient)
}
