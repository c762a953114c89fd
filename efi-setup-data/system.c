/* system.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_system_read(const char *sysroot_dir, struct esd_system *sys, struct kx_err *err)
{
	(void)sysroot_dir;
	(void)sys;
	(void)err;
	return -ENOSYS;
}

void esd_system_free(struct esd_system *sys)
{
	(void)sys;
}
