/* test-kaslr.c - physical KASLR on kexec_load (issue 6) on the captured
 * OVMF trees: the config-table line, the next command line's limits, the
 * slot set against a brute-force oracle (written here independently of
 * ranges.c), uniformity (chi-square, with a biased picker that must fail the
 * same bound), 10,000 seeded plans per fixture with no segment on anything
 * excluded, and an EFI hand-off that stays byte for byte the same. */
#include <errno.h>
#include <math.h>

#include "crashdump.h"
#include "kaslr.h"
#include "load.h"
#include "mkbzimage.h"
#include "ranges.h"
#include "test.h"

#define MIB (1ull << 20)
#define DEBIAN_INIT_SIZE 0x3f98000u     /* 6.1.0-56-amd64 */

static const char *const fixtures[] = {
	"ovmf-q35-linux6.1", "ovmf-q35-linux6.1-after-kexec-file", "ovmf-q35-linux6.1-after-kexec-load",
	"ovmf-q35-linux6.1-crashkernel", "ovmf-q35-linux6.1-crashkernel-after-crash",
	"ovmf-q35-linux6.1-noefidebug", "ovmf-q35-linux6.1-noefidebug-after-kexec-load",
};
#define NFIX (sizeof(fixtures) / sizeof(fixtures[0]))

static struct esd_system sys;
static struct esd_handoff h;
static struct esd_image img;
static uint8_t kernel[MKBZ_LEN];
static uint8_t initrd[3 * 4096 + 100];
static struct kx_err err;

static bool setup(const char *fixture)
{
	char dir[4096];
	const char *top = getenv("top_srcdir");

	esd_system_free(&sys);
	esd_handoff_free(&h);
	memset(&err, 0, sizeof(err));
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", top ? top : ".", fixture);
	if (esd_system_read(dir, &sys, &err) < 0 || esd_handoff_build(&sys, &h, &err) < 0) {
		printf("# %s: %s: %s\n", fixture, err.where, err.msg);
		CHECK(0);
		return false;
	}
	mkbzimage(kernel, 0);
	put_le32(kernel + HDR_INIT_SIZE, DEBIAN_INIT_SIZE);
	memset(initrd, 0xA5, sizeof(initrd));
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	return true;
}

static void request(struct load_request *rq, const char *cmdline, const struct kaslr_rng *rng)
{
	memset(rq, 0, sizeof(*rq));
	rq->kernel = kernel;
	rq->kernel_len = sizeof(kernel);
	rq->kernel_name = "bzImage";
	rq->initrd = initrd;
	rq->initrd_len = sizeof(initrd);
	rq->cmdline = cmdline;
	rq->sys = &sys;
	rq->image = &img;
	rq->handoff = &h;
	rq->mem_max = UINT64_MAX;
	rq->efi_check = true;
	rq->kaslr_rng = rng;
}

/* ------------------------------------------------ the oracle (no ranges.c) */

struct iv { uint64_t a, b; };   /* [a, b) */

/* Is [a, b) covered by the union of the intervals (which may touch)? */
static bool covered(const struct iv *v, size_t n, uint64_t a, uint64_t b)
{
	uint64_t cur = a;
	bool moved = true;

	while (cur < b && moved) {
		moved = false;
		for (size_t i = 0; i < n; i++)
			if (v[i].a <= cur && cur < v[i].b) {
				cur = v[i].b;
				moved = true;
			}
	}
	return cur >= b;
}

static bool hits(const struct iv *v, size_t n, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (a < v[i].b && v[i].a < b)
			return true;
	return false;
}

struct oracle {
	struct iv ram[256], sysram[256], bad[1024];
	size_t nram, nsysram, nbad;
	bool crash_only;
	struct iv crash[8];
	size_t ncrash;
};

static void bad_add(struct oracle *o, uint64_t a, uint64_t b)
{
	if (o->nbad < 1024)
		o->bad[o->nbad++] = (struct iv){ a, b };
}

