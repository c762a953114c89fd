/* decode-bootparams.c - the fields of a 4096-byte boot_params page a reader
 * cares about (spec 1.1-1.3). Decoding only; the 8.2 rules judge them. */
#include <errno.h>
#include <string.h>

#include "esd.h"

int esd_boot_params_decode(const uint8_t *page, size_t len, const char *where,
			   struct bp_decoded *out, struct kx_err *err)
{
	const uint8_t *p = page;
	unsigned i;

	memset(out, 0, sizeof(*out));
	if (!where)
		where = "boot_params";
	if (!page || len < BP_SIZE)
		return kx_errf(err, -EINVAL, where, "data: truncated boot_params (%zu of %u bytes)",
			       page ? len : 0, BP_SIZE);

	out->acpi_rsdp_addr = get_le64(p + BP_ACPI_RSDP_ADDR);
	esd_efi_info_decode(p + BP_EFI_INFO, &out->efi);
	out->alt_mem_k = get_le32(p + BP_ALT_MEM_K);
	out->e820_entries = p[BP_E820_ENTRIES];
	out->secure_boot = p[BP_SECURE_BOOT];
	out->sentinel = p[BP_SENTINEL];

	out->setup_sects = p[HDR_SETUP_SECTS];
	out->boot_flag = get_le16(p + HDR_BOOT_FLAG);
	out->header_magic = get_le32(p + HDR_HEADER);
	out->version = get_le16(p + HDR_VERSION);
	out->type_of_loader = p[HDR_TYPE_OF_LOADER];
	out->loadflags = p[HDR_LOADFLAGS];
	out->ramdisk_image = get_le32(p + HDR_RAMDISK_IMAGE);
	out->ramdisk_size = get_le32(p + HDR_RAMDISK_SIZE);
	out->cmd_line_ptr = get_le32(p + HDR_CMD_LINE_PTR);
	out->initrd_addr_max = get_le32(p + HDR_INITRD_ADDR_MAX);
	out->kernel_alignment = get_le32(p + HDR_KERNEL_ALIGNMENT);
	out->relocatable_kernel = p[HDR_RELOCATABLE_KERNEL];
	out->min_alignment = p[HDR_MIN_ALIGNMENT];
	out->xloadflags = get_le16(p + HDR_XLOADFLAGS);
	out->cmdline_size = get_le32(p + HDR_CMDLINE_SIZE);
	out->hardware_subarch = get_le32(p + HDR_HARDWARE_SUBARCH);
	out->setup_data = get_le64(p + HDR_SETUP_DATA);
	out->pref_address = get_le64(p + HDR_PREF_ADDRESS);
	out->init_size = get_le32(p + HDR_INIT_SIZE);

	/* 64-bit values split between the header and the ext_* fields (1.1). */
	out->ext_ramdisk_image = get_le32(p + BP_EXT_RAMDISK_IMAGE);
	out->ext_ramdisk_size = get_le32(p + BP_EXT_RAMDISK_SIZE);
	out->ext_cmd_line_ptr = get_le32(p + BP_EXT_CMD_LINE_PTR);
	out->ramdisk_addr = (uint64_t)out->ext_ramdisk_image << 32 | out->ramdisk_image;
	out->ramdisk_len = (uint64_t)out->ext_ramdisk_size << 32 | out->ramdisk_size;
	out->cmdline_addr = (uint64_t)out->ext_cmd_line_ptr << 32 | out->cmd_line_ptr;

	if (out->e820_entries > BP_E820_MAX)
		return kx_errf(err, -EINVAL, where, "e820_entries: %u, at most %u fit in the zero page",
			       out->e820_entries, BP_E820_MAX);
	for (i = 0; i < out->e820_entries; i++) {
		const uint8_t *e = p + BP_E820_TABLE + i * E820_ENTRY_SIZE;

		out->e820[i].addr = get_le64(e);
		out->e820[i].size = get_le64(e + 8);
		out->e820[i].type = get_le32(e + 16);
	}
	return 0;
}
