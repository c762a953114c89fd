/* desc-check.c - per-descriptor checks and sorted lookups (see
 * desc-check.h). FREESTANDING: no libc, no allocation. */
#include "desc-check.h"

uint64_t dc_desc_bytes(const struct efi_desc *d)
{
	if (d->num_pages > (UINT64_MAX >> EFI_PAGE_SHIFT))
		return UINT64_MAX;
	return d->num_pages << EFI_PAGE_SHIFT;
}

bool dc_is_boot_services(uint32_t type)
{
	return type == EFI_BOOT_SERVICES_CODE || type == EFI_BOOT_SERVICES_DATA;
}

uint32_t dc_desc_problems(const struct efi_desc *d)
{
	uint64_t len = dc_desc_bytes(d);
	uint32_t p = 0;

	if (d->phys_addr & (EFI_PAGE_SIZE - 1))
		p |= DC_PHYS_UNALIGNED;
	if (d->virt_addr & (EFI_PAGE_SIZE - 1))
		p |= DC_VIRT_UNALIGNED;
	if (d->num_pages == 0)
		p |= DC_NO_PAGES;
	else if (len == UINT64_MAX || d->phys_addr + len < d->phys_addr || d->virt_addr + len < d->virt_addr)
		p |= DC_WRAPS;
	else if (d->phys_addr + len > DC_PHYS_LIMIT)
		p |= DC_PHYS_HIGH;
	/* The next kernel maps runtime regions only inside its EFI window. */
	if (d->num_pages && len != UINT64_MAX &&
	    (d->virt_addr < EFI_VA_END || d->virt_addr >= EFI_VA_START || len > EFI_VA_START - d->virt_addr))
		p |= DC_VIRT_WINDOW;
	/* Kernels map with 2 MiB pages where they can; an incongruent pair
	 * forces 4 KiB pages and breaks the "same offset" assumption. */
	if ((d->virt_addr ^ d->phys_addr) & (DC_TWO_MIB - 1))
		p |= DC_NOT_CONGRUENT;
	if (d->type == EFI_CONVENTIONAL_MEMORY || d->type == EFI_UNACCEPTED_MEMORY)
		p |= DC_FREE_RAM_TYPE;
	else if (d->type == EFI_LOADER_CODE || d->type == EFI_LOADER_DATA)
		p |= DC_LOADER_TYPE;
	else if (d->type >= EFI_MAX_MEMORY_TYPE)
		p |= DC_OEM_TYPE;
	if (!(d->attribute & EFI_MEMORY_RUNTIME))
		p |= DC_NOT_RUNTIME;
	return p;
}

static uint64_t key(const struct efi_desc *d, size_t i, bool virt)
{
	return virt ? d[i].virt_addr : d[i].phys_addr;
}

static void sift_down(size_t *o, size_t root, size_t n, const struct efi_desc *d, bool virt)
{
	for (;;) {
		size_t child = 2 * root + 1, t;

		if (child >= n)
			return;
		if (child + 1 < n && key(d, o[child + 1], virt) > key(d, o[child], virt))
			child++;
		if (key(d, o[root], virt) >= key(d, o[child], virt))
			return;
		t = o[root];
		o[root] = o[child];
		o[child] = t;
		root = child;
	}
}

void dc_sort(size_t *order, size_t n, const struct efi_desc *d, bool virt)
{
	size_t i, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(order, i, n, d, virt);
	for (i = n - 1; i > 0; i--) {
		t = order[0];
		order[0] = order[i];
		order[i] = t;
		sift_down(order, 0, i, d, virt);
	}
}

/* Overlapping maps are reported by 8.4.4; a lookup then sees one of them. */
long dc_find(const struct efi_desc *d, const size_t *order, size_t n, uint64_t addr, bool virt)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key(d, order[mid], virt) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	if (addr - key(d, order[lo - 1], virt) < dc_desc_bytes(&d[order[lo - 1]]))
		return (long)order[lo - 1];
	return -1;
}

size_t dc_next_overlap(const struct efi_desc *d, const size_t *order, size_t n, size_t from, bool virt)
{
	size_t i;

	for (i = from < 1 ? 1 : from; i < n; i++) {
		uint64_t as = key(d, order[i - 1], virt), bs = key(d, order[i], virt);
		uint64_t len = dc_desc_bytes(&d[order[i - 1]]);

		if (len && bs - as < len)
			return i;
	}
	return 0;
}
