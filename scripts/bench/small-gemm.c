/*
 * The PPO update's GEMM shapes (batch 64, walker's 24 inputs, 3x256 layers,
 * 6 actions), OpenBLAS's cblas_sgemm against a libxsmm JIT kernel, one thread,
 * interleaved rounds, best of each. `make bench-gemm` builds and runs it; it
 * decides whether the update should call libxsmm (issue: paper preset speed).
 *
 * Our matrices are row-major; libxsmm is column-major, so C = op(A)·op(B)
 * (row-major) is handed to it as C^T = op(B)^T·op(A)^T: its A is our B, its
 * B our A, and our transposes swap places.
 */
#include <cblas.h>
#include <libxsmm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct { const char *name; int transposeA, transposeB, m, n, k; } Shape;

static const Shape shapes[] = {
    {"forward  64x24 * 24x256", 0, 0, 64, 256, 24},
    {"forward  64x256 * 256x256", 0, 0, 64, 256, 256},
    {"forward  64x256 * 256x6", 0, 0, 64, 6, 256},
    {"weights' gradient  (64x256)^T * 64x256", 1, 0, 256, 256, 64},
    {"weights' gradient  (64x24)^T * 64x256", 1, 0, 24, 256, 64},
    {"inputs' gradient  64x256 * (256x256)^T", 0, 1, 64, 256, 256},
};

int main(void) {
    libxsmm_init();
    printf("OpenBLAS: %s\n", openblas_get_config());
    printf("%-40s %10s %10s %7s %s\n", "row-major C += op(A)*op(B)", "OpenBLAS", "libxsmm", "ratio", "(GFLOP/s, best of 15 rounds; largest relative difference of one call)");
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        const Shape q = shapes[s];
        const int m = q.m, n = q.n, k = q.k;
        const int lda = q.transposeA ? m : k, ldb = q.transposeB ? k : n, ldc = n;
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n);
        float *c1 = calloc((size_t)m * n, sizeof(float)), *c2 = calloc((size_t)m * n, sizeof(float));
        srand(1);
        for (int i = 0; i < m * k; i++) a[i] = rand() / (float)RAND_MAX - 0.5f;
        for (int i = 0; i < k * n; i++) b[i] = rand() / (float)RAND_MAX - 0.5f;
        const float alpha = 1, beta = 1;
        const int flags = (q.transposeB ? LIBXSMM_GEMM_FLAG_TRANS_A : 0) | (q.transposeA ? LIBXSMM_GEMM_FLAG_TRANS_B : 0);
        const libxsmm_blasint xm = n, xn = m, xk = k, xlda = ldb, xldb = lda, xldc = ldc;
        const libxsmm_smmfunction kernel = libxsmm_smmdispatch(xm, xn, xk, &xlda, &xldb, &xldc, &alpha, &beta, &flags, NULL);
        const enum CBLAS_TRANSPOSE ta = q.transposeA ? CblasTrans : CblasNoTrans, tb = q.transposeB ? CblasTrans : CblasNoTrans;

        // One call each from zero: do they agree?
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 1, c1, ldc);
        if (kernel) kernel(b, a, c2);
        double difference = 0;
        for (int i = 0; i < m * n; i++) difference = fmax(difference, fabs(c1[i] - c2[i]) / (1 + fabs(c1[i])));

        const int calls = fmax(200, 2e9 / (2.0 * m * n * k));
        double bestBLAS = INFINITY, bestXSMM = INFINITY;
        for (int round = 0; round < 15; round++) {
            double t = seconds();
            for (int i = 0; i < calls; i++) cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 1, c1, ldc);
            bestBLAS = fmin(bestBLAS, seconds() - t);
            if (!kernel) continue;
            t = seconds();
            for (int i = 0; i < calls; i++) kernel(b, a, c2);
            bestXSMM = fmin(bestXSMM, seconds() - t);
        }
        const double gflop = 2.0 * m * n * k * calls / 1e9;
        if (kernel)
            printf("%-40s %10.1f %10.1f %6.2fx (%.0e)\n", q.name, gflop / bestBLAS, gflop / bestXSMM, bestBLAS / bestXSMM, difference);
        else
            printf("%-40s %10.1f %10s (libxsmm 1.17 has no kernel with this transpose)\n", q.name, gflop / bestBLAS, "-");
        free(a); free(b); free(c1); free(c2);
    }
    libxsmm_finalize();
    return 0;
}
