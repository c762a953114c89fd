/* cmdline.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_read_cmdline(const struct sysroot *sr, char *buf, size_t len, struct kx_err *err)
{
	(void)sr;
	(void)buf;
	(void)len;
	(void)err;
	return -ENOSYS;
}
