import ArgumentParser
import NeuralNet

struct BenchNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Network kernels vs single-thread sgemm: an MLP's forward and training-step GFLOP/s, tanh, Adam and gradient clipping.",
        discussion: """
        The network is PPO's: 24-256-256-256-6 tanh, batch 64, one BLAS thread. If the OpenBLAS core printed is "Prescott", OpenBLAS did not recognise the CPU and OPENBLAS_CORETYPE=SkylakeX (or Haswell) is faster. Build with -c release.
        """)

    func run() throws {
        let result = NetworkKernelBenchmark.measure()
        let network = ([NetworkKernelBenchmark.inputSize] + NetworkKernelBenchmark.hiddenSizes + [NetworkKernelBenchmark.outputSize])
            .map(String.init).joined(separator: "-")
        print("OpenBLAS core: \(result.openBLASCore), threads: \(result.openBLASThreads)")
        print("cblas_sgemm 64x256 * 256x256:            \(format(result.sgemmGFLOPS)) GFLOP/s")
        print("MLP forward (inference), batch 64:       \(format(result.inferenceGFLOPS)) GFLOP/s")
        print("MLP forward+backward (training), b 64:   \(format(result.trainingGFLOPS)) GFLOP/s  (\(format(100 * result.trainingGFLOPS / result.sgemmGFLOPS))% of sgemm)")
        print("  network \(network) tanh, \(result.parameterCount) parameters, \(format(result.trainingFLOPPerStep / 1e6)) MFLOP per step")
        print("tanh 64x256 (+ rescale):                 \(format(result.tanhGElementsPerSecond)) Gelem/s")
        print("Adam step:                               \(format(result.adamGParametersPerSecond)) Gparam/s")
        print("clipGradientNorm:                        \(format(result.clipGParametersPerSecond)) Gparam/s")
        print("full step incl. clip + Adam:             \(format(result.fullStepSeconds * 1e6)) µs  (\(format(result.trainingFLOPPerStep / result.fullStepSeconds / 1e9)) GFLOP/s effective)")
    }

    /// `x` rounded to two decimals, printed as Swift prints a Double.
    private func format(_ x: Double) -> String {
        "\((x * 100).rounded() / 100)"
    }
}
