import COpenBLAS
import Foundation

/// Sets how many threads OpenBLAS may use for each call.
///
/// NeuralNet's matrices are small (batch 64, width 256); one thread per worker is
/// fastest, and the library forces 1 the first time an `MLP` is created. Run with
/// `OPENBLAS_NUM_THREADS=1` so OpenBLAS does not even start its thread pool.
public func setOpenBLASThreadCount(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1")
    rrl_openblas_set_num_threads(Int32(count))
}

/// How many threads OpenBLAS currently uses per call.
public func openBLASThreadCount() -> Int {
    Int(rrl_openblas_get_num_threads())
}

/// The CPU kernel family OpenBLAS chose at load time (e.g. "SkylakeX", "Haswell").
///
/// On CPUs it does not recognise (some VMs report a generic "Intel Xeon
/// Processor") OpenBLAS 0.3.21 falls back to "Prescott", whose sgemm is ~4× slower;
/// setting e.g. `OPENBLAS_CORETYPE=SkylakeX` (or `Haswell`) in the environment
/// before the process starts overrides the choice.
public func openBLASCoreName() -> String {
    guard let name = rrl_openblas_core_name() else { return "unknown" }
    return String(cString: name)
}

/// OpenBLAS's build description: version, build options and the kernel in use
/// (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64").
public func openBLASConfiguration() -> String {
    guard let text = openblas_get_config() else { return "unknown" }
    return String(cString: text).trimmingCharacters(in: .whitespaces)
}

/// Evaluated once, by the first `MLP` initialiser.
let singleThreadedBLAS: Void = rrl_openblas_set_num_threads(1)

/// C ← alpha·op(A)·op(B) + beta·C for row-major `Float` matrices, where
/// op(A) is m×k and op(B) is k×n; `lda`, `ldb`, `ldc` are row strides.
@inline(__always)
func gemm(
    transposeA: Bool, transposeB: Bool,
    m: Int, n: Int, k: Int,
    alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb),
                beta, c, Int32(ldc))
}

/// c ← alpha·op(a)·b + beta·c for whole matrices, where op(a) is `a` or, with
/// `transposed`, its transpose: one sgemm call.
public func multiply(_ a: Matrix, transposed: Bool = false, by b: Matrix, alpha: Float = 1, beta: Float, into c: inout Matrix) {
    let (m, k) = transposed ? (a.columns, a.rows) : (a.rows, a.columns)
    precondition(b.rows == k && c.rows == m && c.columns == b.columns,
                 "multiply: op(a) \(m)×\(k) by b \(b.rows)×\(b.columns) into c \(c.rows)×\(c.columns)")
    guard m > 0, b.columns > 0 else { return }
    a.values.withUnsafeBufferPointer { a1 in
        b.values.withUnsafeBufferPointer { b1 in
            c.values.withUnsafeMutableBufferPointer { c1 in
                gemm(transposeA: transposed, transposeB: false, m: m, n: b.columns, k: k, alpha: alpha,
                     a: a1.baseAddress!, lda: a.columns, b: b1.baseAddress!, ldb: b.columns,
                     beta: beta, c: c1.baseAddress!, ldc: c.columns)
            }
        }
    }
}
