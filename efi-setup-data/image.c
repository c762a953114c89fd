/* image.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_image_parse(const uint8_t *buf, size_t len, const char *where, struct esd_image *out, struct kx_err *err)
{
	(void)buf;
	(void)len;
	(void)where;
	(void)out;
	(void)err;
	return -ENOSYS;
}
