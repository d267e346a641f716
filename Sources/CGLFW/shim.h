#ifndef RATINGRL_CGLFW_SHIM_H
#define RATINGRL_CGLFW_SHIM_H

#include <GLFW/glfw3.h>
#include <stddef.h>

/// The largest renderbuffer side of the current context (GL_MAX_RENDERBUFFER_SIZE, 0x84E8), or 0.
static inline int rrl_glfw_max_renderbuffer_size(void) {
    typedef void (*get_integer_fn)(unsigned int, int *);
    get_integer_fn get = (get_integer_fn)glfwGetProcAddress("glGetIntegerv");
    int value = 0;
    if (get != NULL) get(0x84E8u, &value);
    return value;
}

/// The current context's GL_RENDERER string, or NULL.
static inline const char *rrl_glfw_gl_renderer(void) {
    typedef const unsigned char *(*get_string_fn)(unsigned int);
    get_string_fn get = (get_string_fn)glfwGetProcAddress("glGetString");
    return get == NULL ? NULL : (const char *)get(0x1F01u);
}

#endif
