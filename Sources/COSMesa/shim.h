#ifndef RATINGRL_COSMESA_SHIM_H
#define RATINGRL_COSMESA_SHIM_H

#include <GL/osmesa.h>
#include <dlfcn.h>
#include <stddef.h>

// libOSMesa is opened at run time, privately, as libEGL is (see CEGL's shim):
// MuJoCo then finds it among the loaded libraries and loads GL through
// OSMesaGetProcAddress, provided no other GL library was used first in the
// process.

/// The process's private handle on libOSMesa, or NULL when it is not installed.
static inline void *rrl_osmesa_library(void) {
    static void *handle = NULL;
    if (handle == NULL) handle = dlopen("libOSMesa.so.8", RTLD_LAZY | RTLD_LOCAL);
    return handle;
}

static inline void *rrl_osmesa_symbol(const char *name) {
    void *library = rrl_osmesa_library();
    return library == NULL ? NULL : dlsym(library, name);
}

/// A new RGBA context with a 24-bit depth and 8-bit stencil buffer, or NULL.
static inline OSMesaContext rrl_osmesa_create_context(void) {
    typedef OSMesaContext (*create_fn)(GLenum, GLint, GLint, GLint, OSMesaContext);
    create_fn create = (create_fn)rrl_osmesa_symbol("OSMesaCreateContextExt");
    return create == NULL ? NULL : create(OSMESA_RGBA, 24, 8, 0, NULL);
}

/// Makes `context` current, drawing its default framebuffer into `buffer`
/// (width × height RGBA bytes); returns 0 on failure.
static inline int rrl_osmesa_make_current(OSMesaContext context, void *buffer, int width, int height) {
    typedef GLboolean (*make_current_fn)(OSMesaContext, void *, GLenum, GLsizei, GLsizei);
    make_current_fn make = (make_current_fn)rrl_osmesa_symbol("OSMesaMakeCurrent");
    return make != NULL && make(context, buffer, GL_UNSIGNED_BYTE, width, height);
}

static inline void rrl_osmesa_destroy_context(OSMesaContext context) {
    typedef void (*destroy_fn)(OSMesaContext);
    destroy_fn destroy = (destroy_fn)rrl_osmesa_symbol("OSMesaDestroyContext");
    if (destroy != NULL) destroy(context);
}

static inline OSMesaContext rrl_osmesa_current_context(void) {
    typedef OSMesaContext (*current_fn)(void);
    current_fn current = (current_fn)rrl_osmesa_symbol("OSMesaGetCurrentContext");
    return current == NULL ? NULL : current();
}

/// The largest renderbuffer side of the current context (GL_MAX_RENDERBUFFER_SIZE), or 0.
static inline int rrl_osmesa_max_renderbuffer_size(void) {
    typedef void (*get_integer_fn)(unsigned int, int *);
    typedef void *(*proc_fn)(const char *);
    proc_fn proc = (proc_fn)rrl_osmesa_symbol("OSMesaGetProcAddress");
    get_integer_fn get = proc == NULL ? NULL : (get_integer_fn)proc("glGetIntegerv");
    int value = 0;
    if (get != NULL) get(0x84E8u, &value);
    return value;
}

/// The current context's GL_RENDERER string, or NULL.
static inline const char *rrl_osmesa_gl_renderer(void) {
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    typedef void *(*proc_fn)(const char *);
    proc_fn proc = (proc_fn)rrl_osmesa_symbol("OSMesaGetProcAddress");
    get_string_fn get = proc == NULL ? NULL : (get_string_fn)proc("glGetString");
    return get == NULL ? NULL : (const char *)get(0x1F01u);
}

#endif
