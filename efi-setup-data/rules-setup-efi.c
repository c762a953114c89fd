/* rules-setup-efi.c - the SETUP_EFI payload (spec 8.3.2-8.3.6). The node
 * and its chain (8.3.1) are checked on the planned bytes in rules-plan.c. */
#include <stdio.h>

#include "rules-internal.h"

static bool physical(uint64_t a)
{
	return a < RULE_VA_BITS_LOW;
}

void rules_setup_efi(struct rule_state *st)
{
	const struct efi_setup_payload *p = &st->h->setup;
	const struct efi_sysfs *efi = &st->sys->efi;
	uint64_t smbios = 0;
	bool old_target = st->kmajor && (st->kmajor * 100 + st->kminor) <= 506;
	size_t i;

	if (!p->fw_vendor)
		rule_add(st, "8.3.2", 0, "setup_efi.fw_vendor", "is 0 (/sys/firmware/efi/fw_vendor %s)",
			 efi->have_fw_vendor ? "reads 0" : "is absent");
	else if (!physical(p->fw_vendor))
		rule_add(st, "8.3.2", 0, "setup_efi.fw_vendor", "0x%llx is not a physical address", (unsigned long long)p->fw_vendor);
	else if (efi->have_fw_vendor && efi->fw_vendor != p->fw_vendor)
		rule_add(st, "8.3.2", 0, "setup_efi.fw_vendor", "0x%llx differs from /sys/firmware/efi/fw_vendor 0x%llx",
			 (unsigned long long)p->fw_vendor, (unsigned long long)efi->fw_vendor);
	if (!p->tables)
		rule_add(st, "8.3.3", 0, "setup_efi.tables", "is 0 (/sys/firmware/efi/config_table %s)",
			 efi->have_config_table ? "reads 0" : "is absent");
	else if (!physical(p->tables))
		rule_add(st, "8.3.3", 0, "setup_efi.tables", "0x%llx is not a physical address", (unsigned long long)p->tables);
	else if (efi->have_config_table && efi->config_table != p->tables)
		rule_add(st, "8.3.3", 0, "setup_efi.tables", "0x%llx differs from /sys/firmware/efi/config_table 0x%llx",
			 (unsigned long long)p->tables, (unsigned long long)efi->config_table);
	/* Kernels <= 5.6 map SETUP_EFI.runtime as a physical address. */
	if (!p->runtime || !physical(p->runtime))
		rule_add(st, "8.3.4", old_target || !st->kmajor ? ESD_FATAL : ESD_WARN, "setup_efi.runtime",
			 "0x%llx is not the physical Runtime Services table%s", (unsigned long long)p->runtime,
			 old_target ? " (this target kernel uses it)" : " (kernels <= 5.6 use it)");
	if (esd_systab_lookup(efi, "SMBIOS", &smbios) == 0 && smbios != p->smbios)
		rule_add(st, "8.3.5", 0, "setup_efi.smbios", "0x%llx differs from SMBIOS=0x%llx in /sys/firmware/efi/systab",
			 (unsigned long long)p->smbios, (unsigned long long)smbios);
	for (i = 0; i < 8; i++)
		if (p->reserved[i])
			rule_add(st, "8.3.6", 0, "setup_efi.reserved", "reserved[%zu] = 0x%llx, not 0", i,
				 (unsigned long long)p->reserved[i]);
	{
		const struct efi_info *ei = &st->h->info;
		uint64_t systab = (uint64_t)ei->systab | ((uint64_t)ei->systab_hi << 32);

		if (ei->loader_signature != EFI64_LOADER_SIGNATURE)
			rule_add(st, "8.2.7", 0, "efi_info.efi_loader_signature", "0x%08x is not \"EL64\"%s",
				 ei->loader_signature, ei->loader_signature == EFI32_LOADER_SIGNATURE ? " (32-bit firmware: no runtime after kexec)" : "");
		if (!systab || (systab & 7))
			rule_add(st, "8.2.8", 0, "efi_info.efi_systab", "0x%llx is %s", (unsigned long long)systab,
				 systab ? "not 8-byte aligned" : "zero");
		else if (st->sys->bp_rc == 0 && st->sys->bp.data_len >= BP_SIZE) {
			uint64_t run = (uint64_t)get_le32(st->sys->bp.data + EI_SYSTAB) |
				       ((uint64_t)get_le32(st->sys->bp.data + EI_SYSTAB_HI) << 32);

			if (run != systab)
				rule_add(st, "8.2.8", 0, "efi_info.efi_systab", "0x%llx differs from the running kernel's 0x%llx",
					 (unsigned long long)systab, (unsigned long long)run);
		}
		if (ei->memdesc_version != EFI_DESC_VERSION)
			rule_add(st, "8.2.9", 0, "efi_info.efi_memdesc_version", "%u, the kernel accepts only 1", ei->memdesc_version);
		if (ei->memdesc_size < EFI_DESC_SIZE || (ei->memdesc_size & 7))
			rule_add(st, "8.2.9", 0, "efi_info.efi_memdesc_size", "%u is below 40 or not a multiple of 8", ei->memdesc_size);
		else if (ei->memmap_size != st->h->n * ei->memdesc_size)
			rule_add(st, "8.2.9", 0, "efi_info.efi_memmap_size", "%u is not %zu descriptors x %u", ei->memmap_size,
				 st->h->n, ei->memdesc_size);
		{
			uint64_t mm = (uint64_t)ei->memmap | ((uint64_t)ei->memmap_hi << 32);

			if (ei->memmap_size + (mm & 0xFFF) > EFI_MEMMAP_MAX_BYTES)
				rule_add(st, "8.2.9", 0, "efi_info.efi_memmap_size", "%u bytes (+0x%llx page offset) exceed one early_memremap (256 KiB)",
					 ei->memmap_size, (unsigned long long)(mm & 0xFFF));
		}
	}
}
