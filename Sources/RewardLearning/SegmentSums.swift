/// Sums consecutive groups of `length` per-step outputs into segment returns (in Double).
func segmentSums(_ values: [Float], length: Int) -> [Double] {
    let count = values.count / length
    var sums = [Double](repeating: 0, count: count)
    values.withUnsafeBufferPointer { v in
        for s in 0..<count {
            var total = 0.0
            for t in (s * length)..<((s + 1) * length) { total += Double(v[t]) }
            sums[s] = total
        }
    }
    return sums
}
