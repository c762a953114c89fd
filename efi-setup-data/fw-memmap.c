/* fw-memmap.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_read_fw_memmap(const struct sysroot *sr, struct fw_memmap *out, struct kx_err *err)
{
	(void)sr;
	(void)out;
	(void)err;
	return -ENOSYS;
}

uint32_t esd_e820_type_from_name(const char *name)
{
	(void)name;
	return 0;
}

const char *esd_e820_type_name(uint32_t type)
{
	(void)type;
	return "?";
}

void esd_fw_memmap_free(struct fw_memmap *m)
{
	(void)m;
}
