/* handoff.c - what a kexec_load loader hands over, built from a read system
 * (spec 1.2, 3.1, 3.3; prior-art 1.4.1), with kexec-tools' mistakes fixed:
 * descriptors in runtime-map index order, and a runtime pointer that is made
 * physical when the running kernel (itself kexec-booted) shows a VA
 * (spec 6.1 caveat, 8.3.4). Nothing here judges the values: the rules do. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"

/* phys = va - virt + phys of the descriptor whose virtual range holds va. */
static int runtime_to_phys(const struct runtime_map *m, uint64_t va, uint64_t *phys)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct efi_desc *d = &m->desc[i];
		uint64_t size;

		if (d->num_pages > (UINT64_MAX >> EFI_PAGE_SHIFT))
			continue;
		size = d->num_pages << EFI_PAGE_SHIFT;
		if (va >= d->virt_addr && va - d->virt_addr < size) {
			*phys = va - d->virt_addr + d->phys_addr;
			return 0;
		}
	}
	return -ENOENT;
}

int esd_handoff_build(const struct esd_system *sys, struct esd_handoff *out, struct kx_err *err)
{
	const struct efi_sysfs *efi = &sys->efi;
	char p[4096 + 256];
	struct efi_info run;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (sys->efi_rc < 0)
		return kx_errf(err, sys->efi_rc, sys->efi_err.where, "%s", sys->efi_err.msg);
	if (sys->bp_rc < 0)
		return kx_errf(err, sys->bp_rc, sys->bp_err.where, "%s", sys->bp_err.msg);
	if (!efi->present)
		return kx_errf(err, -ENODEV,
			       sysroot_display(&sys->root, "/sys/firmware/efi", p, sizeof(p)),
			       "absent: not an EFI boot, nothing to hand over");
	if (!efi->have_map)
		return kx_errf(err, -ENOENT,
			       sysroot_display(&sys->root, "/sys/firmware/efi/runtime-map", p, sizeof(p)),
			       "absent (CONFIG_EFI_RUNTIME_MAP off?): no descriptors to hand over");
	if (sys->bp.data_len < BP_EFI_INFO + EFI_INFO_SIZE)
		return kx_errf(err, -EINVAL,
			       sysroot_display(&sys->root, "/sys/kernel/boot_params/data", p, sizeof(p)),
			       "efi_info: truncated boot_params (%zu bytes, efi_info ends at 0x%x)",
			       sys->bp.data_len, BP_EFI_INFO + EFI_INFO_SIZE);

	n = efi->map.n;
	if (n > UINT32_MAX / EFI_DESC_SIZE)
		return kx_errf(err, -E2BIG, "runtime-map", "%zu descriptors do not fit efi_memmap_size",
			       n);

	/* efi_info: signature, systab and version from the running kernel; the
	 * array description is ours (40-byte stride, spec 3.3). */
	esd_efi_info_decode(sys->bp.data + BP_EFI_INFO, &run);
	out->info.loader_signature = run.loader_signature;
	out->info.systab = run.systab;
	out->info.systab_hi = run.systab_hi;
	out->info.memdesc_version = run.memdesc_version;
	out->info.memdesc_size = EFI_DESC_SIZE;
	out->info.memmap_size = (uint32_t)(n * EFI_DESC_SIZE);
	out->info.memmap = 0;
	out->info.memmap_hi = 0;

	/* SETUP_EFI, spec 3.1: missing values stay 0 for the rules to flag. */
	out->setup.fw_vendor = efi->have_fw_vendor ? efi->fw_vendor : 0;
	out->setup.tables = efi->have_config_table ? efi->config_table : 0;
	if (esd_systab_lookup(efi, "SMBIOS", &out->setup.smbios) < 0)
		out->setup.smbios = 0;
	if (efi->have_runtime) {
		uint64_t rt = efi->runtime;

		if (rt >= EFI_VA_END && runtime_to_phys(&efi->map, rt, &rt) < 0)
			return kx_errf(err, -EINVAL,
				       sysroot_display(&sys->root, "/sys/firmware/efi/runtime", p, sizeof(p)),
				       "virtual address 0x%llx is in no runtime-map descriptor, cannot make it physical",
				       (unsigned long long)efi->runtime);
		out->setup.runtime = rt;
	}

	if (n) {
		out->desc = malloc(n * sizeof(*out->desc));
		if (!out->desc)
			return kx_errf(err, -ENOMEM, "runtime-map", "out of memory");
		memcpy(out->desc, efi->map.desc, n * sizeof(*out->desc));
	}
	out->n = n;
	return 0;
}

void esd_handoff_set_memmap_addr(struct esd_handoff *h, uint64_t phys)
{
	h->info.memmap = (uint32_t)phys;
	h->info.memmap_hi = (uint32_t)(phys >> 32);
}

void esd_handoff_free(struct esd_handoff *h)
{
	if (!h)
		return;
	free(h->desc);
	h->desc = NULL;
	h->n = 0;
}
