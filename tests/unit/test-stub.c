/* test-stub.c - the target stub's host-testable parts: the page-table
 * builder (walked back after building, 4- and 5-level, large pages split,
 * pool exhaustion), the freestanding descriptor checks and sorting it shares
 * with the rule engine, and the built efi-rt-probe image as a loader
 * parses it. */
#include <errno.h>
#include <stdlib.h>

#include "test.h"
#include "esd.h"
#include "esd-tree.h"
#include "desc-check.h"
#include "pagetable.h"

static void *pool_alloc(size_t pages)
{
	void *p = aligned_alloc(4096, pages * 4096);

	if (p)
		memset(p, 0xa5, pages * 4096);   /* the builder must clear what it uses */
	return p;
}

static bool maps_to(const struct pt_builder *b, uint64_t va, uint64_t pa)
{
	uint64_t got = 0;

	return pt_lookup(b, va, &got, NULL) == 0 && got == pa;
}

TEST(pt_identity_with_large_pages)
{
	struct pt_builder b;
	void *pool = pool_alloc(64);

	CHECK(pt_init(&b, pool, 64, 4, false) == 0);
	CHECK(pt_map(&b, 0, 0, 4ull << 30, PTE_RW) == 0);
	/* 4 GiB with 2 MiB pages: root + 1 PDPT + 4 PDs */
	CHECK_EQ_U64(b.used, 6);
	CHECK(maps_to(&b, 0x12345678, 0x12345678));
	CHECK(maps_to(&b, 0xfffff000, 0xfffff000));
	CHECK(!maps_to(&b, 4ull << 30, 4ull << 30));
	free(pool);
}

TEST(pt_gib_pages_when_allowed)
{
	struct pt_builder b;
	void *pool = pool_alloc(8);

	CHECK(pt_init(&b, pool, 8, 4, true) == 0);
	CHECK(pt_map(&b, 0, 0, 8ull << 30, PTE_RW) == 0);
	CHECK_EQ_U64(b.used, 2);
	CHECK(maps_to(&b, (7ull << 30) + 0x1234, (7ull << 30) + 0x1234));
	free(pool);
}

/* The separate EFI mapping of the bundled OVMF map: every descriptor at
 * its virt_addr, on top of an identity map, then every page walked back. */
TEST(pt_runtime_map_of_ovmf_fixture)
{
	struct esd_system sys;
	struct kx_err err;
	struct pt_builder b;
	void *pool = pool_alloc(512);
	size_t i, pages_checked = 0;
	int levels;

	CHECK(esd_system_read(fixture("ovmf-q35-linux6.1"), &sys, &err) == 0);
	CHECK(sys.efi.have_map && sys.efi.map.n > 50);
	for (levels = 4; levels <= 5; levels++) {
		CHECK(pt_init(&b, pool, 512, levels, false) == 0);
		CHECK(pt_map(&b, 0, 0, 4ull << 30, PTE_RW) == 0);
		for (i = 0; i < sys.efi.map.n; i++) {
			const struct efi_desc *d = &sys.efi.map.desc[i];

			CHECK(pt_map(&b, d->virt_addr, d->phys_addr, d->num_pages << 12, PTE_RW | PTE_PCD) == 0);
		}
		for (i = 0; i < sys.efi.map.n; i++) {
			const struct efi_desc *d = &sys.efi.map.desc[i];
			uint64_t p;

			for (p = 0; p < d->num_pages; p += 7) {
				uint64_t off = p << 12;

				if (!maps_to(&b, d->virt_addr + off + 0x10, d->phys_addr + off + 0x10)) {
					CHECK(!"runtime page maps to its phys_addr");
					break;
				}
				pages_checked++;
			}
		}
		/* the identity map survived underneath */
		CHECK(maps_to(&b, 0x3f5ec123, 0x3f5ec123));
		CHECK(!maps_to(&b, 0xfffffffe00000000ull, 0xfffffffe00000000ull));
	}
	CHECK(pages_checked > 1000);
	esd_system_free(&sys);
	free(pool);
}

