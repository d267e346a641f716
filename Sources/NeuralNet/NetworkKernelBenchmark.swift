import COpenBLAS
import Randomness

/// Raw single-thread `cblas_sgemm` next to an MLP's training step (forward
/// and backward) on PPO-sized inputs, and the element-wise kernels around
/// it, measured in one run (`ratingrl bench nn`). If the OpenBLAS core is
/// "Prescott", OpenBLAS did not recognise the CPU and OPENBLAS_CORETYPE=SkylakeX
/// (or Haswell) is faster.
public struct NetworkKernelBenchmark: Sendable, Codable {
    /// The network timed: 24-256-256-256-6 tanh, batch 64.
    public static let inputSize = 24, hiddenSizes = [256, 256, 256], outputSize = 6, batch = 64

    /// OpenBLAS's kernel and thread count while measuring.
    public let openBLASCore: String
    public let openBLASThreads: Int
    /// GFLOP/s of a 64×256 · 256×256 sgemm.
    public let sgemmGFLOPS: Double
    /// GFLOP/s of the network's forward pass (inference).
    public let inferenceGFLOPS: Double
    /// GFLOP/s of a forward and backward pass (training).
    public let trainingGFLOPS: Double
    public let parameterCount: Int
    /// Floating-point operations of one forward and backward pass.
    public let trainingFLOPPerStep: Double
    /// Billions of elements per second through tanh (and a rescale), 64×256 at a time.
    public let tanhGElementsPerSecond: Double
    /// Billions of parameters per second through an Adam step and through gradient-norm clipping.
    public let adamGParametersPerSecond: Double
    public let clipGParametersPerSecond: Double
    /// Seconds of a whole training step: forward, backward, clipping and Adam.
    public let fullStepSeconds: Double

    /// Measures every kernel; they take turns over seven rounds, each keeping its best.
    public static func measure() -> NetworkKernelBenchmark {
        setOpenBLASThreadCount(1)
        var random = SeededRandom(seed: 42)

        // Raw sgemm: 64×256 · 256×256.
        let m = 64, k = 256, n = 256
        let a = (0..<(m * k)).map { _ in Float(random.normal()) }
        let b = (0..<(k * n)).map { _ in Float(random.normal()) }
        var c = [Float](repeating: 0, count: m * n)
        let gemm = Kernel(flops: 2.0 * Double(m * n * k), iterations: 1000) {
            c.withUnsafeMutableBufferPointer { cb in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                            1, a, Int32(k), b, Int32(n), 0, cb.baseAddress, Int32(n))
            }
        }

        let mlp = MLP(inputSize: inputSize, hiddenSizes: hiddenSizes, outputSize: outputSize,
                      hiddenActivation: .tanh, outputActivation: .identity,
                      initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 0.01),
                      random: &random)
        let input = Matrix(rows: batch, columns: inputSize,
                           values: (0..<(batch * inputSize)).map { _ in Float(random.normal()) })
        let outputGradient = Matrix(rows: batch, columns: outputSize,
                                    values: (0..<(batch * outputSize)).map { _ in Float(random.normal()) })
        let sizes = [inputSize] + hiddenSizes + [outputSize]
        var layerFlops = 0.0
        for l in 0..<(sizes.count - 1) { layerFlops += 2.0 * Double(batch * sizes[l] * sizes[l + 1]) }
        // Forward: one gemm per layer. Backward: weight gradient and input gradient per
        // layer (the first layer's input gradient is computed too, so it is counted).
        let trainFlops = 3 * layerFlops

        var cache = MLP.Cache()
        let inference = Kernel(flops: layerFlops, iterations: 200) {
            _ = mlp.forward(input)
        }
        let training = Kernel(flops: trainFlops, iterations: 100) {
            mlp.zeroGradients()
            _ = mlp.forward(input, cache: &cache)
            mlp.backward(outputGradient, cache: cache)
        }
        var tanhBuffer = (0..<(batch * 256)).map { _ in Float(random.normal()) }
        // Counted as one "flop" per element, i.e. the result is Gelem/s.
        let tanhKernel = Kernel(flops: Double(batch * 256), iterations: 1000) {
            tanhBuffer.withUnsafeMutableBufferPointer { buffer in
                Activation.tanh.apply(buffer)
                for i in buffer.indices { buffer[i] *= 3 }  // keep values spread out
            }
        }
        var adamProbe = Adam(parameterCount: mlp.parameterCount, learningRate: 1e-9, epsilon: 1e-5)
        var probeParameters = mlp.parameters
        var probeGradients = mlp.gradients
        let adamKernel = Kernel(flops: Double(mlp.parameterCount), iterations: 100) {
            adamProbe.step(parameters: &probeParameters, gradients: probeGradients)
        }
        let clipKernel = Kernel(flops: Double(mlp.parameterCount), iterations: 100) {
            clipGradientNorm(&probeGradients, maxNorm: 1e30)
        }
        let results = Kernel.bestGFLOPS([gemm, inference, training, tanhKernel, adamKernel, clipKernel])

        var adam = Adam(parameterCount: mlp.parameterCount, learningRate: 3e-4, epsilon: 1e-5)
        let iterations = 1000
        let start = BenchmarkClock.monotonicSeconds()
        for _ in 0..<iterations {
            mlp.zeroGradients()
            _ = mlp.forward(input, cache: &cache)
            mlp.backward(outputGradient, cache: cache)
            clipGradientNorm(&mlp.gradients, maxNorm: 0.5)
            adam.step(parameters: &mlp.parameters, gradients: mlp.gradients)
        }
        let stepSeconds = (BenchmarkClock.monotonicSeconds() - start) / Double(iterations)

        return NetworkKernelBenchmark(
            openBLASCore: openBLASCoreName(), openBLASThreads: openBLASThreadCount(),
            sgemmGFLOPS: results[0], inferenceGFLOPS: results[1], trainingGFLOPS: results[2],
            parameterCount: mlp.parameterCount, trainingFLOPPerStep: trainFlops,
            tanhGElementsPerSecond: results[3], adamGParametersPerSecond: results[4], clipGParametersPerSecond: results[5],
            fullStepSeconds: stepSeconds)
    }
}

/// A kernel to time: its floating-point operation count per call and the call.
private struct Kernel {
    let flops: Double
    let iterations: Int
    let body: () -> Void

    /// Best GFLOP/s of each kernel over `rounds` rounds. The kernels take
    /// turns within each round, so a change in machine load hits them alike.
    static func bestGFLOPS(_ kernels: [Kernel], rounds: Int = 7) -> [Double] {
        for kernel in kernels {
            for _ in 0..<(kernel.iterations / 10 + 1) { kernel.body() }  // warm up
        }
        var best = [Double](repeating: 0, count: kernels.count)
        for _ in 0..<rounds {
            for (i, kernel) in kernels.enumerated() {
                let start = BenchmarkClock.monotonicSeconds()
                for _ in 0..<kernel.iterations { kernel.body() }
                let elapsed = BenchmarkClock.monotonicSeconds() - start
                best[i] = max(best[i], kernel.flops * Double(kernel.iterations) / elapsed / 1e9)
            }
        }
        return best
    }
}
