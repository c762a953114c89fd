/* sysfs-bootparams.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_read_boot_params(const struct sysroot *sr, struct boot_params_sysfs *out, struct kx_err *err)
{
	(void)sr;
	(void)out;
	(void)err;
	return -ENOSYS;
}

void esd_boot_params_free(struct boot_params_sysfs *bp)
{
	(void)bp;
}
