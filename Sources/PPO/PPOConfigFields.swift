extension PPOConfig {
    /// One field of the configuration: its key (in config.json and `--set`),
    /// where it is stored, how it reads from text and how it is decoded and encoded.
    struct Field {
        let name: String
        /// Sets the field from `--set` text, or throws an `OverrideError`.
        let set: (inout PPOConfig, String) throws -> Void
        let decode: (inout PPOConfig, KeyedDecodingContainer<FieldKey>) throws -> Void
        let encode: (PPOConfig, inout KeyedEncodingContainer<FieldKey>) throws -> Void

        /// `absent`: the value of a field added after runs were written, for
        /// config.json files without it; nil for a field every file has.
        init<T: Codable>(_ name: String, _ keyPath: WritableKeyPath<PPOConfig, T>, absent: T? = nil,
                         parse: @escaping (_ field: String, _ text: String) throws -> T) {
            let key = FieldKey(name)
            self.name = name
            set = { config, text in config[keyPath: keyPath] = try parse(name, text) }
            decode = { config, container in
                config[keyPath: keyPath] = try absent.map { try container.decodeIfPresent(T.self, forKey: key) ?? $0 }
                    ?? container.decode(T.self, forKey: key)
            }
            encode = { config, container in try container.encode(config[keyPath: keyPath], forKey: key) }
        }
    }

    /// Every field, in config.json's order: the one list that `set(_:to:)`,
    /// `fieldNames` and the JSON coding read.
    static var fields: [Field] {
        [
            Field("environments", \.environments, parse: number),
            Field("stepsPerRollout", \.stepsPerRollout, parse: number),
            Field("minibatchSize", \.minibatchSize, parse: number),
            Field("epochs", \.epochs, parse: number),
            Field("learningRate", \.learningRate, parse: number),
            Field("annealLearningRate", \.annealLearningRate, absent: false, parse: flag),
            Field("clipRange", \.clipRange, parse: number),
            Field("annealClipRange", \.annealClipRange, parse: flag),
            Field("gamma", \.gamma, parse: number),
            Field("gaeLambda", \.gaeLambda, parse: number),
            Field("entropyCoefficient", \.entropyCoefficient, parse: number),
            Field("valueCoefficient", \.valueCoefficient, parse: number),
            Field("maxGradientNorm", \.maxGradientNorm, parse: number),
            Field("adamEpsilon", \.adamEpsilon, parse: number),
            Field("hiddenSizes", \.hiddenSizes, parse: widths),
            Field("activation", \.activation, parse: activation),
            Field("logStdInit", \.logStdInit, parse: number),
            Field("gsde", \.gsde, absent: false, parse: flag),
            Field("gsdeResampleEvery", \.gsdeResampleEvery, absent: 4, parse: number),
            Field("observationClip", \.observationClip, parse: number),
        ]
    }

    /// A field's key in config.json.
    struct FieldKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.init(stringValue) }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    private static func number<T: LosslessStringConvertible>(_ field: String, _ text: String) throws -> T {
        guard let value = T(text) else { throw OverrideError(description: "\(field) takes a number, got '\(text)'") }
        // JSON (config.json) holds finite numbers only; "1e39" is infinite as a Float.
        if let real = value as? any BinaryFloatingPoint, !real.isFinite {
            throw OverrideError(description: "\(field) takes a finite number, got '\(text)'")
        }
        return value
    }

    private static func flag(_ field: String, _ text: String) throws -> Bool {
        guard let flag = Bool(text) else { throw OverrideError(description: "\(field) takes true or false") }
        return flag
    }

    /// Layer widths joined by x: `256x256`.
    private static func widths(_ field: String, _ text: String) throws -> [Int] {
        let sizes = text.split(separator: "x").compactMap { Int($0) }
        guard !sizes.isEmpty, sizes.count == text.split(separator: "x").count else {
            throw OverrideError(description: "\(field) takes widths joined by x, e.g. 256x256x256")
        }
        return sizes
    }

    private static func activation(_ field: String, _ text: String) throws -> HiddenActivation {
        guard let value = HiddenActivation(rawValue: text) else {
            throw OverrideError(description: "\(field) takes \(HiddenActivation.allCases.map(\.rawValue).joined(separator: " or ")), got '\(text)'")
        }
        return value
    }
}
