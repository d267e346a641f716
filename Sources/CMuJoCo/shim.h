#ifndef RATINGRL_CMUJOCO_SHIM_H
#define RATINGRL_CMUJOCO_SHIM_H

#include <mujoco/mujoco.h>

// Swift 6 treats C globals as unsafe shared state, so the handler globals are
// set through these setters instead of being assigned from Swift directly.
static inline void rrl_set_error_handler(void (*handler)(const char *)) {
    mju_user_error = handler;
}

static inline void rrl_set_warning_handler(void (*handler)(const char *)) {
    mju_user_warning = handler;
}

#endif
