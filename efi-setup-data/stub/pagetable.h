/* pagetable.h - build x86-64 page tables (4- or 5-level) from a fixed pool.
 *
 * FREESTANDING and host-testable: the stub builds its identity map and its
 * separate EFI mapping (every runtime descriptor at its virt_addr) with it;
 * tests/unit/test-stub-pagetable.c builds the same tables in host memory
 * and walks them. Table addresses are stored as the pool's own addresses,
 * which in the stub are physical (it runs identity-mapped). */
#ifndef STUB_PAGETABLE_H
#define STUB_PAGETABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_P     (1ull << 0)
#define PTE_RW    (1ull << 1)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_PS    (1ull << 7)
#define PTE_ADDR  0x000ffffffffff000ull

struct pt_builder {
	uint64_t (*pool)[512];   /* 4 KiB aligned pages */
	size_t pool_pages, used;
	int levels;              /* 4, or 5 when CR4.LA57 is on */
	bool gib_pages;          /* CPUID 0x80000001 EDX bit 26 */
	uint64_t *root;
};

/* 0, or -EINVAL for a bad level count or a pool of no page. */
int pt_init(struct pt_builder *b, void *pool, size_t pages, int levels, bool gib_pages);

/* Map [va, va+len) to [pa, pa+len); all three 4 KiB aligned. Uses 1 GiB
 * and 2 MiB pages where alignment allows and splits a large page when a
 * smaller mapping lands inside it; a later mapping replaces an earlier one
 * page by page. flags: PTE_RW, PTE_PWT, PTE_PCD (P and PS are ours).
 * 0, -EINVAL (misaligned, non-canonical, wrapping), -ENOMEM (pool). */
int pt_map(struct pt_builder *b, uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);

/* Walk the tables: 0 and *pa (and the leaf's flags) when va is mapped,
 * -ENOENT when not. */
int pt_lookup(const struct pt_builder *b, uint64_t va, uint64_t *pa, uint64_t *flags);

#endif
