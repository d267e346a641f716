#ifndef RATINGRL_CEGL_SHIM_H
#define RATINGRL_CEGL_SHIM_H

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <dlfcn.h>
#include <stddef.h>

// libEGL is opened at run time, privately (RTLD_LOCAL), not linked: MuJoCo
// picks its OpenGL loader from the process's global symbols, EGL's first, so
// a linked libEGL would hijack every other backend (OSMesa). With nothing
// global, MuJoCo uses the GL library that is actually loaded.

/// The process's private handle on libEGL, or NULL when it is not installed.
static inline void *rrl_egl_library(void) {
    static void *handle = NULL;
    if (handle == NULL) handle = dlopen("libEGL.so.1", RTLD_LAZY | RTLD_LOCAL);
    return handle;
}

static inline void *rrl_egl_symbol(const char *name) {
    void *library = rrl_egl_library();
    return library == NULL ? NULL : dlsym(library, name);
}

// The EGL 1.5 entry points the headless context uses; each fails softly
// (EGL_NO_* / EGL_FALSE) when libEGL is missing.

static inline EGLDisplay rrl_eglGetPlatformDisplay(EGLenum platform, void *native, const EGLAttrib *attributes) {
    PFNEGLGETPLATFORMDISPLAYPROC f = (PFNEGLGETPLATFORMDISPLAYPROC)rrl_egl_symbol("eglGetPlatformDisplay");
    return f == NULL ? EGL_NO_DISPLAY : f(platform, native, attributes);
}

static inline EGLBoolean rrl_eglInitialize(EGLDisplay display, EGLint *major, EGLint *minor) {
    PFNEGLINITIALIZEPROC f = (PFNEGLINITIALIZEPROC)rrl_egl_symbol("eglInitialize");
    return f == NULL ? EGL_FALSE : f(display, major, minor);
}

static inline EGLBoolean rrl_eglChooseConfig(EGLDisplay display, const EGLint *attributes, EGLConfig *configs,
                                             EGLint size, EGLint *count) {
    PFNEGLCHOOSECONFIGPROC f = (PFNEGLCHOOSECONFIGPROC)rrl_egl_symbol("eglChooseConfig");
    return f == NULL ? EGL_FALSE : f(display, attributes, configs, size, count);
}

static inline EGLBoolean rrl_eglBindAPI(EGLenum api) {
    PFNEGLBINDAPIPROC f = (PFNEGLBINDAPIPROC)rrl_egl_symbol("eglBindAPI");
    return f == NULL ? EGL_FALSE : f(api);
}

static inline EGLContext rrl_eglCreateContext(EGLDisplay display, EGLConfig config, EGLContext share, const EGLint *attributes) {
    PFNEGLCREATECONTEXTPROC f = (PFNEGLCREATECONTEXTPROC)rrl_egl_symbol("eglCreateContext");
    return f == NULL ? EGL_NO_CONTEXT : f(display, config, share, attributes);
}

static inline EGLBoolean rrl_eglDestroyContext(EGLDisplay display, EGLContext context) {
    PFNEGLDESTROYCONTEXTPROC f = (PFNEGLDESTROYCONTEXTPROC)rrl_egl_symbol("eglDestroyContext");
    return f == NULL ? EGL_FALSE : f(display, context);
}

static inline EGLBoolean rrl_eglMakeCurrent(EGLDisplay display, EGLSurface draw, EGLSurface read, EGLContext context) {
    PFNEGLMAKECURRENTPROC f = (PFNEGLMAKECURRENTPROC)rrl_egl_symbol("eglMakeCurrent");
    return f == NULL ? EGL_FALSE : f(display, draw, read, context);
}

static inline EGLContext rrl_eglGetCurrentContext(void) {
    PFNEGLGETCURRENTCONTEXTPROC f = (PFNEGLGETCURRENTCONTEXTPROC)rrl_egl_symbol("eglGetCurrentContext");
    return f == NULL ? EGL_NO_CONTEXT : f();
}

static inline EGLint rrl_eglGetError(void) {
    PFNEGLGETERRORPROC f = (PFNEGLGETERRORPROC)rrl_egl_symbol("eglGetError");
    return f == NULL ? EGL_NOT_INITIALIZED : f();
}

static inline void *rrl_egl_get_proc(const char *name) {
    PFNEGLGETPROCADDRESSPROC f = (PFNEGLGETPROCADDRESSPROC)rrl_egl_symbol("eglGetProcAddress");
    return f == NULL ? NULL : (void *)f(name);
}

/// Fills `devices` with up to `max` EGL devices (EGL_EXT_device_enumeration);
/// returns how many, or 0 when the extension is missing.
static inline int rrl_egl_query_devices(EGLDeviceEXT *devices, int max) {
    PFNEGLQUERYDEVICESEXTPROC query = (PFNEGLQUERYDEVICESEXTPROC)rrl_egl_get_proc("eglQueryDevicesEXT");
    EGLint count = 0;
    if (query == NULL || !query(max, devices, &count)) return 0;
    return (int)count;
}

/// The largest renderbuffer side of the current OpenGL context, or 0 when it
/// cannot be queried. GL_MAX_RENDERBUFFER_SIZE is 0x84E8.
static inline int rrl_gl_max_renderbuffer_size(void) {
    typedef void (*get_integer_fn)(unsigned int, int *);
    get_integer_fn get = (get_integer_fn)rrl_egl_get_proc("glGetIntegerv");
    int value = 0;
    if (get != NULL) get(0x84E8u, &value);
    return value;
}

/// The current context's GL_RENDERER string (0x1F01), or NULL.
static inline const char *rrl_gl_renderer(void) {
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)rrl_egl_get_proc("glGetString");
    return get == NULL ? NULL : (const char *)get(0x1F01u);
}

#endif
