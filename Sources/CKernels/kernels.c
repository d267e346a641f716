#include "ckernels.h"

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define RRL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RRL_CLONES
#endif

/* tanh|x| = -u / (2 + u) with u = expm1(-2|x|), |x| clamped at 9 where tanh
   rounds to 1. exp is 2^n · e^r with a degree-7 polynomial for e^r; near 0 a
   Taylor series of expm1 avoids cancellation. Branch-free so it vectorises. */
static inline float tanh_one(float x) {
    float a = x < 0 ? -x : x;
    a = a > 9.0f ? 9.0f : a;
    float y = -2.0f * a;

    const float shift = 12582912.0f; /* 1.5 * 2^23: rounds to an integer */
    float shifted = y * 1.44269504f + shift;
    float n = shifted - shift;
    float r = (y - n * 0.693145751953125f) - n * 1.4286068203094172e-6f;
    float p = 1.0f / 5040;
    p = p * r + 1.0f / 720;
    p = p * r + 1.0f / 120;
    p = p * r + 1.0f / 24;
    p = p * r + 1.0f / 6;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    uint32_t bits;
    memcpy(&bits, &shifted, sizeof bits);
    bits = (bits - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    float expm1_large = p * scale - 1.0f;

    float s = 1.0f / 362880;
    s = s * y + 1.0f / 40320;
    s = s * y + 1.0f / 5040;
    s = s * y + 1.0f / 720;
    s = s * y + 1.0f / 120;
    s = s * y + 1.0f / 24;
    s = s * y + 1.0f / 6;
    s = s * y + 0.5f;
    s = s * y + 1.0f;
    s = s * y;

    float u = y > -0.5f ? s : expm1_large;
    float t = -u / (2.0f + u);
    t = x < 0 ? -t : t;
    return x != x ? x : t;
}

RRL_CLONES
void rrl_tanh_inplace(float *restrict x, size_t n) {
#pragma clang loop vectorize(enable) interleave(enable)
    for (size_t i = 0; i < n; i++) {
        x[i] = tanh_one(x[i]);
    }
}

RRL_CLONES
void rrl_adam_update(float *restrict parameters, const float *restrict gradients, float *restrict m,
                     float *restrict v, size_t n, float beta1, float beta2, float stepSize,
                     float inverseCorrection2Root, float eps) {
    const float meanWeight = 1.0f - beta1;
    const float squareWeight = 1.0f - beta2;
#pragma clang loop vectorize(enable) interleave(enable)
    for (size_t i = 0; i < n; i++) {
        float g = gradients[i];
        float mi = m[i] + meanWeight * (g - m[i]);
        float vi = v[i] * beta2 + squareWeight * g * g;
        m[i] = mi;
        v[i] = vi;
        parameters[i] -= stepSize * (mi / (__builtin_elementwise_sqrt(vi) * inverseCorrection2Root + eps));
    }
}
