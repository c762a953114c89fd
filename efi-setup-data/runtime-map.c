/* runtime-map.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_read_runtime_map(const struct sysroot *sr, struct runtime_map *out, struct kx_err *err)
{
	(void)sr;
	(void)out;
	(void)err;
	return -ENOSYS;
}

void esd_runtime_map_free(struct runtime_map *map)
{
	(void)map;
}