/* What may hold a segment, from the captured files and the spec's list:
 * RAM in the firmware memmap and System RAM in iomem, not the first MiB,
 * no runtime-map region, no Crash kernel, no blob, nothing cmdline reserves. */
static void oracle_build(struct oracle *o, const struct kaslr_cmdline *kc, bool blobs)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < sys.memmap.n && o->nram < 256; i++)
		if (sys.memmap.e[i].e820_type == E820_TYPE_RAM)
			o->ram[o->nram++] = (struct iv){ sys.memmap.e[i].start, sys.memmap.e[i].end + 1 };
	for (size_t i = 0; i < sys.iomem.n; i++) {
		const struct iomem_entry *e = &sys.iomem.e[i];

		if (e->depth == 0 && !strcmp(e->name, "System RAM") && o->nsysram < 256)
			o->sysram[o->nsysram++] = (struct iv){ e->start, e->end + 1 };
		if (!strcmp(e->name, "Crash kernel")) {
			bad_add(o, e->start, e->end + 1);
			if (o->ncrash < 8)
				o->crash[o->ncrash++] = (struct iv){ e->start, e->end + 1 };
		}
	}
	bad_add(o, 0, MIB);
	for (size_t i = 0; i < sys.efi.map.n; i++)
		bad_add(o, sys.efi.map.desc[i].phys_addr, sys.efi.map.desc[i].phys_addr + (sys.efi.map.desc[i].num_pages << 12));
	for (size_t i = 0; blobs && i < sys.blobs.n; i++)
		bad_add(o, sys.blobs.b[i].start, sys.blobs.b[i].end);
	if (kc) {
		for (size_t i = 0; i < kc->navoid; i++)
			bad_add(o, kc->avoid[i].start, kc->avoid[i].end);
		if (kc->mem_limit != UINT64_MAX)
			bad_add(o, kc->mem_limit, UINT64_MAX);
	}
}

static bool oracle_free(const struct oracle *o, uint64_t a, uint64_t b)
{
	if (o->crash_only)
		return covered(o->crash, o->ncrash, a, b);
	return covered(o->ram, o->nram, a, b) && covered(o->sysram, o->nsysram, a, b) && !hits(o->bad, o->nbad, a, b);
}

/* Every valid kernel slot in address order. */
static size_t oracle_slots(const struct oracle *o, uint64_t size, uint64_t align, uint64_t min,
			   uint64_t *out, size_t max)
{
	uint64_t top = 0;
	size_t n = 0;

	for (size_t i = 0; i < o->nram; i++)
		if (o->ram[i].b > top)
			top = o->ram[i].b;
	for (uint64_t a = (min + align - 1) / align * align; a + size <= top && a + size <= KASLR_MAX_END; a += align)
		if (oracle_free(o, a, a + size) && n < max)
			out[n++] = a;
	return n;
}

static uint64_t slot_size(void)
{
	return (DEBIAN_INIT_SIZE + 4095ull) & ~4095ull;
}

/* The candidate set bzimage64_plan uses for -l. */
static void candidates(struct range_set *fr, const struct kaslr_cmdline *kc, bool blobs)
{
	CHECK(loader_free_ram(&sys, fr, &err) == 0);
	CHECK(kaslr_exclude(fr, blobs ? &sys.blobs : NULL, kc) == 0);
}

/* -------------------------------------------------------------- the tests */

