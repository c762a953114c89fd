/* The kexec_load plan on the real OVMF captures with a synthetic bzImage:
 * every byte that matters in boot_params, the setup_data chain, the
 * descriptor array, the purgatory parameters, and where segments go. */
#include <errno.h>
#include <zlib.h>

#include "cmdline.h"
#include "crashdump.h"
#include "fileload.h"
#include "load.h"
#include "mkbzimage.h"
#include "policy.h"
#include "purgatory-abi.h"
#include "purgatory/purgatory-blob.h"
#include "ranges.h"
#include "digest.h"
#include "test.h"

static struct esd_system sys;
static struct esd_handoff h;
static struct esd_image img;
static uint8_t kernel[MKBZ_LEN];
static uint8_t initrd[3 * 4096 + 100];
static uint8_t seed[32];
static struct plan plan;
static struct load_request rq;
static struct kx_err err;

static void setup(const char *fixture, bool efi)
{
	char dir[4096];
	const char *top = getenv("top_srcdir");

	esd_system_free(&sys);
	esd_handoff_free(&h);
	plan_free(&plan);
	memset(&err, 0, sizeof(err));
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", top ? top : ".", fixture);
	if (esd_system_read(dir, &sys, &err) < 0 || esd_handoff_build(&sys, &h, &err) < 0) {
		printf("# %s: %s\n", err.where, err.msg);
		exit(1);
	}
	mkbzimage(kernel, 0);
	memset(initrd, 0xA5, sizeof(initrd));
	memset(seed, 0x5A, sizeof(seed));
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	memset(&rq, 0, sizeof(rq));
	rq.kernel = kernel;
	rq.kernel_len = sizeof(kernel);
	rq.kernel_name = "bzImage";
	rq.initrd = initrd;
	rq.initrd_len = sizeof(initrd);
	rq.cmdline = "console=ttyS0,115200 panic=1";
	rq.sys = &sys;
	rq.image = &img;
	rq.handoff = efi ? &h : NULL;
	rq.mem_max = UINT64_MAX;
	rq.efi_check = true;
	rq.serial_port = 0x3f8;
	rq.rng_seed = seed;
}

static const struct plan_segment *seg(const char *role)
{
	for (size_t i = 0; i < plan.nseg; i++)
		if (!strcmp(plan.seg[i].role, role))
			return &plan.seg[i];
	return NULL;
}

static const uint8_t *at(uint64_t phys, size_t len)
{
	for (size_t i = 0; i < plan.nseg; i++)
		if (phys >= plan.seg[i].mem && phys + len <= plan.seg[i].mem + plan.seg[i].bufsz)
			return (const uint8_t *)plan.seg[i].buf + (phys - plan.seg[i].mem);
	return NULL;
}

TEST(segments_avoid_every_runtime_region)
{
	setup("ovmf-q35-linux6.1", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	CHECK(plan.nseg == 4);
	for (size_t i = 0; i < plan.nseg; i++) {
		CHECK((plan.seg[i].mem & 4095) == 0 && (plan.seg[i].memsz & 4095) == 0);
		CHECK(plan.seg[i].memsz >= plan.seg[i].bufsz);
		for (size_t j = 0; j < sys.efi.map.n; j++) {
			const struct efi_desc *d = &sys.efi.map.desc[j];

			CHECK(!ranges_overlap(plan.seg[i].mem, plan.seg[i].mem + plan.seg[i].memsz, d->phys_addr,
					      d->phys_addr + (d->num_pages << 12)));
		}
		for (size_t j = i + 1; j < plan.nseg; j++)
			CHECK(!ranges_overlap(plan.seg[i].mem, plan.seg[i].mem + plan.seg[i].memsz, plan.seg[j].mem,
					      plan.seg[j].mem + plan.seg[j].memsz));
	}
}

TEST(kernel_and_initrd_placement)
{
	const struct plan_segment *k, *i;

	setup("ovmf-q35-linux6.1-noefidebug", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	k = seg("kernel");
	i = seg("initrd");
	CHECK(k && i);
	CHECK(k->mem % 0x200000 == 0);
	CHECK(k->mem >= 0x1000000);
	CHECK(k->memsz >= 0x1000000);                    /* init_size reserved */
	CHECK_EQ_U64(k->bufsz, MKBZ_LEN - (MKBZ_SETUP_SECTS + 1) * 512);
	CHECK(!memcmp(k->buf, kernel + (MKBZ_SETUP_SECTS + 1) * 512, 16));
	CHECK(i->mem + i->bufsz - 1 <= 0x7fffffff);
	CHECK(plan.kernel_load == k->mem);
}

/* initrd_addr_max is honoured even by a kernel that could take the initrd
 * above 4 GiB; beyond it only when nothing fits below and the kernel says
 * XLF_CAN_BE_LOADED_ABOVE_4G. */
TEST(initrd_under_initrd_addr_max)
{
	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le32(kernel + HDR_INITRD_ADDR_MAX, 0x3000000 - 1);
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	CHECK(seg("initrd") && seg("initrd")->mem + seg("initrd")->memsz <= 0x3000000);

	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le32(kernel + HDR_INITRD_ADDR_MAX, 0x100fff);       /* no room under it */
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);            /* may go above: XLF says so */
	CHECK(seg("initrd") && seg("initrd")->mem > 0x100fff);

	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le32(kernel + HDR_INITRD_ADDR_MAX, 0x100fff);
	put_le16(kernel + HDR_XLOADFLAGS, XLF_KERNEL_64 | XLF_EFI_KEXEC);
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOSPC);
	CHECK_STR_CONTAINS(err.where, "initrd");
	CHECK(plan.nseg == 0);
}

