/* sysfs-efi.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

int esd_read_efi_sysfs(const struct sysroot *sr, struct efi_sysfs *out, struct kx_err *err)
{
	(void)sr;
	(void)out;
	(void)err;
	return -ENOSYS;
}

int esd_parse_systab(const char *text, size_t len, const char *where, struct systab_entry *out, size_t max, size_t *n, struct kx_err *err)
{
	(void)text;
	(void)len;
	(void)where;
	(void)out;
	(void)max;
	(void)n;
	(void)err;
	return -ENOSYS;
}

int esd_systab_lookup(const struct efi_sysfs *efi, const char *name, uint64_t *value)
{
	(void)efi;
	(void)name;
	(void)value;
	return -ENOSYS;
}

void esd_efi_sysfs_free(struct efi_sysfs *efi)
{
	(void)efi;
}