TEST(efi_line_parsed_with_extents)
{
	struct fw_blobs b;
	const struct fw_blob *x;

	CHECK(esd_parse_fw_blobs("efi: SMBIOS=0x3f520000 ACPI=0x3f77d000 ACPI 2.0=0x3f77d014 MEMATTR=0x3ca57018 INITRD=0x3ca58f18 FOO=0x40001000",
				 "t", &b, &err) == 0);
	CHECK(b.n == 6);
	x = esd_fw_blob_find(&b, "ACPI 2.0");
	CHECK(x && x->addr == 0x3f77d014 && x->start == 0x3f600000 && x->end == 0x3f800000);
	x = esd_fw_blob_find(&b, "SMBIOS");
	CHECK(x && x->start == 0x3f400000 && x->end == 0x3f600000);
	/* MEMATTR: header + entries of unknown count: one more 2 MiB block */
	x = esd_fw_blob_find(&b, "MEMATTR");
	CHECK(x && x->start == 0x3ca00000 && x->end == 0x3ce00000);
	x = esd_fw_blob_find(&b, "INITRD");
	CHECK(x && x->addr == 0x3ca58f18 && x->start == 0x3ca00000 && x->end == 0x3cc00000);
	/* an unknown table: a page, widened, plus a block */
	x = esd_fw_blob_find(&b, "FOO");
	CHECK(x && x->start == 0x40000000 && x->end == 0x40400000);
	/* a table that straddles a block boundary covers both blocks */
	CHECK(esd_parse_fw_blobs("efi: ACPI 2.0=0x3f7ffff0", "t", &b, &err) == 0);
	CHECK(b.n == 1 && b.b[0].start == 0x3f600000 && b.b[0].end == 0x3fa00000);
	CHECK(esd_parse_fw_blobs("efi: ACPI=0xzz", "t", &b, &err) == -EINVAL);
	CHECK(esd_parse_fw_blobs("no such line", "t", &b, &err) == -EINVAL);
	/* kmsg-style and dmesg-style text */
	{
		char line[256];

		CHECK(esd_efi_line_find("[    0.000000] efi: EFI v2.70 by EDK II\n[    0.000000] efi: ACPI=0x1000 SMBIOS=0x2000 \n", line, sizeof(line)));
		CHECK(!strcmp(line, "efi: ACPI=0x1000 SMBIOS=0x2000"));
		CHECK(!esd_efi_line_find("efi: EFI v2.70 by EDK II\n", line, sizeof(line)));
	}
}

TEST(every_fixture_has_its_line)
{
	for (size_t f = 0; f < NFIX; f++) {
		if (!setup(fixtures[f]))
			continue;
		CHECK(sys.blobs_rc == 0);
		CHECK(esd_fw_blob_find(&sys.blobs, "MEMATTR") != NULL);
		CHECK(esd_fw_blob_find(&sys.blobs, "INITRD") != NULL);
	}
}

TEST(next_cmdline_limits)
{
	struct kaslr_cmdline c;

	CHECK(kaslr_parse_cmdline("console=ttyS0 mem=768M memmap=64M$0x20000000 crashkernel=128M@0x10000000 nokaslr", &c) == 0);
	CHECK(c.nokaslr);
	CHECK_EQ_U64(c.mem_limit, 768 * MIB);
	CHECK(c.navoid == 2);
	CHECK_EQ_U64(c.avoid[0].start, 0x20000000);
	CHECK_EQ_U64(c.avoid[0].end, 0x24000000);
	CHECK_EQ_U64(c.avoid[1].start, 0x10000000);
	CHECK_EQ_U64(c.avoid[1].end, 0x18000000);
	CHECK(kaslr_parse_cmdline("memmap=exactmap,640K@0,255M@0x1000000 memmap=512M crashkernel=512M-2G:64M,2G-:128M@16M mykaslr=1", &c) == 0);
	CHECK(!c.nokaslr && c.exactmap && c.nusable == 2);
	CHECK_EQ_U64(c.mem_limit, 512 * MIB);
	CHECK(c.navoid == 1 && c.avoid[0].start == 16 * MIB && c.avoid[0].end == 144 * MIB);
	CHECK(kaslr_parse_cmdline("nokaslrx crashkernel=256M crashkernel=1G,high", &c) == 0);
	CHECK(!c.nokaslr && c.navoid == 0 && c.mem_limit == UINT64_MAX);
	CHECK(c.off == NULL);
	CHECK(kaslr_parse_cmdline("movable_node", &c) == 0 && c.off && strstr(c.off, "movable_node"));
	CHECK(kaslr_parse_cmdline("kernelcore=mirror", &c) == 0 && c.off && strstr(c.off, "mirror"));
	CHECK(kaslr_parse_cmdline("hugepagesz=1G hugepages=4", &c) == 0 && c.off && strstr(c.off, "1G"));
	CHECK(kaslr_parse_cmdline("hugepagesz=2M hugepages=4 kernelcore=100M", &c) == 0 && c.off == NULL);
	{
		char many[64 * 24 + 64] = "console=ttyS0";

		for (int i = 0; i <= KASLR_MAX_MEMMAP; i++)
			snprintf(many + strlen(many), sizeof(many) - strlen(many), " memmap=4K$%dM", 100 + i);
		CHECK(kaslr_parse_cmdline(many, &c) == 0 && c.navoid == KASLR_MAX_MEMMAP && c.off && strstr(c.off, "too many"));
	}
}

