import NeuralNet

extension RewardEnsemble {
    /// The ensemble's full training state as named tensors for `WeightFile`,
    /// per member m: `<prefix>.member<m>.network.layer<i>.{weight,bias}`,
    /// `<prefix>.member<m>.adam.{m,v,step}`, `<prefix>.member<m>.logVariances`
    /// (shape [2]: s₁, s₂) and `<prefix>.member<m>.logVarianceAdam.{m,v,step}`.
    public func tensors(prefix: String) -> [WeightFile.Tensor] {
        var tensors: [WeightFile.Tensor] = []
        for (m, member) in members.enumerated() {
            let stem = memberPrefix(prefix, m)
            tensors += member.network.tensors(prefix: stem + ".network")
            tensors += member.optimizer.tensors(prefix: stem + ".adam")
            tensors.append((name: stem + ".logVariances", shape: [2],
                            values: [Float(member.logVariances.s1), Float(member.logVariances.s2)]))
            tensors += member.logVarianceOptimizer.tensors(prefix: stem + ".logVarianceAdam")
        }
        return tensors
    }

    /// Restores a state written by `tensors(prefix:)`. Throws `WeightFileError`
    /// if a tensor is missing or mis-shaped, or the tensors describe more members;
    /// on error nothing changes.
    public func load(tensors: [WeightFile.Tensor], prefix: String) throws {
        let extra = memberPrefix(prefix, members.count) + "."
        if let unexpected = tensors.first(where: { $0.name.hasPrefix(extra) }) {
            throw WeightFileError.unexpectedTensor(name: unexpected.name)
        }
        var staged: [(network: MLP, optimizer: Adam, s: LogVariances, sOptimizer: Adam)] = []
        for (m, member) in members.enumerated() {
            let stem = memberPrefix(prefix, m)
            let network = member.network.copy()
            try network.load(tensors: tensors, prefix: stem + ".network")
            var optimizer = member.optimizer
            try optimizer.load(tensors: tensors, prefix: stem + ".adam")
            let s = try WeightFile.tensor(named: stem + ".logVariances", in: tensors, expectedShape: [2])
            var sOptimizer = member.logVarianceOptimizer
            try sOptimizer.load(tensors: tensors, prefix: stem + ".logVarianceAdam")
            staged.append((network, optimizer, LogVariances(s1: Double(s.values[0]), s2: Double(s.values[1])), sOptimizer))
        }
        for (member, state) in zip(members, staged) {
            member.network.parameters = state.network.parameters
            member.optimizer = state.optimizer
            member.logVariances = state.s
            member.logVarianceOptimizer = state.sOptimizer
        }
    }

    /// Sets every member's s₁, s₂ exactly (weight files hold them as `Float`;
    /// a resumed run needs the `Double` values).
    public func restoreLogVariances(_ values: [LogVariances]) throws {
        guard values.count == members.count else {
            throw WeightFileError.shapeMismatch(name: "logVariances", found: [values.count], expected: [members.count])
        }
        for (member, value) in zip(members, values) { member.logVariances = value }
    }

    /// Writes `tensors(prefix:)` to `path` atomically.
    public func save(to path: String, prefix: String = "reward") throws {
        try WeightFile.save(tensors(prefix: prefix), to: path)
    }

    /// Reads the state saved under `prefix` at `path` (other prefixes in the file are ignored).
    public func load(from path: String, prefix: String = "reward") throws {
        try load(tensors: WeightFile.load(from: path), prefix: prefix)
    }

    private func memberPrefix(_ prefix: String, _ m: Int) -> String {
        prefix.isEmpty ? "member\(m)" : "\(prefix).member\(m)"
    }
}
