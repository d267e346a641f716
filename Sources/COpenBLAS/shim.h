#ifndef RATINGRL_COPENBLAS_SHIM_H
#define RATINGRL_COPENBLAS_SHIM_H

#include <cblas.h>

// OpenBLAS's thread-count control, wrapped so callers do not depend on which
// cblas.h variant (pthread / openmp / serial) the system headers resolve to.
static inline void rrl_openblas_set_num_threads(int count) {
    openblas_set_num_threads(count);
}

static inline int rrl_openblas_get_num_threads(void) {
    return openblas_get_num_threads();
}

static inline const char *rrl_openblas_core_name(void) {
    return openblas_get_corename();
}

#endif
