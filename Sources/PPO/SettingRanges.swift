/// Whole-number settings checked against their stated ranges: one sentence
/// per value outside its range, "NAME must be between LOW and HIGH, got VALUE".
public func rangeProblems(_ checks: [(name: String, value: Int, range: ClosedRange<Int>)]) -> [String] {
    checks.filter { !$0.range.contains($0.value) }.map {
        "\($0.name) must be between \($0.range.lowerBound) and \($0.range.upperBound), got \($0.value)"
    }
}
