/* desc-check.h - the per-descriptor checks and the sorted lookups of an EFI
 * runtime map, shared by the rule engine and the target stub.
 *
 * FREESTANDING: desc-check.c uses no libc and no allocation, so the stub
 * (efi-setup-data/stub/) runs the very code that `efi-setup-data verify` and
 * `kexec --efi-verify` run (spec 8.4.2, 8.4.3, 8.4.5, 8.4.6). Sorting is an
 * in-place heapsort of caller-owned index arrays: O(n log n), no recursion,
 * no scratch memory. */
#ifndef ESD_DESC_CHECK_H
#define ESD_DESC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootproto.h"

/* What can be wrong with one descriptor on its own (a bit set). */
enum dc_problem {
	DC_PHYS_UNALIGNED = 1u << 0,  /* 8.4.2 phys_addr not 4 KiB aligned */
	DC_VIRT_UNALIGNED = 1u << 1,  /* 8.4.2 virt_addr not 4 KiB aligned */
	DC_NO_PAGES       = 1u << 2,  /* 8.4.2 num_pages == 0 */
	DC_WRAPS          = 1u << 3,  /* 8.4.2 a range wraps past 2^64 */
	DC_PHYS_HIGH      = 1u << 4,  /* 8.4.2 phys range ends above 2^47 */
	DC_VIRT_WINDOW    = 1u << 5,  /* 8.4.3 virt range outside [EFI_VA_END, EFI_VA_START) */
	DC_NOT_CONGRUENT  = 1u << 6,  /* 8.4.5 virt and phys differ modulo 2 MiB (warning) */
	DC_FREE_RAM_TYPE  = 1u << 7,  /* 8.4.6 Conventional/Unaccepted: free RAM to the next kernel */
	DC_LOADER_TYPE    = 1u << 8,  /* 8.4.6 LoaderCode/LoaderData */
	DC_OEM_TYPE       = 1u << 9,  /* 8.4.6 type >= EfiMaxMemoryType (warning) */
	DC_NOT_RUNTIME    = 1u << 10, /* 8.4.6 no EFI_MEMORY_RUNTIME */
};

#define DC_PHYS_LIMIT  (1ull << 47)   /* the 1:1 map lives in the lower half */
#define DC_TWO_MIB     (2ull << 20)

/* num_pages * 4096, saturating at UINT64_MAX. */
uint64_t dc_desc_bytes(const struct efi_desc *d);

/* Every problem of d alone, as enum dc_problem bits (0: none). */
uint32_t dc_desc_problems(const struct efi_desc *d);

/* True for BootServicesCode/Data, which efi=debug keeps in the map. */
bool dc_is_boot_services(uint32_t type);

/* Fill order[0..n) with 0..n-1 sorted by phys_addr (virt false) or
 * virt_addr (virt true); equal keys keep no particular order. */
void dc_sort(size_t *order, size_t n, const struct efi_desc *d, bool virt);

/* Index (into d) of the last descriptor in `order` starting at or below
 * addr whose range holds addr; -1 if none. order must come from dc_sort
 * with the same `virt`. */
long dc_find(const struct efi_desc *d, const size_t *order, size_t n, uint64_t addr, bool virt);

/* Position i >= 1 in order where d[order[i]] starts inside d[order[i-1]],
 * scanning from position `from`; 0 when there is no further overlap. */
size_t dc_next_overlap(const struct efi_desc *d, const size_t *order, size_t n, size_t from, bool virt);

#endif
