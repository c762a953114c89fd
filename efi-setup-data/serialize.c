/* serialize.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

void esd_efi_info_serialize(const struct efi_info *ei, uint8_t out[EFI_INFO_SIZE])
{
	(void)ei;
	(void)out;
}

void esd_setup_efi_serialize(const struct efi_setup_payload *p, uint64_t next, uint8_t out[SETUP_EFI_NODE_SIZE])
{
	(void)p;
	(void)next;
	(void)out;
}

int esd_memmap_serialize(const struct efi_desc *d, size_t n, uint8_t *out, size_t outlen)
{
	(void)d;
	(void)n;
	(void)out;
	(void)outlen;
	return -ENOSYS;
}
