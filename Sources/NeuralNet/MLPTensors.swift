extension MLP {
    /// The network's parameters as named tensors for `WeightFile`:
    /// `<prefix>.layer<i>.weight` (shape [input, output]) and
    /// `<prefix>.layer<i>.bias` (shape [output]) for each layer i.
    public func tensors(prefix: String) -> [WeightFile.Tensor] {
        var result: [WeightFile.Tensor] = []
        for (l, layer) in layers.enumerated() {
            let weights = Array(parameters[layer.weightOffset..<layer.biasOffset])
            let biases = Array(parameters[layer.biasOffset..<(layer.biasOffset + layer.outputSize)])
            result.append((name: tensorName(prefix, l, "weight"), shape: [layer.inputSize, layer.outputSize], values: weights))
            result.append((name: tensorName(prefix, l, "bias"), shape: [layer.outputSize], values: biases))
        }
        return result
    }

    /// Sets the parameters from tensors written by `tensors(prefix:)`.
    ///
    /// Throws if a layer's tensor is missing, has another shape than this
    /// network's, or if there are extra `<prefix>.layer…` tensors (a deeper
    /// network). Tensors with other prefixes are ignored. On error nothing changes.
    public func load(tensors: [WeightFile.Tensor], prefix: String) throws {
        var expected = Set<String>()
        var updates: [(offset: Int, values: [Float])] = []
        for (l, layer) in layers.enumerated() {
            let weightName = tensorName(prefix, l, "weight"), biasName = tensorName(prefix, l, "bias")
            expected.insert(weightName)
            expected.insert(biasName)
            let weight = try WeightFile.tensor(named: weightName, in: tensors,
                                               expectedShape: [layer.inputSize, layer.outputSize])
            let bias = try WeightFile.tensor(named: biasName, in: tensors, expectedShape: [layer.outputSize])
            updates.append((layer.weightOffset, weight.values))
            updates.append((layer.biasOffset, bias.values))
        }
        let layerPrefix = tensorName(prefix, nil, "")
        if let extra = tensors.first(where: { $0.name.hasPrefix(layerPrefix) && !expected.contains($0.name) }) {
            throw WeightFileError.unexpectedTensor(name: extra.name)
        }
        for update in updates {
            parameters.replaceSubrange(update.offset..<(update.offset + update.values.count), with: update.values)
        }
    }

    /// `<prefix>.layer<index>.<kind>`; with a nil index, the `<prefix>.layer` stem.
    private func tensorName(_ prefix: String, _ index: Int?, _ kind: String) -> String {
        let stem = prefix.isEmpty ? "layer" : prefix + ".layer"
        guard let index else { return stem }
        return "\(stem)\(index).\(kind)"
    }
}
