/* The kexec_load plan for a real distribution kernel (a Debian vmlinuz) on
 * the OVMF captures: the header fields a real build has (init_size far
 * above the file size, XLF_EFI_KEXEC, a 2 MiB kernel_alignment) placed and
 * copied correctly, the setup_data chain read back by libesd's own walker,
 * and the rules passing on the plan.
 *
 * The kernel comes from $KEXEC_TEST_KERNEL, else the first /work/e2e-art/
 * vmlinuz*. Without one the whole program reports a TAP skip ("1..0 #
 * SKIP"), never a pass. */
#include <dirent.h>
#include <errno.h>

#include "fileload.h"
#include "load.h"
#include "policy.h"
#include "ranges.h"
#include "test.h"

static char kpath[4096];
static struct loaded_file kf;
static struct esd_system sys;
static struct esd_handoff h;
static struct esd_image img;
static struct plan plan;
static struct load_request rq;
static struct kx_err err;
static uint8_t initrd[5 * 4096 + 123];
static uint8_t seed[32];

static bool find_kernel(void)
{
	const char *env = getenv("KEXEC_TEST_KERNEL");
	struct dirent *de;
	DIR *d;

	if (env && *env) {
		snprintf(kpath, sizeof(kpath), "%s", env);
		return true;
	}
	d = opendir("/work/e2e-art");
	if (!d)
		return false;
	while ((de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, "vmlinuz", 7)) {
			snprintf(kpath, sizeof(kpath), "/work/e2e-art/%s", de->d_name);
			break;
		}
	closedir(d);
	return kpath[0] != 0;
}

static int plan_for(const char *fixture, bool efi)
{
	char dir[4096];
	const char *top = getenv("top_srcdir");

	esd_system_free(&sys);
	esd_handoff_free(&h);
	plan_free(&plan);
	memset(&err, 0, sizeof(err));
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", top ? top : ".", fixture);
	if (esd_system_read(dir, &sys, &err) < 0 || esd_handoff_build(&sys, &h, &err) < 0) {
		printf("# %s: %s: %s\n", fixture, err.where, err.msg);
		return -1;
	}
	memset(initrd, 0x3C, sizeof(initrd));
	memset(seed, 0xC3, sizeof(seed));
	memset(&rq, 0, sizeof(rq));
	rq.kernel = kf.data;
	rq.kernel_len = kf.len;
	rq.kernel_name = kpath;
	rq.initrd = initrd;
	rq.initrd_len = sizeof(initrd);
	rq.cmdline = "console=ttyS0,115200 root=/dev/vda quiet";
	rq.sys = &sys;
	rq.image = &img;
	rq.handoff = efi ? &h : NULL;
	rq.mem_max = UINT64_MAX;
	rq.efi_check = true;
	rq.rng_seed = seed;
	if (bzimage64_plan(&rq, &plan, &err) < 0) {
		printf("# plan: %s: %s\n", err.where, err.msg);
		return -1;
	}
	return 0;
}

static const struct plan_segment *seg(const char *role)
{
	for (size_t i = 0; i < plan.nseg; i++)
		if (!strcmp(plan.seg[i].role, role))
			return &plan.seg[i];
	return NULL;
}

/* esd_mem_read_fn over the planned segments. */
static int read_plan(void *ctx, uint64_t phys, void *buf, size_t len)
{
	const struct plan *p = ctx;

	for (size_t i = 0; i < p->nseg; i++)
		if (phys >= p->seg[i].mem && phys + len <= p->seg[i].mem + p->seg[i].bufsz &&
		    phys + len >= phys) {
			memcpy(buf, (const uint8_t *)p->seg[i].buf + (phys - p->seg[i].mem), len);
			return 0;
		}
	return -EFAULT;
}

