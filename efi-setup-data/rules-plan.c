/* rules-plan.c - what the loader is about to hand over: the boot_params
 * bytes, the setup_data chain in the planned memory, the placement of the
 * segments and the e820 (spec 8.2, 8.3.1). */
#include <stdio.h>
#include <string.h>

#include "rules-internal.h"
#include "setup-data-walk.h"

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

struct chain_count {
	unsigned efi;
	uint64_t efi_addr;
	uint32_t efi_len;
};

static int count_node(void *ctx, const struct sdw_node *n)
{
	struct chain_count *c = ctx;

	if (n->type == SETUP_EFI) {
		c->efi++;
		c->efi_addr = n->addr;
		c->efi_len = n->hdr_len;
	}
	return 0;
}

void rules_boot_params(struct rule_state *st)
{
	const struct esd_plan_view *pv = st->ctx->plan;
	const uint8_t *bp = pv->boot_params;
	const struct esd_image *im = st->ctx->image;
	uint64_t rd, rdlen, cmd;

	if (!bp)
		return;
	if (bp[BP_SENTINEL])
		rule_add(st, "8.2.1", 0, "boot_params.sentinel", "0x%02x: the kernel would wipe acpi_rsdp_addr and the ext_* fields", bp[BP_SENTINEL]);
	if (get_le32(bp + HDR_HEADER) != HDR_MAGIC)
		rule_add(st, "8.2.1", 0, "boot_params.hdr", "setup header not copied (no HdrS)");
	if (!bp[HDR_TYPE_OF_LOADER])
		rule_add(st, "8.2.2", 0, "boot_params.hdr.type_of_loader", "0: the kernel would ignore the initrd");
	rd = get_le32(bp + HDR_RAMDISK_IMAGE) | ((uint64_t)get_le32(bp + BP_EXT_RAMDISK_IMAGE) << 32);
	rdlen = get_le32(bp + HDR_RAMDISK_SIZE) | ((uint64_t)get_le32(bp + BP_EXT_RAMDISK_SIZE) << 32);
	cmd = get_le32(bp + HDR_CMD_LINE_PTR) | ((uint64_t)get_le32(bp + BP_EXT_CMD_LINE_PTR) << 32);
	if (!cmd)
		rule_add(st, "8.2.3", 0, "boot_params.hdr.cmd_line_ptr", "0: no command line");
	if (im && !(im->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G)) {
		if (rdlen && rd + rdlen - 1 > im->initrd_addr_max)
			rule_add(st, "8.2.3", 0, "boot_params.hdr.ramdisk_image", "initrd ends at 0x%llx, above initrd_addr_max 0x%x",
				 (unsigned long long)(rd + rdlen - 1), im->initrd_addr_max);
		if (cmd >> 32)
			rule_add(st, "8.2.3", 0, "boot_params.ext_cmd_line_ptr", "command line above 4 GiB for a kernel without XLF_CAN_BE_LOADED_ABOVE_4G");
	}
	if (bp[BP_E820_ENTRIES] > BP_E820_MAX)
		rule_add(st, "8.2.5", 0, "boot_params.e820_entries", "%u > 128", bp[BP_E820_ENTRIES]);
	if (!get_le64(bp + BP_ACPI_RSDP_ADDR))
		rule_add(st, "8.2.6", 0, "boot_params.acpi_rsdp_addr", "0: the next kernel must find ACPI on its own");
	if (bp[BP_SECURE_BOOT] > 3)
		rule_add(st, "8.2.11", 0, "boot_params.secure_boot", "%u is not a secure boot mode (0..3)", bp[BP_SECURE_BOOT]);
	else if (st->sys->bp_rc == 0 && st->sys->bp.data_len >= BP_SIZE && bp[BP_SECURE_BOOT] != st->sys->bp.data[BP_SECURE_BOOT])
		rule_add(st, "8.2.11", 0, "boot_params.secure_boot", "%u, the running kernel has %u", bp[BP_SECURE_BOOT],
			 st->sys->bp.data[BP_SECURE_BOOT]);
	/* 8.3.1: the chain as the next kernel will walk it. */
	if (st->h && get_le32(bp + EI_LOADER_SIGNATURE) && pv->read) {
		uint64_t seen[64];
		struct sdw_result res;
		struct chain_count c = { 0, 0, 0 };

		if (sdw_walk(get_le64(bp + HDR_SETUP_DATA), pv->read, pv->read_ctx, count_node, &c, seen, 64, &res) != 0)
			rule_add(st, "8.3.1", 0, "boot_params.hdr.setup_data", "node %u at 0x%llx: %s", res.index,
				 (unsigned long long)res.addr, sdw_error_name(res.error));
		else if (c.efi != 1)
			rule_add(st, "8.3.1", 0, "boot_params.hdr.setup_data", "%u SETUP_EFI nodes (exactly one expected)", c.efi);
		else if (c.efi_len != SETUP_EFI_PAYLOAD_SIZE)
			rule_add(st, "8.3.1", 0, "setup_data SETUP_EFI", "len %u, expected 96", c.efi_len);
	}
}

