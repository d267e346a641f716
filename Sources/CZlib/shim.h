#ifndef RATINGRL_CZLIB_SHIM_H
#define RATINGRL_CZLIB_SHIM_H

#include <zlib.h>

#endif