/* The slot set equals the brute-force oracle, for the plain command line and
 * for each exclusion of the next command line; each exclusion changes it. */
TEST(slot_set_matches_oracle)
{
	static const char *const cmdlines[] = {
		"console=ttyS0", "mem=768M", "memmap=64M$0x20000000", "crashkernel=128M@0x10000000",
		"mem=900M memmap=16M#0x30000000 memmap=1M!0x8000000",
	};
	static uint64_t want[4096];
	uint64_t size = slot_size(), first_count = 0;

	for (size_t f = 0; f < NFIX; f++) {
		if (!setup(fixtures[f]))
			continue;
		for (size_t c = 0; c < sizeof(cmdlines) / sizeof(cmdlines[0]); c++) {
			struct kaslr_cmdline kc;
			struct oracle o;
			struct range_set fr;
			size_t nw;
			uint64_t n, a;
			bool same = true;

			CHECK(kaslr_parse_cmdline(cmdlines[c], &kc) == 0);
			candidates(&fr, &kc, true);
			oracle_build(&o, &kc, true);
			nw = oracle_slots(&o, size, img.kernel_alignment, img.pref_address, want, 4096);
			n = kaslr_count_slots(&fr, size, img.kernel_alignment, img.pref_address, KASLR_MAX_END);
			if (n != nw || nw <= 10)
				printf("# %s [%s]: %llu slots, oracle %zu\n", fixtures[f], cmdlines[c], (unsigned long long)n, nw);
			CHECK(n == nw);
			CHECK(nw > 10 || kc.mem_limit != UINT64_MAX);   /* the crash kernel's RAM is above 768M */
			for (size_t i = 0; i < nw && same; i++)
				same = kaslr_slot_addr(&fr, size, img.kernel_alignment, img.pref_address, KASLR_MAX_END, i, &a) == 0 &&
				       a == want[i];
			CHECK(same);
			CHECK(kaslr_slot_addr(&fr, size, img.kernel_alignment, img.pref_address, KASLR_MAX_END, nw, &a) == -ERANGE);
			for (size_t i = 0; i < nw; i++) {
				CHECK(want[i] % img.kernel_alignment == 0 && want[i] >= img.pref_address);
				if (kc.mem_limit != UINT64_MAX)
					CHECK(want[i] + size <= kc.mem_limit);
			}
			if (c == 0)
				first_count = nw;
			else if (f == 0)
				CHECK(nw < first_count);    /* the exclusion bites (1 GiB guest) */
			range_set_free(&fr);
		}
	}
	/* the blobs bite too: without them there are more slots (INITRD= is
	 * LOADER_DATA, not in the runtime map, on a boot without efi=debug) */
	if (setup("ovmf-q35-linux6.1-noefidebug")) {
		struct range_set a, b;

		candidates(&a, NULL, true);
		candidates(&b, NULL, false);
		CHECK(kaslr_count_slots(&a, 2 * MIB, 0x200000, 0x1000000, KASLR_MAX_END) <
		      kaslr_count_slots(&b, 2 * MIB, 0x200000, 0x1000000, KASLR_MAX_END));
		/* 4 GiB bound and alignment: nothing at or past the end */
		CHECK(kaslr_count_slots(&a, size, 0x200000, 0x1000000, 0x1000000 + size) <= 1);
		CHECK(kaslr_count_slots(&a, size, 3, 0x1000000, KASLR_MAX_END) == 0);    /* not a power of two */
		range_set_free(&a);
		range_set_free(&b);
	}
}

