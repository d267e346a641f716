import CKernels
/// An element-wise activation function applied after a layer's affine map.
///
/// The backward pass is expressed through the activation's *output* `y`
/// (not its input), so a network only has to keep post-activation values.
/// That is exact for every case here provided a leaky-ReLU slope is ≥ 0.
public enum Activation: Hashable, Sendable {
    /// y = x.
    case identity
    /// y = tanh(x).
    case tanh
    /// y = max(x, 0); derivative 0 at x = 0 (as in PyTorch).
    case relu
    /// y = x for x > 0, slope·x otherwise; derivative `slope` at x = 0 (as in PyTorch).
    /// `slope` must be ≥ 0 (see the type's note on the backward pass).
    /// `.leakyReLU()` uses PyTorch's default slope, 0.01.
    case leakyReLU(slope: Float = 0.01)

    /// Whether the backward pass can be computed from outputs alone.
    var isValid: Bool {
        if case .leakyReLU(let slope) = self { return slope >= 0 && slope.isFinite }
        return true
    }

    /// The activation of one value.
    public func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .identity: return x
        case .tanh:
            var value = x
            rrl_tanh_inplace(&value, 1)
            return value
        case .relu: return x > 0 ? x : 0
        case .leakyReLU(let slope): return x > 0 ? x : x * slope
        }
    }

    /// The derivative dy/dx, given the activation's output `y`.
    public func derivative(output y: Float) -> Float {
        switch self {
        case .identity: return 1
        case .tanh: return 1 - y * y
        case .relu: return y > 0 ? 1 : 0
        case .leakyReLU(let slope): return y > 0 ? 1 : slope
        }
    }

    /// Replaces each value by its activation.
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .identity:
            return
        case .tanh:
            guard let base = values.baseAddress else { return }
            rrl_tanh_inplace(base, values.count)
        case .relu:
            mapInPlace(values) { $0.replacing(with: 0, where: $0 .<= 0) }
        case .leakyReLU(let slope):
            mapInPlace(values) { $0.replacing(with: $0 * slope, where: $0 .<= 0) }
        }
    }

    /// Replaces each value in `values` by its activation.
    public func apply(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { apply($0) }
    }

    /// Turns gradients with respect to the outputs into gradients with respect to
    /// the inputs, in place: `gradient[i] *= dy/dx` at `output[i]`.
    /// - Precondition: both buffers have the same count.
    public func backward(output: UnsafeBufferPointer<Float>, gradient: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count == gradient.count, "Activation.backward: output and gradient sizes differ")
        switch self {
        case .identity:
            return
        case .tanh:
            scaleInPlace(gradient, by: output) { g, y in g * (1 - y * y) }
        case .relu:
            scaleInPlace(gradient, by: output) { g, y in g.replacing(with: 0, where: y .<= 0) }
        case .leakyReLU(let slope):
            scaleInPlace(gradient, by: output) { g, y in g.replacing(with: g * slope, where: y .<= 0) }
        }
    }

    /// Array form of `backward(output:gradient:)`.
    public func backward(output: [Float], gradient: inout [Float]) {
        output.withUnsafeBufferPointer { y in
            gradient.withUnsafeMutableBufferPointer { backward(output: y, gradient: $0) }
        }
    }
}

/// Applies `transform` to `buffer` sixteen values at a time.
@inline(__always)
private func mapInPlace(
    _ buffer: UnsafeMutableBufferPointer<Float>,
    _ transform: (SIMD16<Float>) -> SIMD16<Float>
) {
    guard let base = buffer.baseAddress else { return }
    let count = buffer.count
    let raw = UnsafeMutableRawPointer(base)
    var i = 0
    while i + 16 <= count {
        let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
        raw.storeBytes(of: transform(v), toByteOffset: i &* 4, as: SIMD16<Float>.self)
        i &+= 16
    }
    if i < count {
        var v = SIMD16<Float>()
        for k in 0..<(count - i) { v[k] = base[i + k] }
        let result = transform(v)
        for k in 0..<(count - i) { base[i + k] = result[k] }
    }
}

/// Sets `gradient = combine(gradient, output)` sixteen values at a time.
@inline(__always)
private func scaleInPlace(
    _ gradient: UnsafeMutableBufferPointer<Float>,
    by output: UnsafeBufferPointer<Float>,
    _ combine: (SIMD16<Float>, SIMD16<Float>) -> SIMD16<Float>
) {
    guard let gBase = gradient.baseAddress, let yBase = output.baseAddress else { return }
    let count = gradient.count
    let gRaw = UnsafeMutableRawPointer(gBase)
    let yRaw = UnsafeRawPointer(yBase)
    var i = 0
    while i + 16 <= count {
        let g = gRaw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
        let y = yRaw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
        gRaw.storeBytes(of: combine(g, y), toByteOffset: i &* 4, as: SIMD16<Float>.self)
        i &+= 16
    }
    if i < count {
        var g = SIMD16<Float>(), y = SIMD16<Float>()
        for k in 0..<(count - i) { g[k] = gBase[i + k]; y[k] = yBase[i + k] }
        let result = combine(g, y)
        for k in 0..<(count - i) { gBase[i + k] = result[k] }
    }
}
