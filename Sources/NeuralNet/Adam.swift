import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Adam optimiser with PyTorch's semantics (`torch.optim.Adam`, no weight
/// decay, no AMSGrad) over a flat parameter buffer.
///
/// Per step t (counting from 1), for gradient g:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
/// Bias corrections are computed in Double, everything else in Float; results
/// match PyTorch up to Float rounding (an ulp or so per step).
public struct Adam: Sendable {
    /// Step size; may be changed between steps (e.g. for annealing).
    public var learningRate: Float
    /// Decay rate of the gradient's running mean.
    public var beta1: Float
    /// Decay rate of the squared gradient's running mean.
    public var beta2: Float
    /// Added to the denominator for stability (PyTorch 1e-8; Stable-Baselines3's PPO uses 1e-5).
    public var epsilon: Float
    /// Running mean of gradients, one per parameter.
    public private(set) var firstMoment: [Float]
    /// Running mean of squared gradients, one per parameter.
    public private(set) var secondMoment: [Float]
    /// Number of steps taken.
    public private(set) var stepCount: Int = 0

    /// An optimiser for `parameterCount` parameters, with zero moments.
    public init(parameterCount: Int, learningRate: Float = 1e-3, beta1: Float = 0.9,
                beta2: Float = 0.999, epsilon: Float = 1e-8) {
        precondition(parameterCount >= 0, "parameter count must be non-negative")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// Number of parameters this optimiser updates.
    public var parameterCount: Int { firstMoment.count }

    /// Applies one update to `parameters` from `gradients`.
    /// - Precondition: both have `parameterCount` elements.
    public mutating func step(parameters: inout [Float], gradients: [Float]) {
        precondition(parameters.count == parameterCount && gradients.count == parameterCount,
                     "Adam.step: expected \(parameterCount) parameters and gradients, got \(parameters.count) and \(gradients.count)")
        stepCount += 1
        let t = Double(stepCount)
        let biasCorrection1 = 1 - pow(Double(beta1), t)
        let biasCorrection2 = 1 - pow(Double(beta2), t)
        let stepSize = Float(Double(learningRate) / biasCorrection1)
        let inverseCorrection2Root = Float(1 / biasCorrection2.squareRoot())
        let b2 = beta2, eps = epsilon
        let n = parameterCount
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        guard n > 0 else { return }
                        // torch divides √v by √(1−β₂ᵗ); multiplying by the reciprocal
                        // differs by at most an ulp and saves a division.
                        rrl_adam_update(p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, n,
                                        beta1, b2, stepSize, inverseCorrection2Root, eps)
                    }
                }
            }
        }
    }

    /// Forgets the moments and the step count.
    public mutating func reset() {
        stepCount = 0
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    /// The optimiser's state as named tensors for `WeightFile`:
    /// `<prefix>.m`, `<prefix>.v` (shape [parameterCount]) and `<prefix>.step` (shape [1]).
    /// Hyper-parameters are not included.
    public func tensors(prefix: String) -> [WeightFile.Tensor] {
        precondition(stepCount <= 1 << 24, "Adam step count \(stepCount) is too large to store exactly as Float")
        return [
            (name: prefix + ".m", shape: [parameterCount], values: firstMoment),
            (name: prefix + ".v", shape: [parameterCount], values: secondMoment),
            (name: prefix + ".step", shape: [1], values: [Float(stepCount)]),
        ]
    }

    /// Restores the state written by `tensors(prefix:)`, checking names and shapes.
    /// On error the optimiser is unchanged.
    public mutating func load(tensors: [WeightFile.Tensor], prefix: String) throws {
        let m = try WeightFile.tensor(named: prefix + ".m", in: tensors, expectedShape: [parameterCount])
        let v = try WeightFile.tensor(named: prefix + ".v", in: tensors, expectedShape: [parameterCount])
        let step = try WeightFile.tensor(named: prefix + ".step", in: tensors, expectedShape: [1])
        let value = step.values[0]
        guard value >= 0, value <= Float(1 << 24), value.rounded() == value else {
            throw WeightFileError.invalidTensor(name: step.name, detail: "step count \(value) is not a non-negative integer")
        }
        firstMoment = m.values
        secondMoment = v.values
        stepCount = Int(value)
    }
}
