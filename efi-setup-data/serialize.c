/* serialize.c - the exact bytes a kexec_load loader hands over: efi_info
 * (spec 1.2), the SETUP_EFI node (spec 2.1 + 3.1) and the descriptor array
 * (spec 3.4). Little-endian through put_le*, never by casting structs. */
#include <errno.h>
#include <string.h>

#include "esd.h"

void esd_efi_info_serialize(const struct efi_info *ei, uint8_t out[EFI_INFO_SIZE])
{
	/* Offsets are relative to efi_info, i.e. EI_* - BP_EFI_INFO. */
	put_le32(out + (EI_LOADER_SIGNATURE - BP_EFI_INFO), ei->loader_signature);
	put_le32(out + (EI_SYSTAB - BP_EFI_INFO), ei->systab);
	put_le32(out + (EI_MEMDESC_SIZE - BP_EFI_INFO), ei->memdesc_size);
	put_le32(out + (EI_MEMDESC_VERSION - BP_EFI_INFO), ei->memdesc_version);
	put_le32(out + (EI_MEMMAP - BP_EFI_INFO), ei->memmap);
	put_le32(out + (EI_MEMMAP_SIZE - BP_EFI_INFO), ei->memmap_size);
	put_le32(out + (EI_SYSTAB_HI - BP_EFI_INFO), ei->systab_hi);
	put_le32(out + (EI_MEMMAP_HI - BP_EFI_INFO), ei->memmap_hi);
}

void esd_setup_efi_serialize(const struct efi_setup_payload *p, uint64_t next,
			     uint8_t out[SETUP_EFI_NODE_SIZE])
{
	uint8_t *pl = out + SETUP_DATA_HDR_SIZE;
	unsigned i;

	/* struct setup_data header, spec 2.1 */
	put_le64(out + 0, next);
	put_le32(out + 8, SETUP_EFI);
	put_le32(out + 12, SETUP_EFI_PAYLOAD_SIZE);
	/* struct efi_setup_data, spec 3.1 */
	put_le64(pl + SE_FW_VENDOR, p->fw_vendor);
	put_le64(pl + SE_RUNTIME, p->runtime);
	put_le64(pl + SE_TABLES, p->tables);
	put_le64(pl + SE_SMBIOS, p->smbios);
	for (i = 0; i < 8; i++)
		put_le64(pl + SE_RESERVED + 8 * i, p->reserved[i]);
}

static void desc_serialize(const struct efi_desc *d, uint8_t *o)
{
	put_le32(o + 0x00, d->type);
	put_le32(o + 0x04, d->pad);
	put_le64(o + 0x08, d->phys_addr);
	put_le64(o + 0x10, d->virt_addr);
	put_le64(o + 0x18, d->num_pages);
	put_le64(o + 0x20, d->attribute);
}

int esd_memmap_serialize(const struct efi_desc *d, size_t n, uint8_t *out, size_t outlen)
{
	size_t i;

	if (n > outlen / EFI_DESC_SIZE || n > (size_t)(0x7fffffff / EFI_DESC_SIZE))
		return -ENOSPC;
	for (i = 0; i < n; i++)
		desc_serialize(&d[i], out + i * EFI_DESC_SIZE);
	return (int)(n * EFI_DESC_SIZE);
}