TEST(slots_stop_below_64_tib)
{
	struct range_set s;
	uint64_t a;

	range_set_init(&s);
	CHECK(range_set_add(&s, KASLR_MAX_END - 8 * MIB, KASLR_MAX_END + 64 * MIB) == 0);
	CHECK(kaslr_count_slots(&s, 2 * MIB, 2 * MIB, 0, UINT64_MAX) == 4);
	CHECK(kaslr_slot_addr(&s, 2 * MIB, 2 * MIB, 0, UINT64_MAX, 3, &a) == 0 && a == KASLR_MAX_END - 2 * MIB);
	range_set_free(&s);
}

/* A source that first returns values the sampler must reject. */
static int rng_script(void *ctx, uint64_t *v)
{
	int *calls = ctx;
	static const uint64_t vals[] = { UINT64_MAX, UINT64_MAX - 1, 5 };

	*v = vals[*calls < 2 ? *calls : 2];
	(*calls)++;
	return 0;
}

TEST(uniform_rejects_the_biased_tail)
{
	int calls = 0;
	struct kaslr_rng r = { rng_script, &calls };
	uint64_t x;

	/* 2^64 - 1 = 3 * 0x5555555555555555: UINT64_MAX itself is the tail */
	CHECK(kaslr_uniform(&r, 3, &x) == 0 && x == 2 && calls == 2);
	calls = 0;
	CHECK(kaslr_uniform(&r, 1, &x) == 0 && x == 0);
	CHECK(kaslr_uniform(&r, 0, &x) == -EINVAL);
}

static double chi2(const uint64_t *obs, uint64_t n, double expect)
{
	double c = 0;

	for (uint64_t i = 0; i < n; i++)
		c += ((double)obs[i] - expect) * ((double)obs[i] - expect) / expect;
	return c;
}

/* Seeded chi-square over the slot indices: draws_per_slot x n draws of
 * kaslr_pick, and as many of a picker that is uniform per range instead of
 * over all slots (the mistake the spec warns about). */
static void chi_run(const struct range_set *fr, uint64_t size, uint64_t seed0, double *c, double *cb,
		    double *bound)
{
	uint64_t n = kaslr_count_slots(fr, size, 0x200000, 0x1000000, KASLR_MAX_END), seed = seed0;
	struct kaslr_rng rng = { kaslr_rng_splitmix, &seed };
	uint64_t *obs = calloc(n, sizeof(*obs)), *obs_bad = calloc(n, sizeof(*obs_bad)), draws = 200 * n;

	for (uint64_t i = 0; i < draws; i++) {
		uint64_t a, idx, ns, r, k, base = 0, v;

		CHECK(kaslr_pick(fr, size, 0x200000, 0x1000000, KASLR_MAX_END, &rng, &a, &idx, &ns) == 0 && ns == n);
		obs[idx]++;
		do {
			kaslr_rng_splitmix(&seed, &v);
			r = v % fr->n;
			k = 0;
			base = 0;
			for (size_t j = 0; j < fr->n; j++) {
				struct range_set one = { &fr->r[j], 1, 1 };
				uint64_t cnt = kaslr_count_slots(&one, size, 0x200000, 0x1000000, KASLR_MAX_END);

				if (j < r)
					base += cnt;
				else if (j == r)
					k = cnt;
			}
		} while (!k);
		kaslr_rng_splitmix(&seed, &v);
		obs_bad[base + v % k]++;
	}
	/* about 6 standard deviations above the mean of chi2(df) */
	*bound = (double)(n - 1) + 6.0 * sqrt(2.0 * (double)(n - 1));
	*c = chi2(obs, n, 200.0);
	*cb = chi2(obs_bad, n, 200.0);
	printf("# %llu slots in %zu ranges, %llu draws: chi2 %.1f, bound %.1f, per-range picker %.1f\n",
	       (unsigned long long)n, fr->n, (unsigned long long)draws, *c, *bound, *cb);
	free(obs);
	free(obs_bad);
}

