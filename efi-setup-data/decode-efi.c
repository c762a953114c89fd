/* decode-efi.c - bytes back into efi_info (spec 1.2), a SETUP_EFI payload
 * (spec 3.1) and a descriptor array walked with its declared stride
 * (spec 3.4: desc_size >= 40, version 1). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"

void esd_efi_info_decode(const uint8_t in[EFI_INFO_SIZE], struct efi_info *ei)
{
	ei->loader_signature = get_le32(in + (EI_LOADER_SIGNATURE - BP_EFI_INFO));
	ei->systab = get_le32(in + (EI_SYSTAB - BP_EFI_INFO));
	ei->memdesc_size = get_le32(in + (EI_MEMDESC_SIZE - BP_EFI_INFO));
	ei->memdesc_version = get_le32(in + (EI_MEMDESC_VERSION - BP_EFI_INFO));
	ei->memmap = get_le32(in + (EI_MEMMAP - BP_EFI_INFO));
	ei->memmap_size = get_le32(in + (EI_MEMMAP_SIZE - BP_EFI_INFO));
	ei->systab_hi = get_le32(in + (EI_SYSTAB_HI - BP_EFI_INFO));
	ei->memmap_hi = get_le32(in + (EI_MEMMAP_HI - BP_EFI_INFO));
}

int esd_setup_efi_decode(const uint8_t *payload, size_t len, struct efi_setup_payload *p,
			 struct kx_err *err)
{
	unsigned i;

	/* The kernel always maps 96 bytes whatever len says (spec 3.1), so
	 * fewer is unusable; more is tolerated here and judged by rule 8.3.1. */
	if (!payload || len < SETUP_EFI_PAYLOAD_SIZE)
		return kx_errf(err, -EINVAL, "SETUP_EFI", "payload: %zu bytes, need %u", len,
			       SETUP_EFI_PAYLOAD_SIZE);
	p->fw_vendor = get_le64(payload + SE_FW_VENDOR);
	p->runtime = get_le64(payload + SE_RUNTIME);
	p->tables = get_le64(payload + SE_TABLES);
	p->smbios = get_le64(payload + SE_SMBIOS);
	for (i = 0; i < 8; i++)
		p->reserved[i] = get_le64(payload + SE_RESERVED + 8 * i);
	return 0;
}

int esd_memmap_decode(const uint8_t *buf, size_t len, uint32_t desc_size, uint32_t version,
		      struct runtime_map *out, struct kx_err *err)
{
	size_t n, i;

	out->desc = NULL;
	out->n = 0;
	if (version != EFI_DESC_VERSION)
		return kx_errf(err, -EINVAL, "memmap", "efi_memdesc_version: %u, only %u is defined",
			       version, EFI_DESC_VERSION);
	/* A stride beyond the whole early_memremap limit cannot be real. */
	if (desc_size < EFI_DESC_SIZE || desc_size > EFI_MEMMAP_MAX_BYTES)
		return kx_errf(err, -EINVAL, "memmap", "efi_memdesc_size: %u, must be %u..%u",
			       desc_size, EFI_DESC_SIZE, EFI_MEMMAP_MAX_BYTES);
	n = buf ? len / desc_size : 0;   /* a remainder is ignored, as the kernel does (spec 1.2) */
	if (n == 0)
		return 0;
	out->desc = calloc(n, sizeof(*out->desc));
	if (!out->desc)
		return kx_errf(err, -ENOMEM, "memmap", "out of memory for %zu descriptors", n);
	for (i = 0; i < n; i++) {
		const uint8_t *d = buf + i * desc_size;

		out->desc[i].type = get_le32(d + 0x00);
		out->desc[i].pad = get_le32(d + 0x04);
		out->desc[i].phys_addr = get_le64(d + 0x08);
		out->desc[i].virt_addr = get_le64(d + 0x10);
		out->desc[i].num_pages = get_le64(d + 0x18);
		out->desc[i].attribute = get_le64(d + 0x20);
	}
	out->n = n;
	return 0;
}