/* A 4 KiB mapping inside an identity 2 MiB page splits it: the rest of
 * the 2 MiB keeps its identity translation. */
TEST(pt_split_keeps_neighbours)
{
	struct pt_builder b;
	void *pool = pool_alloc(16);

	CHECK(pt_init(&b, pool, 16, 4, true) == 0);
	CHECK(pt_map(&b, 0, 0, 2ull << 30, PTE_RW) == 0);       /* two 1 GiB pages */
	CHECK(pt_map(&b, 0x40201000, 0x7000000, 0x1000, PTE_RW) == 0);
	CHECK(maps_to(&b, 0x40201000, 0x7000000));
	CHECK(maps_to(&b, 0x40200000, 0x40200000));
	CHECK(maps_to(&b, 0x40202000, 0x40202000));
	CHECK(maps_to(&b, 0x7fffffff, 0x7fffffff));
	CHECK(maps_to(&b, 0x3ffff000, 0x3ffff000));
	/* a later large mapping does not wipe the finer one below it */
	CHECK(pt_map(&b, 0x40000000, 0x40000000, 0x40000000, PTE_RW) == 0);
	CHECK(maps_to(&b, 0x40201000, 0x40201000));
	free(pool);
}

TEST(pt_five_level_indexes)
{
	struct pt_builder b;
	void *pool = pool_alloc(16);

	CHECK(pt_init(&b, pool, 16, 5, false) == 0);
	/* canonical only with 57 bits: bit 56 set, sign-extended */
	CHECK(pt_map(&b, 0xff00000000000000ull, 0x200000, 0x1000, PTE_RW) == 0);
	CHECK(maps_to(&b, 0xff00000000000000ull, 0x200000));
	CHECK(pt_init(&b, pool, 16, 4, false) == 0);
	CHECK(pt_map(&b, 0xff00000000000000ull, 0x200000, 0x1000, PTE_RW) == -EINVAL);
	free(pool);
}

TEST(pt_rejects_bad_input_and_exhaustion)
{
	struct pt_builder b;
	void *pool = pool_alloc(4);

	CHECK(pt_init(&b, pool, 4, 3, false) == -EINVAL);
	CHECK(pt_init(&b, (char *)pool + 8, 4, 4, false) == -EINVAL);
	CHECK(pt_init(&b, pool, 4, 4, false) == 0);
	CHECK(pt_map(&b, 0x1001, 0, 0x1000, 0) == -EINVAL);
	CHECK(pt_map(&b, 0xfffffffffffff000ull, 0, 0x2000, 0) == -EINVAL);
	CHECK(pt_map(&b, 0x0000800000000000ull, 0, 0x1000, 0) == -EINVAL);   /* non-canonical */
	/* 4 KiB pages scattered over 1 GiB steps need a PD and PT each */
	CHECK(pt_map(&b, 0, 0, 0x1000, 0) == 0);
	CHECK(pt_map(&b, 1ull << 30, 0, 0x1000, 0) == -ENOMEM);
	CHECK(!maps_to(&b, 1ull << 30, 0));
	free(pool);
}