TEST(pick_is_uniform_over_all_slots)
{
	struct range_set fr;
	uint64_t size = slot_size();
	double c, cb, bound;

	if (!setup("ovmf-q35-linux6.1"))
		return;
	candidates(&fr, NULL, true);
	CHECK(kaslr_count_slots(&fr, size, 0x200000, 0x1000000, KASLR_MAX_END) > 100);
	chi_run(&fr, size, 0x6b61736c72ull, &c, &cb, &bound);
	CHECK(c < bound);
	range_set_free(&fr);
	/* Uneven ranges (5, 400 and 40 slots): the per-range picker fails the
	 * bound that ours passes, so the test can tell. */
	range_set_init(&fr);
	CHECK(range_set_add(&fr, 16 * MIB, 16 * MIB + size + 4 * 2 * MIB) == 0);
	CHECK(range_set_add(&fr, 1024 * MIB, 1024 * MIB + size + 399 * 2 * MIB) == 0);
	CHECK(range_set_add(&fr, 8192 * MIB, 8192 * MIB + size + 39 * 2 * MIB) == 0);
	range_set_normalize(&fr);
	chi_run(&fr, size, 12345, &c, &cb, &bound);
	CHECK(c < bound);
	CHECK(cb > bound);
	range_set_free(&fr);
}

static void check_plan_against(const struct plan *p, const struct oracle *o, bool *good)
{
	for (size_t i = 0; i < p->nseg; i++) {
		const struct plan_segment *s = &p->seg[i];

		if (!oracle_free(o, s->mem, s->mem + s->memsz) || (o->crash_only && hits(o->bad, o->nbad, s->mem, s->mem + s->memsz))) {
			if (*good)
				printf("# segment %s [0x%llx, +0x%llx) on an excluded range\n", s->role,
				       (unsigned long long)s->mem, (unsigned long long)s->memsz);
			*good = false;
		}
		for (size_t j = i + 1; j < p->nseg; j++)
			if (s->mem < p->seg[j].mem + p->seg[j].memsz && p->seg[j].mem < s->mem + s->memsz)
				*good = false;
	}
}

/* 10,000 seeded plans per fixture, in process: every segment in free RAM,
 * off every excluded range, segments disjoint, the kernel on a valid slot;
 * nearly every slot is used. */
TEST(ten_thousand_plans_per_fixture)
{
	static uint64_t slots[4096];
	static uint8_t used[4096];

	for (size_t f = 0; f < NFIX; f++) {
		struct oracle o;
		struct load_request rq;
		struct plan p;
		uint64_t seed = 1000 + f, distinct = 0;
		struct kaslr_rng rng = { kaslr_rng_splitmix, &seed };
		size_t ns;
		bool good = true, on_slot = true, counted = true;

		if (!setup(fixtures[f]))
			continue;
		oracle_build(&o, NULL, true);
		ns = oracle_slots(&o, slot_size(), 0x200000, 0x1000000, slots, 4096);
		memset(used, 0, sizeof(used));
		request(&rq, "console=ttyS0", &rng);
		for (int i = 0; i < 10000 && good; i++) {
			size_t lo = 0, hi = ns;

			if (bzimage64_plan(&rq, &p, &err) < 0) {
				printf("# %s: %s: %s\n", fixtures[f], err.where, err.msg);
				good = false;
				break;
			}
			check_plan_against(&p, &o, &good);
			if (strcmp(p.kaslr, "random") || p.kaslr_slots != ns)
				counted = false;
			while (lo < hi) {   /* the kernel's address is one of the oracle's slots */
				size_t mid = (lo + hi) / 2;

				if (slots[mid] < p.kernel_load)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == ns || slots[lo] != p.kernel_load)
				on_slot = false;
			else if (!used[lo]++)
				distinct++;
			plan_free(&p);
		}
		printf("# %s: %zu slots, %llu used by 10000 plans\n", fixtures[f], ns, (unsigned long long)distinct);
		CHECK(good);
		CHECK(on_slot);
		CHECK(counted);
		CHECK(distinct * 10 >= ns * 9);
	}
}

