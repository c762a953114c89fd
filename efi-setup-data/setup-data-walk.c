/* setup-data-walk.c - STUB, freestanding. */
#include "setup-data-walk.h"
typedef int sdw_placeholder_t;
