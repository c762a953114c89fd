#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bootparams.h"

uint64_t bp_acpi_rsdp(const struct esd_system *sys)
{
	uint64_t v = 0;

	if (sys->bp_rc == 0 && sys->bp.data_len >= BP_SIZE) {
		v = get_le64(sys->bp.data + BP_ACPI_RSDP_ADDR);
		if (v)
			return v;
	}
	if (esd_systab_lookup(&sys->efi, "ACPI20", &v) == 0 && v)
		return v;
	if (esd_systab_lookup(&sys->efi, "ACPI", &v) == 0 && v)
		return v;
	return 0;
}

int bp_e820_from_memmap(const struct esd_system *sys, struct esd_e820 **out, size_t *n,
			struct kx_err *err)
{
	struct esd_e820 *e;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	if (sys->memmap_rc < 0)
		return kx_errf(err, sys->memmap_rc, sys->memmap_err.where, "%s", sys->memmap_err.msg);
	if (sys->memmap.n == 0)
		return kx_errf(err, -ENOENT, "/sys/firmware/memmap", "no firmware memory map entries");
	e = calloc(sys->memmap.n, sizeof(*e));
	if (!e)
		return kx_errf(err, -ENOMEM, "e820", "out of memory");
	for (i = 0; i < sys->memmap.n; i++) {
		const struct fw_memmap_entry *m = &sys->memmap.e[i];

		if (m->end < m->start)
			continue;
		e[k].addr = m->start;
		e[k].size = m->end - m->start + 1;
		/* Unknown strings become Reserved: never hand over RAM we cannot name. */
		e[k].type = m->e820_type ? m->e820_type : E820_TYPE_RESERVED;
		k++;
	}
	*out = e;
	*n = k;
	return 0;
}

void bp_set_cmdline(uint8_t *bp, uint64_t addr)
{
	put_le32(bp + HDR_CMD_LINE_PTR, (uint32_t)addr);
	put_le32(bp + BP_EXT_CMD_LINE_PTR, (uint32_t)(addr >> 32));
}

void bp_set_initrd(uint8_t *bp, uint64_t addr, uint64_t len)
{
	put_le32(bp + HDR_RAMDISK_IMAGE, (uint32_t)addr);
	put_le32(bp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(addr >> 32));
	put_le32(bp + HDR_RAMDISK_SIZE, (uint32_t)len);
	put_le32(bp + BP_EXT_RAMDISK_SIZE, (uint32_t)(len >> 32));
}

int bp_fill_base(uint8_t *bp, const uint8_t *kernel, size_t kernel_len,
		 const struct esd_system *sys, const struct esd_e820 *e820, size_t ne820,
		 size_t *n_ext, struct kx_err *err)
{
	size_t hdr_end, i, n;
	uint8_t lf;

	memset(bp, 0, BP_SIZE);
	if (kernel_len < HDR_JUMP + 2)
		return kx_errf(err, -EINVAL, "bzImage", "file too short for the setup header");
	/* Header ends at 0x202 + the jump displacement (spec 1.3); never copy
	 * from 0x1EF (the sentinel) and never past the header area. */
	hdr_end = 0x202u + kernel[HDR_JUMP + 1];
	if (hdr_end > HDR_END_MAX)
		hdr_end = HDR_END_MAX;
	if (hdr_end > kernel_len)
		return kx_errf(err, -EINVAL, "bzImage", "setup header ends at 0x%zx, past the file end (%zu bytes)",
			       hdr_end, kernel_len);
	memcpy(bp + BP_HDR, kernel + BP_HDR, hdr_end - BP_HDR);
	bp[BP_SENTINEL] = 0;
	bp[HDR_TYPE_OF_LOADER] = LOADER_TYPE_KEXEC;
	lf = bp[HDR_LOADFLAGS];
	lf &= (uint8_t)~(LOADFLAG_KASLR | LOADFLAG_CAN_USE_HEAP | LOADFLAG_KEEP_SEGMENTS);
	bp[HDR_LOADFLAGS] = lf;
	put_le64(bp + HDR_SETUP_DATA, 0);

	if (sys->bp_rc == 0 && sys->bp.data_len >= BP_SIZE) {
		/* Console and platform facts of the running kernel, as kexec_file does. */
		memcpy(bp + BP_SCREEN_INFO, sys->bp.data + BP_SCREEN_INFO, 0x40);
		bp[BP_SECURE_BOOT] = sys->bp.data[BP_SECURE_BOOT];
		memcpy(bp + HDR_HARDWARE_SUBARCH, sys->bp.data + HDR_HARDWARE_SUBARCH, 4);
	}
	put_le64(bp + BP_ACPI_RSDP_ADDR, bp_acpi_rsdp(sys));

	n = ne820 < BP_E820_MAX ? ne820 : BP_E820_MAX;
	for (i = 0; i < n; i++) {
		uint8_t *e = bp + BP_E820_TABLE + i * E820_ENTRY_SIZE;

		put_le64(e, e820[i].addr);
		put_le64(e + 8, e820[i].size);
		put_le32(e + 16, e820[i].type);
	}
	bp[BP_E820_ENTRIES] = (uint8_t)n;
	*n_ext = ne820 - n;

	/* alt_mem_k / ext_mem_k: KiB of RAM above 1 MiB in the RAM entry that spans 1 MiB. */
	for (i = 0; i < ne820; i++) {
		if (e820[i].type == E820_TYPE_RAM && e820[i].addr <= 0x100000 &&
		    e820[i].addr + e820[i].size > 0x100000) {
			uint64_t kb = (e820[i].addr + e820[i].size - 0x100000) >> 10;

			put_le32(bp + BP_ALT_MEM_K, kb > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)kb);
			put_le16(bp + BP_EXT_MEM_K, kb > 0xFC00 ? 0xFC00 : (uint16_t)kb);
			break;
		}
	}
	return 0;
}
