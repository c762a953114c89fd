/* decode-efi.c - STUB (being implemented by helper A). */
#include <errno.h>

#include "esd.h"

void esd_efi_info_decode(const uint8_t in[EFI_INFO_SIZE], struct efi_info *ei)
{
	(void)in;
	(void)ei;
}

int esd_setup_efi_decode(const uint8_t *payload, size_t len, struct efi_setup_payload *p, struct kx_err *err)
{
	(void)payload;
	(void)len;
	(void)p;
	(void)err;
	return -ENOSYS;
}

int esd_memmap_decode(const uint8_t *buf, size_t len, uint32_t desc_size, uint32_t version, struct runtime_map *out, struct kx_err *err)
{
	(void)buf;
	(void)len;
	(void)desc_size;
	(void)version;
	(void)out;
	(void)err;
	return -ENOSYS;
}
