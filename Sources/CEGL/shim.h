#ifndef RATINGRL_CEGL_SHIM_H
#define RATINGRL_CEGL_SHIM_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <stddef.h>

// Extension entry points come through eglGetProcAddress; these wrappers keep
// the function-pointer casts out of Swift.

/// Fills `devices` with up to `max` EGL devices (EGL_EXT_device_enumeration);
/// returns how many, or 0 when the extension is missing.
static inline int rrl_egl_query_devices(EGLDeviceEXT *devices, int max) {
    PFNEGLQUERYDEVICESEXTPROC query =
        (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
    EGLint count = 0;
    if (query == NULL || !query(max, devices, &count)) return 0;
    return (int)count;
}

/// The largest renderbuffer side of the current OpenGL context, or 0 when it
/// cannot be queried. GL_MAX_RENDERBUFFER_SIZE is 0x84E8.
static inline int rrl_gl_max_renderbuffer_size(void) {
    typedef void (*get_integer_fn)(unsigned int, int *);
    get_integer_fn get = (get_integer_fn)eglGetProcAddress("glGetIntegerv");
    int value = 0;
    if (get != NULL) get(0x84E8u, &value);
    return value;
}

/// The current context's GL_RENDERER string (0x1F01), or NULL.
static inline const char *rrl_gl_renderer(void) {
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)eglGetProcAddress("glGetString");
    return get == NULL ? NULL : (const char *)get(0x1F01u);
}

#endif
