// Measures raw single-thread cblas_sgemm next to an MLP training step
// (forward + backward) on PPO-sized inputs, in the same run. Run the release
// build with OPENBLAS_NUM_THREADS=1; if the printed core is "Prescott", OpenBLAS
// did not recognise the CPU and OPENBLAS_CORETYPE=SkylakeX (or Haswell) is faster.
import COpenBLAS
import NeuralNet
import Randomness
#if canImport(Glibc)
import Glibc
#endif

func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// A kernel to time: its floating-point operation count per call and the call.
struct Benchmark {
    let flops: Double
    let iterations: Int
    let body: () -> Void
}

/// Best GFLOP/s of each benchmark over `rounds` rounds. The benchmarks take
/// turns within each round, so a change in machine load hits them alike.
func measure(_ benchmarks: [Benchmark], rounds: Int = 7) -> [Double] {
    for benchmark in benchmarks {
        for _ in 0..<(benchmark.iterations / 10 + 1) { benchmark.body() }  // warm up
    }
    var best = [Double](repeating: 0, count: benchmarks.count)
    for _ in 0..<rounds {
        for (i, benchmark) in benchmarks.enumerated() {
            let start = seconds()
            for _ in 0..<benchmark.iterations { benchmark.body() }
            let elapsed = seconds() - start
            best[i] = max(best[i], benchmark.flops * Double(benchmark.iterations) / elapsed / 1e9)
        }
    }
    return best
}

setOpenBLASThreadCount(1)
var random = SeededRandom(seed: 42)

// Raw sgemm: 64×256 · 256×256.
let m = 64, k = 256, n = 256
let a = (0..<(m * k)).map { _ in Float(random.normal()) }
let b = (0..<(k * n)).map { _ in Float(random.normal()) }
var c = [Float](repeating: 0, count: m * n)
let gemm = Benchmark(flops: 2.0 * Double(m * n * k), iterations: 1000) {
    c.withUnsafeMutableBufferPointer { cb in
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, cb.baseAddress, Int32(n))
    }
}

// MLP: batch 64, input 24, 3×256 tanh, output 6.
let batch = 64, inputSize = 24, hidden = [256, 256, 256], outputSize = 6
let mlp = MLP(inputSize: inputSize, hiddenSizes: hidden, outputSize: outputSize,
              hiddenActivation: .tanh, outputActivation: .identity,
              initialization: .orthogonal(hiddenGain: Float(2).squareRoot(), outputGain: 0.01),
              random: &random)
let input = Matrix(rows: batch, columns: inputSize, values: (0..<(batch * inputSize)).map { _ in Float(random.normal()) })
let outputGradient = Matrix(rows: batch, columns: outputSize,
                            values: (0..<(batch * outputSize)).map { _ in Float(random.normal()) })
let sizes = [inputSize] + hidden + [outputSize]
var layerFlops = 0.0
for l in 0..<(sizes.count - 1) { layerFlops += 2.0 * Double(batch * sizes[l] * sizes[l + 1]) }
// Forward: one gemm per layer. Backward: weight gradient and input gradient per
// layer (the first layer's input gradient is computed too, so it is counted).
let trainFlops = 3 * layerFlops

var cache = MLP.Cache()
let inference = Benchmark(flops: layerFlops, iterations: 200) {
    _ = mlp.forward(input)
}
let training = Benchmark(flops: trainFlops, iterations: 100) {
    mlp.zeroGradients()
    _ = mlp.forward(input, cache: &cache)
    mlp.backward(outputGradient, cache: cache)
}
var tanhBuffer = (0..<(batch * 256)).map { _ in Float(random.normal()) }
// Counted as one "flop" per element, i.e. the result is Gelem/s.
let tanhKernel = Benchmark(flops: Double(batch * 256), iterations: 1000) {
    tanhBuffer.withUnsafeMutableBufferPointer { buffer in
        Activation.tanh.apply(buffer)
        for i in buffer.indices { buffer[i] *= 3 }  // keep values spread out
    }
}
var adamProbe = Adam(parameterCount: mlp.parameterCount, learningRate: 1e-9, epsilon: 1e-5)
var probeParameters = mlp.parameters
var probeGradients = mlp.gradients
let adamKernel = Benchmark(flops: Double(mlp.parameterCount), iterations: 100) {
    adamProbe.step(parameters: &probeParameters, gradients: probeGradients)
}
let clipKernel = Benchmark(flops: Double(mlp.parameterCount), iterations: 100) {
    clipGradientNorm(&probeGradients, maxNorm: 1e30)
}
let results = measure([gemm, inference, training, tanhKernel, adamKernel, clipKernel])
let (gemmGflops, forwardGflops, trainGflops) = (results[0], results[1], results[2])
var adam = Adam(parameterCount: mlp.parameterCount, learningRate: 3e-4, epsilon: 1e-5)
var stepSeconds = 0.0
do {
    let iterations = 1000
    let start = seconds()
    for _ in 0..<iterations {
        mlp.zeroGradients()
        _ = mlp.forward(input, cache: &cache)
        mlp.backward(outputGradient, cache: cache)
        clipGradientNorm(&mlp.gradients, maxNorm: 0.5)
        adam.step(parameters: &mlp.parameters, gradients: mlp.gradients)
    }
    stepSeconds = (seconds() - start) / Double(iterations)
}

func format(_ x: Double) -> String {
    let scaled = (x * 100).rounded() / 100
    return "\(scaled)"
}
print("OpenBLAS core: \(openBLASCoreName()), threads: \(openBLASThreadCount())")
print("cblas_sgemm 64x256 * 256x256:            \(format(gemmGflops)) GFLOP/s")
print("MLP forward (inference), batch 64:       \(format(forwardGflops)) GFLOP/s")
print("MLP forward+backward (training), b 64:   \(format(trainGflops)) GFLOP/s  (\(format(100 * trainGflops / gemmGflops))% of sgemm)")
print("  network 24-256-256-256-6 tanh, \(mlp.parameterCount) parameters, \(format(trainFlops / 1e6)) MFLOP per step")
print("tanh 64x256 (+ rescale):                 \(format(results[3])) Gelem/s")
print("Adam step:                               \(format(results[4])) Gparam/s")
print("clipGradientNorm:                        \(format(results[5])) Gparam/s")
print("full step incl. clip + Adam:             \(format(stepSeconds * 1e6)) µs  (\(format(trainFlops / stepSeconds / 1e9)) GFLOP/s effective)")
