/* iomem.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_parse_iomem(const char *text, size_t len, const char *where, struct iomem *out, struct kx_err *err)
{
	(void)text;
	(void)len;
	(void)where;
	(void)out;
	(void)err;
	return -ENOSYS;
}

int esd_read_iomem(const struct sysroot *sr, struct iomem *out, struct kx_err *err)
{
	(void)sr;
	(void)out;
	(void)err;
	return -ENOSYS;
}

void esd_iomem_free(struct iomem *io)
{
	(void)io;
}