TEST(real_header_is_a_64bit_efi_kexec_bzimage)
{
	CHECK(esd_image_parse(kf.data, kf.len, kpath, &img, &err) == 0);
	CHECK(img.header_magic == HDR_MAGIC);
	CHECK(img.version >= BOOT_PROTO_MIN_64);
	CHECK(img.xloadflags & XLF_KERNEL_64);
	CHECK(img.xloadflags & XLF_EFI_KEXEC);
	CHECK(img.init_size > kf.len - img.setup_size);      /* decompresses in place */
	printf("# %s: %s, protocol %u.%02u, xloadflags 0x%x, init_size 0x%x, alignment 0x%x\n", kpath,
	       img.kernel_version, img.version >> 8, img.version & 0xff, img.xloadflags, img.init_size,
	       img.kernel_alignment);
}

TEST(real_kernel_placement)
{
	const struct plan_segment *k, *i;

	CHECK(plan_for("ovmf-q35-linux6.1", true) == 0);
	k = seg("kernel");
	i = seg("initrd");
	CHECK(k && i);
	if (!k || !i)
		return;
	CHECK_EQ_U64(k->mem % img.kernel_alignment, 0);
	CHECK(k->mem >= img.pref_address);
	CHECK(k->memsz >= img.init_size);                    /* the whole run window is ours */
	CHECK_EQ_U64(k->bufsz, kf.len - img.setup_size);
	CHECK(!memcmp(k->buf, kf.data + img.setup_size, k->bufsz));
	CHECK(i->mem + i->memsz - 1 <= img.initrd_addr_max);   /* room below it on the capture */
	for (size_t a = 0; a < plan.nseg; a++) {
		CHECK((plan.seg[a].mem & 4095) == 0 && (plan.seg[a].memsz & 4095) == 0);
		for (size_t j = 0; j < sys.efi.map.n; j++) {
			const struct efi_desc *d = &sys.efi.map.desc[j];

			CHECK(!ranges_overlap(plan.seg[a].mem, plan.seg[a].mem + plan.seg[a].memsz, d->phys_addr,
					      d->phys_addr + (d->num_pages << 12)));
		}
		for (size_t b = a + 1; b < plan.nseg; b++)
			CHECK(!ranges_overlap(plan.seg[a].mem, plan.seg[a].mem + plan.seg[a].memsz,
					      plan.seg[b].mem, plan.seg[b].mem + plan.seg[b].memsz));
	}
}

TEST(real_kernel_boot_params)
{
	const uint8_t *bp;
	struct bp_decoded d;
	size_t hdr_end;

	CHECK(plan_for("ovmf-q35-linux6.1", true) == 0);
	if (!seg("boot_params"))
		return;
	bp = seg("boot_params")->buf;
	CHECK(esd_boot_params_decode(bp, BP_SIZE, "bp", &d, &err) == 0);
	CHECK(bp[BP_SENTINEL] == 0);
	CHECK(bp[HDR_TYPE_OF_LOADER] == LOADER_TYPE_KEXEC);
	hdr_end = 0x202u + kf.data[HDR_JUMP + 1];
	CHECK(hdr_end > HDR_INIT_SIZE && hdr_end <= HDR_END_MAX);
	/* the header the kernel reads back is its own */
	CHECK(!memcmp(bp + HDR_HEADER, kf.data + HDR_HEADER, HDR_TYPE_OF_LOADER - HDR_HEADER));
	CHECK(!memcmp(bp + HDR_INITRD_ADDR_MAX, kf.data + HDR_INITRD_ADDR_MAX, HDR_HARDWARE_SUBARCH - HDR_INITRD_ADDR_MAX));
	CHECK(!memcmp(bp + HDR_PREF_ADDRESS, kf.data + HDR_PREF_ADDRESS, hdr_end - HDR_PREF_ADDRESS));
	CHECK_EQ_U64(d.cmdline_addr, plan.cmdline_addr);
	CHECK_EQ_U64(d.ramdisk_addr, seg("initrd")->mem);
	CHECK_EQ_U64(d.ramdisk_len, sizeof(initrd));
	CHECK_EQ_U64(d.e820_entries, sys.memmap.n);
	for (size_t i = 0; i < d.e820_entries && i < sys.memmap.n; i++) {
		CHECK_EQ_U64(d.e820[i].addr, sys.memmap.e[i].start);
		CHECK_EQ_U64(d.e820[i].addr + d.e820[i].size - 1, sys.memmap.e[i].end);
		CHECK_EQ_U64(d.e820[i].type, sys.memmap.e[i].e820_type);
	}
	CHECK_EQ_U64(d.efi.loader_signature, EFI64_LOADER_SIGNATURE);
	CHECK_EQ_U64(d.efi.systab, h.info.systab);
	CHECK_EQ_U64(d.efi.memdesc_size, EFI_DESC_SIZE);
	CHECK_EQ_U64(d.efi.memmap, plan.memmap_addr);
	CHECK_EQ_U64(d.efi.memmap_size, sys.efi.map.n * EFI_DESC_SIZE);
	CHECK(d.acpi_rsdp_addr != 0);
}

