#ifndef RATINGRL_CKERNELS_H
#define RATINGRL_CKERNELS_H

#include <stddef.h>

/// Element-wise kernels of the neural-network core, written in C so the
/// compiler vectorises them, with variants for AVX-512, AVX2 and baseline
/// x86-64 chosen when the library loads.

/// x[i] = tanh(x[i]); absolute error below 3e-7, NaN stays NaN.
void rrl_tanh_inplace(float *x, size_t n);

/// One Adam update (PyTorch semantics): m ← m + (1−β₁)(g − m);
/// v ← β₂v + (1−β₂)g²; p ← p − stepSize · m / (√v · inverseCorrection2Root + eps),
/// where stepSize = lr / (1 − β₁ᵗ) and inverseCorrection2Root = 1/√(1 − β₂ᵗ).
void rrl_adam_update(float *parameters, const float *gradients, float *m, float *v, size_t n,
                     float beta1, float beta2, float stepSize, float inverseCorrection2Root, float eps);

#endif
