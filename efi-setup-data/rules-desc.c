/* rules-desc.c - the descriptor rules (spec 8.4) and the sorted indexes
 * that keep them O(n log n). The checks of one descriptor and the sorting
 * are desc-check.c, which the target stub runs freestanding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desc-check.h"
#include "rules-internal.h"

uint64_t desc_bytes(const struct efi_desc *d)
{
	return dc_desc_bytes(d);
}

int desc_index_build(struct desc_index *ix, const struct efi_desc *d, size_t n)
{
	memset(ix, 0, sizeof(*ix));
	ix->d = d;
	ix->n = n;
	ix->by_phys = malloc((n ? n : 1) * sizeof(size_t));
	ix->by_virt = malloc((n ? n : 1) * sizeof(size_t));
	if (!ix->by_phys || !ix->by_virt) {
		desc_index_free(ix);
		return -1;
	}
	dc_sort(ix->by_phys, n, d, false);
	dc_sort(ix->by_virt, n, d, true);
	return 0;
}

void desc_index_free(struct desc_index *ix)
{
	free(ix->by_phys);
	free(ix->by_virt);
	memset(ix, 0, sizeof(*ix));
}

long desc_find_phys(const struct desc_index *ix, uint64_t addr)
{
	return dc_find(ix->d, ix->by_phys, ix->n, addr, false);
}

long desc_find_virt(const struct desc_index *ix, uint64_t addr)
{
	return dc_find(ix->d, ix->by_virt, ix->n, addr, true);
}

static void check_overlaps(struct rule_state *st, const struct desc_index *ix, bool virt)
{
	const size_t *o = virt ? ix->by_virt : ix->by_phys;
	size_t i = 1;

	while ((i = dc_next_overlap(ix->d, o, ix->n, i, virt)) != 0) {
		const struct efi_desc *a = &ix->d[o[i - 1]], *b = &ix->d[o[i]];
		uint64_t as = virt ? a->virt_addr : a->phys_addr, bs = virt ? b->virt_addr : b->phys_addr;
		char where[64];

		snprintf(where, sizeof(where), "runtime-map/%zu.%s", o[i], virt ? "virt_addr" : "phys_addr");
		rule_add(st, "8.4.4", 0, where, "0x%llx overlaps runtime-map/%zu [0x%llx, 0x%llx) in %s",
			 (unsigned long long)bs, o[i - 1], (unsigned long long)as,
			 (unsigned long long)(as + desc_bytes(a)), virt ? "virt" : "phys");
		i++;
	}
}

void rules_descriptors(struct rule_state *st)
{
	const struct esd_handoff *h = st->h;
	const struct esd_system *sys = st->sys;
	struct desc_index ix;
	uint64_t total = 0, va;
	size_t i, incr = 0, decr = 0, bs_debug = 0, bs_first = 0;
	char where[64];
	long k;

	if (h->n == 0) {
		rule_add(st, "8.4.1", 0, "runtime-map", "the hand-off holds no descriptor");
		return;
	}
	if (sys->efi.have_map && sys->efi.map.n != h->n)
		rule_add(st, "8.4.1", 0, "runtime-map", "%zu descriptors handed over, the running kernel has %zu",
			 h->n, sys->efi.map.n);
	for (i = 0; i < h->n; i++) {
		const struct efi_desc *d = &h->desc[i];
		uint64_t len = desc_bytes(d);
		uint32_t p = dc_desc_problems(d);

		snprintf(where, sizeof(where), "runtime-map/%zu", i);
		if (p & DC_PHYS_UNALIGNED)
			rule_add(st, "8.4.2", 0, where, "phys_addr 0x%llx is not 4 KiB aligned", (unsigned long long)d->phys_addr);
		if (p & DC_VIRT_UNALIGNED)
			rule_add(st, "8.4.2", 0, where, "virt_addr 0x%llx is not 4 KiB aligned", (unsigned long long)d->virt_addr);
		if (p & DC_NO_PAGES)
			rule_add(st, "8.4.2", 0, where, "num_pages is 0");
		else if (p & DC_WRAPS)
			rule_add(st, "8.4.2", 0, where, "num_pages 0x%llx makes the range wrap past 2^64",
				 (unsigned long long)d->num_pages);
		else if (p & DC_PHYS_HIGH)
			rule_add(st, "8.4.2", 0, where, "phys range ends at 0x%llx, above 2^47",
				 (unsigned long long)(d->phys_addr + len));
		else
			total += len;
		if (p & DC_VIRT_WINDOW)
			rule_add(st, "8.4.3", 0, where, "virt_addr 0x%llx (+0x%llx) is outside the EFI VA window [0x%llx, 0x%llx)",
				 (unsigned long long)d->virt_addr, (unsigned long long)len,
				 (unsigned long long)EFI_VA_END, (unsigned long long)EFI_VA_START);
		if (p & DC_NOT_CONGRUENT)
			rule_add(st, "8.4.5", 0, where, "virt_addr 0x%llx and phys_addr 0x%llx differ modulo 2 MiB",
				 (unsigned long long)d->virt_addr, (unsigned long long)d->phys_addr);
		if (i) {
			if (d->virt_addr > h->desc[i - 1].virt_addr)
				incr++;
			else
				decr++;
		}
		if (p & DC_FREE_RAM_TYPE)
			rule_add(st, "8.4.6", ESD_FATAL, where, "type %u (%s) would be free RAM to the next kernel's KASLR",
				 d->type, esd_efi_type_name(d->type));
		else if (p & DC_LOADER_TYPE)
			rule_add(st, "8.4.6", ESD_FATAL, where, "type %u (%s) has no business in a runtime map",
				 d->type, esd_efi_type_name(d->type));
		else if (p & DC_OEM_TYPE)
			rule_add(st, "8.4.6", ESD_WARN, where, "type 0x%x is an OEM/vendor type", d->type);
		if (p & DC_NOT_RUNTIME) {
			if (dc_is_boot_services(d->type) && sys->efi_debug) {
				if (!bs_debug++)
					bs_first = i;
			} else
				rule_add(st, "8.4.6", ESD_FATAL, where, "attribute 0x%llx lacks EFI_MEMORY_RUNTIME (bit 63)",
					 (unsigned long long)d->attribute);
		}
		if (sys->efi.have_map && i < sys->efi.map.n) {
			const struct efi_desc *r = &sys->efi.map.desc[i];

			if (r->type != d->type || r->attribute != d->attribute || r->phys_addr != d->phys_addr)
				rule_add(st, "8.4.7", 0, where, "type/attribute 0x%x/0x%llx differ from the running kernel's 0x%x/0x%llx",
					 d->type, (unsigned long long)d->attribute, r->type, (unsigned long long)r->attribute);
		}
	}
	if (bs_debug)
		rule_add(st, "8.4.6", ESD_WARN, "runtime-map",
			 "%zu BootServices regions without the RUNTIME attribute (first: runtime-map/%zu), kept because the running kernel booted with efi=debug; forwarded as is",
			 bs_debug, bs_first);
	if (incr && decr)
		rule_add(st, "8.4.5", 0, "runtime-map", "virtual addresses are not monotonic in index order (%zu up, %zu down)",
			 incr, decr);
	if (total > (64ull << 30))
		rule_add(st, "8.4.10", 0, "runtime-map", "%llu bytes mapped, more than the 64 GiB window",
			 (unsigned long long)total);
	if (desc_index_build(&ix, h->desc, h->n) < 0) {
		rule_add(st, "8.5.0", 0, "rules", "out of memory");
		return;
	}
	check_overlaps(st, &ix, false);
	check_overlaps(st, &ix, true);
	/* Coverage (8.4.8): what the next kernel dereferences must be mapped. */
	{
		uint64_t systab = (uint64_t)h->info.systab | ((uint64_t)h->info.systab_hi << 32);

		if (systab && desc_find_phys(&ix, systab) < 0)
			rule_add(st, "8.4.8", 0, "efi_info.efi_systab", "System Table 0x%llx lies in no descriptor (kernels <= 5.6 panic)",
				 (unsigned long long)systab);
		if (h->setup.fw_vendor && desc_find_phys(&ix, h->setup.fw_vendor) < 0)
			rule_add(st, "8.4.8", 0, "setup_efi.fw_vendor", "0x%llx lies in no descriptor",
				 (unsigned long long)h->setup.fw_vendor);
		if (h->setup.tables && desc_find_phys(&ix, h->setup.tables) < 0)
			rule_add(st, "8.4.8", 0, "setup_efi.tables", "0x%llx lies in no descriptor",
				 (unsigned long long)h->setup.tables);
		/* The Runtime Services pointer the next kernel calls through is
		 * the systab's VA; sysfs shows it after a kexec, its phys before. */
		va = sys->efi.have_runtime ? sys->efi.runtime : 0;
		if (va >= EFI_VA_END) {
			k = desc_find_virt(&ix, va);
			if (k < 0)
				rule_add(st, "8.4.8", 0, "runtime", "RuntimeServices VA 0x%llx lies in no descriptor's virtual range",
					 (unsigned long long)va);
		} else if (h->setup.runtime && desc_find_phys(&ix, h->setup.runtime) < 0) {
			rule_add(st, "8.4.8", 0, "setup_efi.runtime", "Runtime Services table 0x%llx lies in no descriptor",
				 (unsigned long long)h->setup.runtime);
		}
		if (h->setup.runtime && h->setup.runtime < EFI_VA_END) {
			k = desc_find_phys(&ix, h->setup.runtime);
			if (k >= 0 && h->desc[k].type != EFI_RUNTIME_SERVICES_DATA)
				rule_add(st, "8.3.4", ESD_WARN, "setup_efi.runtime", "0x%llx is in a %s descriptor, not RuntimeServicesData",
					 (unsigned long long)h->setup.runtime, esd_efi_type_name(h->desc[k].type));
		}
	}
	desc_index_free(&ix);
}