TEST(boot_params_bytes)
{
	const uint8_t *bp;
	struct bp_decoded d;

	setup("ovmf-q35-linux6.1-noefidebug", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	bp = seg("boot_params")->buf;
	CHECK(esd_boot_params_decode(bp, BP_SIZE, "bp", &d, &err) == 0);
	CHECK(bp[BP_SENTINEL] == 0);
	CHECK(bp[HDR_TYPE_OF_LOADER] == LOADER_TYPE_KEXEC);
	/* The header [0x1F1, 0x268) is the image's, except what the loader sets. */
	for (unsigned o = BP_HDR; o < 0x268; o++) {
		bool ours = o == HDR_TYPE_OF_LOADER || (o >= HDR_RAMDISK_IMAGE && o < HDR_RAMDISK_SIZE + 4) ||
			    (o >= HDR_CMD_LINE_PTR && o < HDR_CMD_LINE_PTR + 4) ||
			    (o >= HDR_HARDWARE_SUBARCH && o < HDR_HARDWARE_SUBARCH + 4) ||
			    (o >= HDR_SETUP_DATA && o < HDR_SETUP_DATA + 8);

		if (!ours && bp[o] != kernel[o]) {
			printf("# header byte 0x%x: 0x%02x, image has 0x%02x\n", o, bp[o], kernel[o]);
			CHECK(bp[o] == kernel[o]);
		}
	}
	CHECK(!memcmp(bp + HDR_HARDWARE_SUBARCH, sys.bp.data + HDR_HARDWARE_SUBARCH, 4));
	for (unsigned o = 0x268; o < HDR_END_MAX; o++)      /* nothing past the header's end */
		CHECK(bp[o] == 0);
	CHECK(bp[HDR_LOADFLAGS] == kernel[HDR_LOADFLAGS]);
	CHECK_EQ_U64(get_le32(bp + HDR_HEADER), HDR_MAGIC);
	CHECK_EQ_U64(d.cmdline_addr, plan.cmdline_addr);
	CHECK(at(plan.cmdline_addr, 29) && !memcmp(at(plan.cmdline_addr, 29), "console=ttyS0,115200 panic=1 ", 29));
	CHECK_EQ_U64(d.ramdisk_addr, seg("initrd")->mem);
	CHECK_EQ_U64(d.ramdisk_len, sizeof(initrd));
	CHECK_EQ_U64(d.acpi_rsdp_addr, 0x3f77d014);
	CHECK_EQ_U64(d.e820_entries, sys.memmap.n);
	for (size_t i = 0; i < d.e820_entries; i++) {
		CHECK_EQ_U64(d.e820[i].addr, sys.memmap.e[i].start);
		CHECK_EQ_U64(d.e820[i].addr + d.e820[i].size - 1, sys.memmap.e[i].end);
	}
	CHECK_EQ_U64(d.efi.loader_signature, EFI64_LOADER_SIGNATURE);
	CHECK_EQ_U64(d.efi.systab, h.info.systab);
	CHECK_EQ_U64(d.efi.memdesc_size, 40);
	CHECK_EQ_U64(d.efi.memdesc_version, 1);
	CHECK_EQ_U64(d.efi.memmap, plan.memmap_addr);
	CHECK_EQ_U64(d.efi.memmap_size, sys.efi.map.n * 40);
	CHECK(bp[BP_SECURE_BOOT] == sys.bp.data[BP_SECURE_BOOT]);
}

TEST(setup_data_chain_and_descriptors)
{
	const uint8_t *bp, *n, *m;
	struct efi_setup_payload p;

	setup("ovmf-q35-linux6.1-noefidebug", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	bp = seg("boot_params")->buf;
	n = at(get_le64(bp + HDR_SETUP_DATA), 16 + 32);           /* RNG seed first */
	CHECK(n && get_le32(n + 8) == SETUP_RNG_SEED && get_le32(n + 12) == 32);
	CHECK(n && !memcmp(n + 16, seed, 32));
	CHECK_EQ_U64(get_le64(n), plan.setup_efi_addr);
	n = at(plan.setup_efi_addr, SETUP_EFI_NODE_SIZE);
	CHECK(n && get_le64(n) == 0 && get_le32(n + 8) == SETUP_EFI && get_le32(n + 12) == 96);
	CHECK(esd_setup_efi_decode(n + 16, 96, &p, &err) == 0);
	CHECK_EQ_U64(p.fw_vendor, sys.efi.fw_vendor);
	CHECK_EQ_U64(p.tables, sys.efi.config_table);
	CHECK_EQ_U64(p.runtime, sys.efi.runtime);
	CHECK_EQ_U64(p.smbios, 0x3f520000);
	m = at(plan.memmap_addr, sys.efi.map.n * 40);
	CHECK(m != NULL);
	for (size_t i = 0; m && i < sys.efi.map.n; i++) {
		const struct efi_desc *d = &sys.efi.map.desc[i];

		CHECK_EQ_U64(get_le32(m + i * 40), d->type);
		CHECK_EQ_U64(get_le64(m + i * 40 + 8), d->phys_addr);
		CHECK_EQ_U64(get_le64(m + i * 40 + 16), d->virt_addr);
		CHECK_EQ_U64(get_le64(m + i * 40 + 24), d->num_pages);
		CHECK_EQ_U64(get_le64(m + i * 40 + 32), d->attribute);
	}
}

TEST(purgatory_parameters)
{
	const struct purgatory_header *ph = (const void *)kx_purgatory_blob;
	const struct purgatory_params *pp;
	const struct plan_segment *pg;
	struct kx_digest_ctx c;
	uint8_t d[32];

	setup("ovmf-q35-linux6.1-noefidebug", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	pg = seg("purgatory");
	CHECK(pg && !pg->digest);
	pp = (const void *)((const uint8_t *)pg->buf + ph->params_offset);
	CHECK_EQ_U64(pp->magic, PURGATORY_MAGIC);
	CHECK_EQ_U64(plan.entry, pg->mem + ph->entry_offset);
	CHECK_EQ_U64(pp->entry_rip, seg("kernel")->mem + 0x200);
	CHECK_EQ_U64(pp->entry_rsi, seg("boot_params")->mem);
	CHECK_EQ_U64(pp->nregions, 3);
	CHECK_EQ_U64(pp->digest_algo, PURG_DIGEST_MIX64);     /* the default */
	CHECK(kx_digest_init(&c, pp->digest_algo, 0) == 0);
	for (uint32_t i = 0; i < pp->nregions; i++) {
		const uint8_t *b = at(pp->region[i].start, pp->region[i].len);

		CHECK(b != NULL);
		if (b)
			kx_digest_update(&c, b, pp->region[i].len);
	}
	kx_digest_final(&c, d);
	CHECK(!memcmp(d, pp->digest, 32));
	CHECK(pp->flags & PURG_F_EFI_CHECK);
	CHECK(pp->flags & PURG_F_SERIAL);
	CHECK_EQ_U64(pp->efi_systab, h.info.systab);
	CHECK_EQ_U64(pp->setup_efi_node, plan.setup_efi_addr);
	CHECK_EQ_U64(pp->mark_addr, plan.cmdline_addr + strlen(rq.cmdline));
	CHECK(pp->mark_len >= PURG_MARK_MIN_LEN);
}

/* --purgatory-digest=sha256: the loader's digest is SHA-256 of the regions,
 * whatever path (SHA extensions or C) computed it. */
TEST(purgatory_digest_sha256_selected)
{
	const struct purgatory_header *ph = (const void *)kx_purgatory_blob;
	const struct purgatory_params *pp;
	struct kx_sha256_ctx c;
	uint8_t d[32];

	setup("ovmf-q35-linux6.1-noefidebug", true);
	rq.digest_algo = KX_DIGEST_SHA256;
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	pp = (const void *)((const uint8_t *)seg("purgatory")->buf + ph->params_offset);
	CHECK_EQ_U64(pp->digest_algo, PURG_DIGEST_SHA256);
	kx_sha256_init(&c);
	for (uint32_t i = 0; i < pp->nregions; i++) {
		const uint8_t *b = at(pp->region[i].start, pp->region[i].len);

		CHECK(b != NULL);
		if (b)
			kx_sha256_update(&c, b, pp->region[i].len);
	}
	kx_sha256_final(&c, d);
	CHECK(!memcmp(d, pp->digest, 32));
	rq.digest_algo = 0;
}

/* defer_digest (what kexec does, so kexec_file_load never pays for it):
 * no digest until bzimage64_seal, then the same one. */
TEST(deferred_digest_is_sealed_later)
{
	const struct purgatory_header *ph = (const void *)kx_purgatory_blob;
	const struct purgatory_params *pp;
	uint8_t want[32], zero[32] = { 0 };

	setup("ovmf-q35-linux6.1-noefidebug", true);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	pp = (const void *)((const uint8_t *)seg("purgatory")->buf + ph->params_offset);
	memcpy(want, pp->digest, 32);
	CHECK(memcmp(want, zero, 32) != 0);
	setup("ovmf-q35-linux6.1-noefidebug", true);
	rq.defer_digest = true;
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	pp = (const void *)((const uint8_t *)seg("purgatory")->buf + ph->params_offset);
	CHECK(!memcmp(pp->digest, zero, 32));
	bzimage64_seal(&plan);
	CHECK(!memcmp(pp->digest, want, 32));
}

/* More than 128 e820 entries: the first 128 in boot_params, the rest in a
 * SETUP_E820_EXT node at the head of the chain (spec 1.4). */
TEST(e820_beyond_128_goes_to_setup_e820_ext)
{
	const uint8_t *bp, *n;
	struct fw_memmap_entry *e;
	size_t n0, extra = 150, next;
	uint64_t a;

	setup("ovmf-q35-linux6.1-noefidebug", true);
	n0 = sys.memmap.n;
	e = realloc(sys.memmap.e, (n0 + extra) * sizeof(*e));
	CHECK(e != NULL);
	if (!e)
		return;
	sys.memmap.e = e;
	for (size_t i = 0; i < extra; i++) {
		memset(&e[n0 + i], 0, sizeof(*e));
		e[n0 + i].start = 0x1000000000ull + i * 0x2000;
		e[n0 + i].end = e[n0 + i].start + 0xfff;
		e[n0 + i].e820_type = E820_TYPE_RESERVED;
		snprintf(e[n0 + i].type, sizeof(e[n0 + i].type), "Reserved");
	}
	sys.memmap.n = n0 + extra;
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	CHECK_EQ_U64(plan.ne820, n0 + extra);
	bp = seg("boot_params")->buf;
	CHECK(bp[BP_E820_ENTRIES] == BP_E820_MAX);
	a = get_le64(bp + BP_E820_TABLE + 127 * E820_ENTRY_SIZE);
	CHECK_EQ_U64(a, e[127].start);
	next = n0 + extra - BP_E820_MAX;
	n = at(get_le64(bp + HDR_SETUP_DATA), 16 + next * E820_ENTRY_SIZE);
	CHECK(n && get_le32(n + 8) == SETUP_E820_EXT);
	CHECK(n && get_le32(n + 12) == next * E820_ENTRY_SIZE);
	for (size_t i = 0; n && i < next; i++) {
		const uint8_t *x = n + 16 + i * E820_ENTRY_SIZE;

		CHECK_EQ_U64(get_le64(x), e[BP_E820_MAX + i].start);
		CHECK_EQ_U64(get_le64(x + 8), e[BP_E820_MAX + i].end - e[BP_E820_MAX + i].start + 1);
		CHECK_EQ_U64(get_le32(x + 16), e[BP_E820_MAX + i].e820_type);
	}
	/* ... then the RNG seed and SETUP_EFI, as without the extension */
	n = n ? at(get_le64(n), 16 + 32) : NULL;
	CHECK(n && get_le32(n + 8) == SETUP_RNG_SEED);
	CHECK(n && get_le64(n) == plan.setup_efi_addr);
}

TEST(no_handoff_means_no_efi_at_all)
{
	const uint8_t *bp, *n;

	setup("ovmf-q35-linux6.1-noefidebug", false);
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	bp = seg("boot_params")->buf;
	for (unsigned i = 0; i < EFI_INFO_SIZE; i++)
		CHECK(bp[BP_EFI_INFO + i] == 0);
	CHECK_EQ_U64(get_le64(bp + BP_ACPI_RSDP_ADDR), 0x3f77d014);
	n = at(get_le64(bp + HDR_SETUP_DATA), 16);
	CHECK(n && get_le32(n + 8) == SETUP_RNG_SEED && get_le64(n) == 0);
	CHECK(plan.setup_efi_addr == 0);
}

TEST(hostile_images_are_refused_naming_the_field)
{
	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le32(kernel + HDR_KERNEL_ALIGNMENT, 0x300000);
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOEXEC);
	CHECK_STR_CONTAINS(err.msg, "kernel_alignment 0x300000");
	CHECK(plan.nseg == 0);

	setup("ovmf-q35-linux6.1-noefidebug", true);
	kernel[HDR_SETUP_SECTS] = 200;                  /* setup past the end */
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOEXEC);
	CHECK_STR_CONTAINS(err.msg, "setup_sects 200");

	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le16(kernel + HDR_XLOADFLAGS, 0);
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOEXEC);
	CHECK_STR_CONTAINS(err.msg, "XLF_KERNEL_64");

	setup("ovmf-q35-linux6.1-noefidebug", true);
	put_le16(kernel + HDR_VERSION, 0x0209);
	CHECK(esd_image_parse(kernel, sizeof(kernel), "bzImage", &img, &err) == 0);
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOEXEC);
	CHECK_STR_CONTAINS(err.msg, "older than 2.12");
}

