/* decode-bootparams.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_boot_params_decode(const uint8_t *page, size_t len, const char *where, struct bp_decoded *out, struct kx_err *err)
{
	(void)page;
	(void)len;
	(void)where;
	(void)out;
	(void)err;
	return -ENOSYS;
}
