/// Scales `gradients` so their L2 norm is at most `maxNorm`, like PyTorch's
/// `clip_grad_norm_`: when the norm exceeds `maxNorm` every element is multiplied
/// by maxNorm / (norm + 1e-6). Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ gradients: inout [Float], maxNorm: Float) -> Float {
    let norm = gradients.withUnsafeBufferPointer { squaredNorm($0) }.squareRoot()
    if let factor = clipFactor(norm: norm, maxNorm: maxNorm) {
        gradients.withUnsafeMutableBufferPointer { scale($0, by: factor) }
    }
    return Float(norm)
}

/// Clips several gradient buffers together (e.g. a policy and a value network
/// trained by one loss): the norm is taken over all of them at once and they
/// are scaled by the same factor. Returns the joint norm before clipping.
@discardableResult
public func clipGradientNorm(_ buffers: inout [[Float]], maxNorm: Float) -> Float {
    var total = 0.0
    for buffer in buffers {
        total += buffer.withUnsafeBufferPointer { squaredNorm($0) }
    }
    let norm = total.squareRoot()
    if let factor = clipFactor(norm: norm, maxNorm: maxNorm) {
        for i in buffers.indices {
            buffers[i].withUnsafeMutableBufferPointer { scale($0, by: factor) }
        }
    }
    return Float(norm)
}

/// Clips the `gradients` of several networks together, as
/// `clipGradientNorm(_ buffers:maxNorm:)` does. Returns the joint norm before clipping.
@discardableResult
public func clipGradientNorm(of networks: [MLP], maxNorm: Float) -> Float {
    var none: [Float] = []
    return clipGradientNorm(of: networks, and: &none, maxNorm: maxNorm)
}

/// Clips the `gradients` of several networks and one more buffer (e.g. a
/// policy's log standard deviations) together, in place. Returns the joint
/// norm before clipping.
@discardableResult
public func clipGradientNorm(of networks: [MLP], and extra: inout [Float], maxNorm: Float) -> Float {
    var total = extra.withUnsafeBufferPointer { squaredNorm($0) }
    for network in networks {
        total += network.gradients.withUnsafeBufferPointer { squaredNorm($0) }
    }
    let norm = total.squareRoot()
    if let factor = clipFactor(norm: norm, maxNorm: maxNorm) {
        for network in networks {
            network.gradients.withUnsafeMutableBufferPointer { scale($0, by: factor) }
        }
        extra.withUnsafeMutableBufferPointer { scale($0, by: factor) }
    }
    return Float(norm)
}

/// The factor to apply, or nil when the norm is within bounds (or NaN).
private func clipFactor(norm: Double, maxNorm: Float) -> Float? {
    precondition(maxNorm >= 0, "maxNorm must be non-negative")
    guard norm > Double(maxNorm) else { return nil }
    return Float(Double(maxNorm) / (norm + 1e-6))
}

/// Sum of squares, accumulated in Double.
private func squaredNorm(_ buffer: UnsafeBufferPointer<Float>) -> Double {
    guard let base = buffer.baseAddress else { return 0 }
    let count = buffer.count
    let raw = UnsafeRawPointer(base)
    var accumulator = SIMD8<Double>()
    var i = 0
    while i + 8 <= count {
        let v = SIMD8<Double>(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self))
        accumulator += v * v
        i &+= 8
    }
    var total = accumulator.sum()
    while i < count {
        let v = Double(base[i])
        total += v * v
        i &+= 1
    }
    return total
}

private func scale(_ buffer: UnsafeMutableBufferPointer<Float>, by factor: Float) {
    for i in buffer.indices { buffer[i] *= factor }
}