TEST(cmdline_too_long)
{
	static char big[3000];

	setup("ovmf-q35-linux6.1-noefidebug", true);
	memset(big, 'a', sizeof(big) - 1);
	rq.cmdline = big;
	CHECK(bzimage64_plan(&rq, &plan, &err) == -E2BIG);
	CHECK_STR_CONTAINS(err.msg, "cmdline_size 2047");
}

TEST(mem_max_is_honoured)
{
	setup("ovmf-q35-linux6.1-noefidebug", true);
	rq.mem_max = 0x20000000 - 1;
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	for (size_t i = 0; i < plan.nseg; i++)
		CHECK(plan.seg[i].mem + plan.seg[i].memsz <= 0x20000000);
	plan_free(&plan);
	rq.mem_max = 0x1100000;        /* too little room for a 16 MiB kernel */
	CHECK(bzimage64_plan(&rq, &plan, &err) == -ENOSPC);
	CHECK_STR_CONTAINS(err.where, "kernel");
}

TEST(crash_segments_stay_in_the_reservation)
{
	struct crash_plan cp;
	struct crash_opts co = { .efi_handed_over = true };
	uint64_t lo, hi;

	setup("ovmf-q35-linux6.1-crashkernel-kdump", true);
	CHECK(crash_plan_build(&sys, &co, &cp, &err) == 0);
	rq.crash = &cp;
	lo = cp.region[cp.main_region].start;
	hi = lo + cp.region[cp.main_region].size;
	CHECK(bzimage64_plan(&rq, &plan, &err) == 0);
	CHECK(plan.flags & KEXEC_ON_CRASH);
	CHECK(seg("elfcorehdr") != NULL);
	for (size_t i = 0; i < plan.nseg; i++)
		CHECK(plan.seg[i].mem >= lo && plan.seg[i].mem + plan.seg[i].memsz <= hi);
	crash_plan_free(&cp);
}