/* ---- desc-check.c ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

TEST(dc_sort_orders_like_qsort)
{
	enum { N = 997 };
	static struct efi_desc d[N];
	static size_t order[N];
	static uint64_t keys[N];
	unsigned seed = 12345;
	size_t i;
	int bad = 0;

	for (i = 0; i < N; i++) {
		seed = seed * 1103515245u + 12345u;
		d[i].phys_addr = (uint64_t)(seed >> 8) << 12;
		d[i].virt_addr = ~d[i].phys_addr & ~0xfffull;
		d[i].num_pages = 1;
		keys[i] = d[i].phys_addr;
	}
	qsort(keys, N, sizeof(keys[0]), cmp_u64);
	dc_sort(order, N, d, false);
	for (i = 0; i < N; i++)
		bad += d[order[i]].phys_addr != keys[i];
	CHECK_EQ_U64(bad, 0);
	dc_sort(order, N, d, true);
	for (i = 1; i < N; i++)
		bad += d[order[i - 1]].virt_addr > d[order[i]].virt_addr;
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(dc_find(d, order, N, d[order[10]].virt_addr + 0xfff, true), order[10]);
	CHECK(dc_find(d, order, N, d[order[10]].virt_addr + 0x1000, true) != (long)order[10]);
}

TEST(dc_problems_and_overlaps)
{
	struct efi_desc d[3] = {
		{ EFI_RUNTIME_SERVICES_CODE, 0, 0x100000, 0xfffffffeff100000ull, 16, EFI_MEMORY_RUNTIME | EFI_MEMORY_WB },
		{ EFI_CONVENTIONAL_MEMORY, 0, 0x108001, 0xffff888000000000ull, 0, EFI_MEMORY_WB },
		{ EFI_RUNTIME_SERVICES_DATA, 0, 0x10f000, 0xfffffffeff20f000ull, 1, EFI_MEMORY_RUNTIME },
	};
	size_t order[3];
	uint32_t p;

	CHECK_EQ_U64(dc_desc_problems(&d[0]), 0);
	p = dc_desc_problems(&d[1]);
	CHECK(p & DC_PHYS_UNALIGNED);
	CHECK(p & DC_NO_PAGES);
	CHECK(p & DC_FREE_RAM_TYPE);
	CHECK(p & DC_NOT_RUNTIME);
	CHECK(!(p & DC_VIRT_WINDOW));       /* no pages: the window check needs a size */
	d[1].num_pages = 1;
	CHECK(dc_desc_problems(&d[1]) & DC_VIRT_WINDOW);
	/* d[2] starts inside d[0] physically */
	dc_sort(order, 3, d, false);
	CHECK(dc_next_overlap(d, order, 3, 1, false) != 0);
	dc_sort(order, 3, d, true);
	CHECK_EQ_U64(dc_next_overlap(d, order, 3, 1, true), 0);
}

/* ---- the image ---- */

TEST(image_is_a_bzimage_loaders_accept)
{
	FILE *f = fopen(STUB_IMAGE, "rb");
	static uint8_t buf[1 << 20];
	struct esd_image im;
	struct kx_err err;
	size_t len = 0;

	CHECK(f != NULL);
	if (!f)
		return;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	CHECK(len > 1024 && len < sizeof(buf));
	CHECK(esd_image_parse(buf, len, STUB_IMAGE, &im, &err) == 0);
	CHECK_EQ_U64(im.header_magic, HDR_MAGIC);
	CHECK_EQ_U64(im.boot_flag, HDR_BOOT_FLAG_MAGIC);
	CHECK(im.version >= BOOT_PROTO_MIN_64);
	CHECK(im.loadflags & LOADFLAG_LOADED_HIGH);
	CHECK_EQ_U64(im.xloadflags & (XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_EFI_KEXEC | XLF_5LEVEL),
		     XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_EFI_KEXEC | XLF_5LEVEL);
	CHECK_EQ_U64(im.relocatable_kernel, 1);
	CHECK_EQ_U64(im.setup_size, 1024);
	/* syssize covers the file; init_size covers bss, stack and the pool */
	CHECK_EQ_U64((uint64_t)buf[0x1f4] | (uint64_t)buf[0x1f5] << 8 | (uint64_t)buf[0x1f6] << 16,
		     (len - 1024 + 15) / 16);
	CHECK(im.init_size >= len - 1024 + (4u << 20));
	CHECK(im.init_size % 4096 == 0);
	CHECK_STR_CONTAINS(im.kernel_version, "efi-rt-probe " PACKAGE_VERSION);
	CHECK_EQ_U64(im.kver_major, 0);
	/* the 64-bit entry: cli; cld */
	CHECK_EQ_U64(buf[1024 + 0x200], 0xfa);
	CHECK_EQ_U64(buf[1024 + 0x201], 0xfc);
}

TEST_MAIN