TEST(real_kernel_setup_data_read_back)
{
	struct setup_data_chain c = { 0 };
	struct efi_setup_payload p;
	bool rng = false, efi = false;

	CHECK(plan_for("ovmf-q35-linux6.1", true) == 0);
	if (!seg("boot_params"))
		return;
	CHECK(esd_setup_data_walk(get_le64((const uint8_t *)seg("boot_params")->buf + HDR_SETUP_DATA), read_plan,
				  &plan, 16, &c, &err) == 0);
	for (size_t i = 0; i < c.n; i++) {
		if (c.node[i].type == SETUP_RNG_SEED) {
			rng = true;
			CHECK(c.node[i].len == 32 && !memcmp(c.node[i].data, seed, 32));
		}
		if (c.node[i].type == SETUP_EFI) {
			efi = true;
			CHECK_EQ_U64(c.node[i].addr, plan.setup_efi_addr);
			CHECK(esd_setup_efi_decode(c.node[i].data, c.node[i].len, &p, &err) == 0);
			CHECK_EQ_U64(p.fw_vendor, sys.efi.fw_vendor);
			CHECK_EQ_U64(p.runtime, sys.efi.runtime);
			CHECK_EQ_U64(p.tables, sys.efi.config_table);
		}
	}
	CHECK(rng && efi);
	esd_setup_data_chain_free(&c);
}

TEST(real_kernel_rules_pass_on_the_plan)
{
	struct esd_findings f = { 0 };

	CHECK(plan_for("ovmf-q35-linux6.1", true) == 0);
	CHECK(policy_run_rules(&sys, &img, &h, &plan, &f, &err) == 0);
	for (size_t i = 0; i < f.n; i++)
		printf("# %s %s: %s: %s\n", f.f[i].id, f.f[i].sev == ESD_FATAL ? "fatal" : "warn", f.f[i].where, f.f[i].msg);
	CHECK(f.n_fatal == 0);
	esd_findings_free(&f);
}

TEST(real_kernel_without_handoff_has_no_efi)
{
	const uint8_t *bp;

	CHECK(plan_for("ovmf-q35-linux6.1-noefidebug", false) == 0);
	if (!seg("boot_params"))
		return;
	bp = seg("boot_params")->buf;
	for (unsigned i = 0; i < EFI_INFO_SIZE; i++)
		CHECK(bp[BP_EFI_INFO + i] == 0);
	CHECK(plan.setup_efi_addr == 0);
	CHECK(get_le64(bp + BP_ACPI_RSDP_ADDR) != 0);
}

/* TEST_MAIN's main, run only when there is a kernel to test. */
int kx_test_main(int argc, char **argv);
#define main kx_test_main
TEST_MAIN
#undef main

int main(int argc, char **argv)
{
	int r;

	if (!find_kernel()) {
		printf("1..0 # SKIP no real kernel ($KEXEC_TEST_KERNEL or /work/e2e-art/vmlinuz*)\n");
		return 0;
	}
	if (file_load_kernel(kpath, &kf, &err) < 0) {
		printf("1..1\nnot ok 1 - load %s: %s: %s\n", kpath, err.where, err.msg);
		return 1;
	}
	if (esd_image_parse(kf.data, kf.len, kpath, &img, &err) < 0) {
		printf("1..1\nnot ok 1 - parse %s: %s: %s\n", kpath, err.where, err.msg);
		return 1;
	}
	r = kx_test_main(argc, argv);
	plan_free(&plan);
	esd_handoff_free(&h);
	esd_system_free(&sys);
	file_free(&kf);
	return r;
}