TEST(policy_matrix)
{
	struct esd_findings none = { 0 }, fatal = { 0 };
	enum efi_verify_mode m;

	fatal.n_fatal = 1;
	CHECK(policy_decide(EFI_VERIFY_STRICT, &none) == POLICY_HAND_OFF);
	CHECK(policy_decide(EFI_VERIFY_STRICT, &fatal) == POLICY_REFUSE);
	CHECK(policy_decide(EFI_VERIFY_FALLBACK, &fatal) == POLICY_DROP_EFI);
	CHECK(policy_decide(EFI_VERIFY_DEFAULT, &fatal) == POLICY_DROP_EFI);
	CHECK(policy_decide(EFI_VERIFY_WARN, &fatal) == POLICY_HAND_OFF);
	CHECK(efi_verify_mode_parse(NULL, &m) == 0 && m == EFI_VERIFY_STRICT);
	CHECK(efi_verify_mode_parse("warn", &m) == 0 && m == EFI_VERIFY_WARN);
	CHECK(efi_verify_mode_parse("bogus", &m) == -EINVAL);
}

TEST(cmdline_helpers)
{
	char s[256] = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 initrd=initrd crashkernel=256M quiet kexec_efi.purgatory=ok";
	uint16_t port;
	uint32_t baud;

	cmdline_reuse_filter(s, false);
	CHECK(!strcmp(s, "root=/dev/sda1 crashkernel=256M quiet"));
	cmdline_reuse_filter(s, true);
	CHECK(!strcmp(s, "root=/dev/sda1 quiet"));
	cmdline_serial("quiet console=tty0 console=ttyS1,57600", &port, &baud);
	CHECK(port == 0x2f8 && baud == 57600);
	cmdline_serial("console=uart,io,0x3f8,115200", &port, &baud);
	CHECK(port == 0x3f8 && baud == 115200);
	cmdline_serial("quiet", &port, &baud);
	CHECK(port == 0);
	CHECK(cmdline_has_word("a nokaslr b", "nokaslr") && !cmdline_has_word("a xnokaslr", "nokaslr"));
}

