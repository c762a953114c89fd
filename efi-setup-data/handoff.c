/* handoff.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_handoff_build(const struct esd_system *sys, struct esd_handoff *out, struct kx_err *err)
{
	(void)sys;
	(void)out;
	(void)err;
	return -ENOSYS;
}

void esd_handoff_set_memmap_addr(struct esd_handoff *h, uint64_t phys)
{
	(void)h;
	(void)phys;
}

void esd_handoff_free(struct esd_handoff *h)
{
	(void)h;
}