/* kdump: 10,000 seeded -p plans; everything inside the crash region. */
TEST(ten_thousand_crash_plans_stay_in_the_region)
{
	struct crash_plan cp;
	struct crash_opts co = { .efi_handed_over = true };
	struct oracle o;
	struct load_request rq;
	struct plan p;
	uint64_t seed = 77, first = 0;
	struct kaslr_rng rng = { kaslr_rng_splitmix, &seed };
	bool good = true, varied = false;

	if (!setup("ovmf-q35-linux6.1-crashkernel-kdump"))
		return;
	CHECK(crash_plan_build(&sys, &co, &cp, &err) == 0);
	oracle_build(&o, NULL, true);
	o.crash_only = true;
	/* inside the crash region, and still off the blobs and runtime regions */
	o.nbad = 0;
	for (size_t i = 0; i < sys.efi.map.n; i++)
		bad_add(&o, sys.efi.map.desc[i].phys_addr, sys.efi.map.desc[i].phys_addr + (sys.efi.map.desc[i].num_pages << 12));
	for (size_t i = 0; i < sys.blobs.n; i++)
		bad_add(&o, sys.blobs.b[i].start, sys.blobs.b[i].end);
	request(&rq, "console=ttyS0 irqpoll", &rng);
	rq.crash = &cp;
	for (int i = 0; i < 10000 && good; i++) {
		if (bzimage64_plan(&rq, &p, &err) < 0) {
			printf("# %s: %s\n", err.where, err.msg);
			good = false;
			break;
		}
		check_plan_against(&p, &o, &good);
		if (strcmp(p.kaslr, "random"))
			good = false;
		if (!i)
			first = p.kernel_load;
		else if (p.kernel_load != first)
			varied = true;
		plan_free(&p);
	}
	CHECK(good);
	CHECK(varied);
	crash_plan_free(&cp);
}

/* nokaslr, a NULL source (--no-kaslr) and the plain plan without a source
 * give one address; seeds give several. */