TEST(ranges)
{
	struct range_set s;
	uint64_t a;

	range_set_init(&s);
	CHECK(range_set_add(&s, 0x100000, 0x1000000) == 0);
	CHECK(range_set_subtract(&s, 0x400000, 0x500000) == 0);
	CHECK(s.n == 2);
	CHECK(range_set_find(&s, 0x200000, 0x200000, 0, UINT64_MAX, true, &a) == 0 && a == 0xe00000);
	CHECK(range_set_find(&s, 0x200000, 0x200000, 0, UINT64_MAX, false, &a) == 0 && a == 0x200000);
	CHECK(range_set_find(&s, 0x1000000, 4096, 0, UINT64_MAX, true, &a) == -ENOSPC);
	CHECK(range_set_contains(&s, 0x500000, 0x600000) && !range_set_contains(&s, 0x3ff000, 0x401000));
	range_set_free(&s);
}

TEST(gzip_kernel_file_is_decompressed)
{
	uint8_t out[MKBZ_LEN + 1024], *d = NULL;
	size_t dl = 0;
	const char *fmt;
	z_stream z;

	mkbzimage(kernel, 0);
	memset(&z, 0, sizeof(z));
	CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	z.next_in = kernel;
	z.avail_in = sizeof(kernel);
	z.next_out = out;
	z.avail_out = sizeof(out);
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
	CHECK(decompress(out, z.total_out, "k.gz", 1u << 20, &d, &dl, &fmt, &err) == 0);
	CHECK(dl == sizeof(kernel) && !memcmp(d, kernel, dl) && !strcmp(fmt, "gzip"));
	free(d);
	/* truncated stream: an error naming the file, no output */
	CHECK(decompress(out, z.total_out / 2, "k.gz", 1u << 20, &d, &dl, &fmt, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "k.gz");
	deflateEnd(&z);
	CHECK(decompress(kernel, sizeof(kernel), "plain", 1u << 20, &d, &dl, &fmt, &err) == -ENOENT);
}

TEST_MAIN
