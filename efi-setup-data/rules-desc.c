/* rules-desc.c - the descriptor rules (spec 8.4) and the sorted indexes
 * that keep them O(n log n). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-internal.h"

uint64_t desc_bytes(const struct efi_desc *d)
{
	if (d->num_pages > (UINT64_MAX >> EFI_PAGE_SHIFT))
		return UINT64_MAX;
	return d->num_pages << EFI_PAGE_SHIFT;
}

static const struct efi_desc *sort_base;

static int cmp_phys(const void *a, const void *b)
{
	uint64_t x = sort_base[*(const size_t *)a].phys_addr, y = sort_base[*(const size_t *)b].phys_addr;

	return x < y ? -1 : x > y;
}

static int cmp_virt(const void *a, const void *b)
{
	uint64_t x = sort_base[*(const size_t *)a].virt_addr, y = sort_base[*(const size_t *)b].virt_addr;

	return x < y ? -1 : x > y;
}

int desc_index_build(struct desc_index *ix, const struct efi_desc *d, size_t n)
{
	size_t i;

	memset(ix, 0, sizeof(*ix));
	ix->d = d;
	ix->n = n;
	ix->by_phys = malloc((n ? n : 1) * sizeof(size_t));
	ix->by_virt = malloc((n ? n : 1) * sizeof(size_t));
	if (!ix->by_phys || !ix->by_virt) {
		desc_index_free(ix);
		return -1;
	}
	for (i = 0; i < n; i++)
		ix->by_phys[i] = ix->by_virt[i] = i;
	sort_base = d;
	qsort(ix->by_phys, n, sizeof(size_t), cmp_phys);
	qsort(ix->by_virt, n, sizeof(size_t), cmp_virt);
	return 0;
}

void desc_index_free(struct desc_index *ix)
{
	free(ix->by_phys);
	free(ix->by_virt);
	memset(ix, 0, sizeof(*ix));
}

/* Last descriptor starting at or below addr, then check it holds addr.
 * Overlapping maps are reported by 8.4.4; lookups then see one of them. */
static long find(const struct desc_index *ix, const size_t *order, uint64_t addr, bool virt)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t s = virt ? ix->d[order[mid]].virt_addr : ix->d[order[mid]].phys_addr;

		if (s <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	{
		const struct efi_desc *d = &ix->d[order[lo - 1]];
		uint64_t s = virt ? d->virt_addr : d->phys_addr;

		if (addr - s < desc_bytes(d))
			return (long)order[lo - 1];
	}
	return -1;
}

long desc_find_phys(const struct desc_index *ix, uint64_t addr)
{
	return find(ix, ix->by_phys, addr, false);
}

long desc_find_virt(const struct desc_index *ix, uint64_t addr)
{
	return find(ix, ix->by_virt, addr, true);
}

static bool is_boot_services(uint32_t t)
{
	return t == EFI_BOOT_SERVICES_CODE || t == EFI_BOOT_SERVICES_DATA;
}

static void check_overlaps(struct rule_state *st, const struct desc_index *ix, bool virt)
{
	size_t i;

	for (i = 1; i < ix->n; i++) {
		const size_t *o = virt ? ix->by_virt : ix->by_phys;
		const struct efi_desc *a = &ix->d[o[i - 1]], *b = &ix->d[o[i]];
		uint64_t as = virt ? a->virt_addr : a->phys_addr, bs = virt ? b->virt_addr : b->phys_addr;
		uint64_t len = desc_bytes(a);
		char where[64];

		if (len && bs - as < len) {
			snprintf(where, sizeof(where), "runtime-map/%zu.%s", o[i], virt ? "virt_addr" : "phys_addr");
			rule_add(st, "8.4.4", 0, where, "0x%llx overlaps runtime-map/%zu [0x%llx, 0x%llx) in %s",
				 (unsigned long long)bs, o[i - 1], (unsigned long long)as,
				 (unsigned long long)(as + len), virt ? "virt" : "phys");
		}
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

		snprintf(where, sizeof(where), "runtime-map/%zu", i);
		if (d->phys_addr & 0xFFF)
			rule_add(st, "8.4.2", 0, where, "phys_addr 0x%llx is not 4 KiB aligned", (unsigned long long)d->phys_addr);
		if (d->virt_addr & 0xFFF)
			rule_add(st, "8.4.2", 0, where, "virt_addr 0x%llx is not 4 KiB aligned", (unsigned long long)d->virt_addr);
		if (d->num_pages == 0)
			rule_add(st, "8.4.2", 0, where, "num_pages is 0");
		else if (len == UINT64_MAX || d->phys_addr + len < d->phys_addr || d->virt_addr + len < d->virt_addr)
			rule_add(st, "8.4.2", 0, where, "num_pages 0x%llx makes the range wrap past 2^64",
				 (unsigned long long)d->num_pages);
		else if (d->phys_addr + len > RULE_VA_BITS_LOW)
			rule_add(st, "8.4.2", 0, where, "phys range ends at 0x%llx, above 2^47",
				 (unsigned long long)(d->phys_addr + len));
		else
			total += len;
		if (d->num_pages && len != UINT64_MAX &&
		    (d->virt_addr < EFI_VA_END || d->virt_addr >= EFI_VA_START || len > EFI_VA_START - d->virt_addr))
			rule_add(st, "8.4.3", 0, where, "virt_addr 0x%llx (+0x%llx) is outside the EFI VA window [0x%llx, 0x%llx)",
				 (unsigned long long)d->virt_addr, (unsigned long long)len,
				 (unsigned long long)EFI_VA_END, (unsigned long long)EFI_VA_START);
		if ((d->virt_addr ^ d->phys_addr) & (TWO_MIB - 1))
			rule_add(st, "8.4.5", 0, where, "virt_addr 0x%llx and phys_addr 0x%llx differ modulo 2 MiB",
				 (unsigned long long)d->virt_addr, (unsigned long long)d->phys_addr);
		if (i) {
			if (d->virt_addr > h->desc[i - 1].virt_addr)
				incr++;
			else
				decr++;
		}
		if (d->type == EFI_CONVENTIONAL_MEMORY || d->type == EFI_UNACCEPTED_MEMORY)
			rule_add(st, "8.4.6", ESD_FATAL, where, "type %u (%s) would be free RAM to the next kernel's KASLR",
				 d->type, esd_efi_type_name(d->type));
		else if (d->type == EFI_LOADER_CODE || d->type == EFI_LOADER_DATA)
			rule_add(st, "8.4.6", ESD_FATAL, where, "type %u (%s) has no business in a runtime map",
				 d->type, esd_efi_type_name(d->type));
		else if (d->type >= EFI_MAX_MEMORY_TYPE)
			rule_add(st, "8.4.6", ESD_WARN, where, "type 0x%x is an OEM/vendor type", d->type);
		if (!(d->attribute & EFI_MEMORY_RUNTIME)) {
			if (is_boot_services(d->type) && sys->efi_debug) {
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