TEST(nokaslr_is_deterministic)
{
	struct load_request rq;
	struct plan p;
	uint64_t seed = 1, a[6], det;
	struct kaslr_rng rng = { kaslr_rng_splitmix, &seed };
	int distinct = 0;

	if (!setup("ovmf-q35-linux6.1-noefidebug"))
		return;
	request(&rq, "console=ttyS0 nokaslr", &rng);
	for (int i = 0; i < 2; i++) {
		seed = (uint64_t)i * 12345;
		CHECK(bzimage64_plan(&rq, &p, &err) == 0);
		a[i] = p.kernel_load;
		CHECK_STR_CONTAINS(p.kaslr, "nokaslr");
		CHECK(p.kaslr_slots == 0);
		plan_free(&p);
	}
	CHECK(a[0] == a[1]);
	det = a[0];
	request(&rq, "console=ttyS0", NULL);
	rq.kaslr_off = "off (--no-kaslr)";
	CHECK(bzimage64_plan(&rq, &p, &err) == 0);
	CHECK(p.kernel_load == a[0]);
	CHECK_STR_CONTAINS(p.kaslr, "--no-kaslr");
	plan_free(&p);
	request(&rq, "console=ttyS0", &rng);
	for (int i = 0; i < 6; i++) {
		seed = 99 + (uint64_t)i;
		CHECK(bzimage64_plan(&rq, &p, &err) == 0);
		a[i] = p.kernel_load;
		plan_free(&p);
		distinct++;
		for (int j = 0; j < i; j++)
			if (a[j] == a[i]) {
				distinct--;
				break;
			}
	}
	CHECK(distinct >= 5);
	request(&rq, "console=ttyS0 movable_node", &rng);
	CHECK(bzimage64_plan(&rq, &p, &err) == 0);
	CHECK_STR_CONTAINS(p.kaslr, "movable_node");
	CHECK(p.kernel_load == det && p.kaslr_slots == 0);
	plan_free(&p);
	request(&rq, "console=ttyS0", &rng);
	/* no config-table line on an EFI system: deterministic, and said why */
	sys.blobs_rc = -ENOENT;
	CHECK(bzimage64_plan(&rq, &p, &err) == 0);
	CHECK_STR_CONTAINS(p.kaslr, "efi: config-table line");
	CHECK(p.kaslr_slots == 0);   /* the blobs are unknown: the top-down slot may differ */
	plan_free(&p);
}

/* The hand-off does not change with the slot: the same descriptors (the
 * running runtime map, never Conventional 7 or Unaccepted 15), the same
 * efi_info and SETUP_EFI payload as the deterministic plan. */
TEST(handoff_byte_identical)
{
	struct load_request rq;
	struct plan det, rnd;
	uint64_t seed = 4242;
	struct kaslr_rng rng = { kaslr_rng_splitmix, &seed };
	uint8_t want[300 * 40];
	size_t len = h.n * 40;

	if (!setup("ovmf-q35-linux6.1"))
		return;
	len = h.n * 40;
	CHECK(len <= sizeof(want));
	CHECK(esd_memmap_serialize(h.desc, h.n, want, sizeof(want)) >= 0);
	request(&rq, "console=ttyS0", NULL);
	CHECK(bzimage64_plan(&rq, &det, &err) == 0);
	request(&rq, "console=ttyS0", &rng);
	CHECK(bzimage64_plan(&rq, &rnd, &err) == 0);
	CHECK(det.kernel_load != rnd.kernel_load);
	CHECK(h.n == sys.efi.map.n);
	for (int k = 0; k < 2; k++) {
		const struct plan *p = k ? &rnd : &det;
		const uint8_t *map = p->bp_seg + (p->memmap_addr - p->bp_addr);
		const uint8_t *node = p->bp_seg + (p->setup_efi_addr - p->bp_addr);

		CHECK(p->memmap_addr > p->bp_addr && p->memmap_addr + len <= p->bp_addr + p->bp_seg_len);
		CHECK(memcmp(map, want, len) == 0);
		for (size_t i = 0; i < h.n; i++)
			CHECK(get_le32(map + i * 40) != 7 && get_le32(map + i * 40) != 15);
		CHECK(get_le32(p->bp_seg + EI_MEMMAP_SIZE) == len);
		/* SETUP_EFI payload (after the 16-byte header) */
		CHECK(memcmp(node + 16, k ? det.bp_seg + (det.setup_efi_addr - det.bp_addr) + 16 : node + 16, 96) == 0);
	}
	/* efi_info: all but the memmap address are equal */
	CHECK(memcmp(det.bp_seg + BP_EFI_INFO, rnd.bp_seg + BP_EFI_INFO, 16) == 0);
	CHECK(get_le32(det.bp_seg + EI_MEMMAP_SIZE) == get_le32(rnd.bp_seg + EI_MEMMAP_SIZE));
	plan_free(&det);
	plan_free(&rnd);
}

TEST_MAIN