void rules_plan(struct rule_state *st)
{
	const struct esd_plan_view *pv = st->ctx->plan;
	const struct esd_image *im = st->ctx->image;
	const struct efi_sysfs *efi = &st->sys->efi;
	size_t i, j;
	char where[64];

	/* 8.2.4: the kernel decompresses in place over [load, load + init_size). */
	if (im && pv->kernel_load) {
		uint64_t align = im->kernel_alignment ? im->kernel_alignment : 1;
		uint64_t run = (pv->kernel_load + align - 1) & ~(align - 1);

		if (run < im->pref_address)
			run = im->pref_address;
		for (i = 0; i < pv->nseg; i++) {
			if (pv->seg[i].role && !strcmp(pv->seg[i].role, "kernel"))
				continue;
			if (overlap(run, im->init_size, pv->seg[i].mem, pv->seg[i].memsz))
				rule_add(st, "8.2.4", 0, pv->seg[i].role ? pv->seg[i].role : "segment",
					 "[0x%llx, +0x%llx) lies in the kernel run window [0x%llx, +0x%x)",
					 (unsigned long long)pv->seg[i].mem, (unsigned long long)pv->seg[i].memsz,
					 (unsigned long long)run, im->init_size);
		}
	}
	/* 8.2.10: the descriptor array must be inside what we load. */
	if (st->h) {
		uint64_t mm = (uint64_t)st->h->info.memmap | ((uint64_t)st->h->info.memmap_hi << 32);
		bool inside = false;

		for (i = 0; mm && i < pv->nseg; i++)
			if (mm >= pv->seg[i].mem && mm + st->h->info.memmap_size <= pv->seg[i].mem + pv->seg[i].memsz)
				inside = true;
		if (mm && !inside)
			rule_add(st, "8.2.10", 0, "efi_info.efi_memmap", "0x%llx is not inside any planned segment",
				 (unsigned long long)mm);
	}
	if (!efi->have_map)
		return;
	for (j = 0; j < efi->map.n; j++) {
		const struct efi_desc *d = &efi->map.desc[j];
		uint64_t len = desc_bytes(d);

		if (!len || len == UINT64_MAX)
			continue;
		/* 8.2.12: a segment over a runtime region corrupts firmware state. */
		for (i = 0; i < pv->nseg; i++)
			if (overlap(d->phys_addr, len, pv->seg[i].mem, pv->seg[i].memsz)) {
				snprintf(where, sizeof(where), "segment %s", pv->seg[i].role ? pv->seg[i].role : "?");
				rule_add(st, "8.2.12", 0, where, "[0x%llx, +0x%llx) overlaps runtime-map/%zu [0x%llx, +0x%llx)",
					 (unsigned long long)pv->seg[i].mem, (unsigned long long)pv->seg[i].memsz, j,
					 (unsigned long long)d->phys_addr, (unsigned long long)len);
			}
		/* 8.4.9: a firmware table kept alive by efi_mem_reserve (a
		 * BootServices region tagged RUNTIME: MEMATTR, ESRT, TPM log) is
		 * RAM in the e820 we hand over; 4.10-6.13 targets trust its size. */
		if ((d->type == EFI_BOOT_SERVICES_CODE || d->type == EFI_BOOT_SERVICES_DATA) &&
		    (d->attribute & EFI_MEMORY_RUNTIME) && im && im->kver_major &&
		    im->kver_major * 100 + im->kver_minor >= 410 && im->kver_major * 100 + im->kver_minor <= 613) {
			for (i = 0; i < pv->ne820; i++)
				if (pv->e820[i].type == E820_TYPE_RAM && overlap(d->phys_addr, len, pv->e820[i].addr, pv->e820[i].size)) {
					snprintf(where, sizeof(where), "runtime-map/%zu", j);
					rule_add(st, "8.4.9", 0, where, "reserved firmware table region 0x%llx is RAM in the new e820; kernel %u.%u may trust a stale EFI_MEMORY_ATTRIBUTES_TABLE there",
						 (unsigned long long)d->phys_addr, im->kver_major, im->kver_minor);
					break;
				}
		}
		/* 8.2.5: runtime regions must not be RAM for the next kernel
		 * (BootServices ones are reserved by efi_reserve_boot_services). */
		if (d->type == EFI_BOOT_SERVICES_CODE || d->type == EFI_BOOT_SERVICES_DATA)
			continue;
		for (i = 0; i < pv->ne820; i++)
			if (pv->e820[i].type == E820_TYPE_RAM && overlap(d->phys_addr, len, pv->e820[i].addr, pv->e820[i].size)) {
				snprintf(where, sizeof(where), "runtime-map/%zu", j);
				rule_add(st, "8.2.5", 0, where, "%s [0x%llx, +0x%llx) is RAM in the e820 handed over (entry %zu)",
					 esd_efi_type_name(d->type), (unsigned long long)d->phys_addr, (unsigned long long)len, i);
			}
	}
}
