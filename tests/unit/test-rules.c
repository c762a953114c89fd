/* Every rule of the table: the real OVMF capture passes it, a model broken
 * in one way fails it (spec section 8). Models start from the captured
 * first-kernel tree (normal boot) and one thing is changed. */
#include <errno.h>

#include "esd.h"
#include "test.h"

static struct esd_system sys;
static struct esd_handoff h;
static struct esd_image img;
static struct esd_plan_view pv;
static uint8_t bp[BP_SIZE];
static struct esd_segment seg[4];
static struct esd_e820 e820[64];
static struct esd_findings f;
static char fixdir[4096];
static size_t ne820;

/* A plan like the loader's for the 1 GiB guest. */
#define BP_ADDR   0x3fe6e000ull
#define MAP_ADDR  0x3fe6f100ull
#define EFI_NODE  0x3fe6f090ull

static int plan_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	(void)ctx;
	if (phys >= BP_ADDR && phys + len <= BP_ADDR + BP_SIZE) {
		memcpy(buf, bp + (phys - BP_ADDR), len);
		return 0;
	}
	if (phys == EFI_NODE && len == 16) {      /* a lone SETUP_EFI node */
		memset(buf, 0, 16);
		put_le32((uint8_t *)buf + 8, SETUP_EFI);
		put_le32((uint8_t *)buf + 12, 96);
		return 0;
	}
	if (phys == EFI_NODE + 16 && len <= 96) {
		memset(buf, 0, len);
		return 0;
	}
	return -EFAULT;
}

static void load(const char *fixture)
{
	struct kx_err e = { 0 };
	const char *top = getenv("top_srcdir");

	esd_system_free(&sys);
	esd_handoff_free(&h);
	snprintf(fixdir, sizeof(fixdir), "%s/tests/fixtures/%s", top ? top : ".", fixture);
	if (esd_system_read(fixdir, &sys, &e) < 0 || esd_handoff_build(&sys, &h, &e) < 0) {
		printf("# cannot load %s: %s %s\n", fixdir, e.where, e.msg);
		exit(1);
	}
	esd_handoff_set_memmap_addr(&h, MAP_ADDR);
	memset(&img, 0, sizeof(img));
	img.file_size = 8u << 20;
	img.setup_size = 0x4400;
	img.boot_flag = HDR_BOOT_FLAG_MAGIC;
	img.header_magic = HDR_MAGIC;
	img.version = 0x020F;
	img.loadflags = LOADFLAG_LOADED_HIGH;
	img.xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_EFI_KEXEC | XLF_5LEVEL;
	img.kernel_alignment = 0x200000;
	img.init_size = 0x3f98000;
	img.pref_address = 0x1000000;
	img.cmdline_size = 2047;
	img.initrd_addr_max = 0x7fffffff;
	img.kver_major = 6;     /* 6.17: no version gate applies */
	img.kver_minor = 17;
	memset(bp, 0, sizeof(bp));
	put_le32(bp + HDR_HEADER, HDR_MAGIC);
	bp[HDR_TYPE_OF_LOADER] = LOADER_TYPE_KEXEC;
	put_le32(bp + HDR_CMD_LINE_PTR, (uint32_t)(BP_ADDR + 0x1000));
	put_le64(bp + BP_ACPI_RSDP_ADDR, 0x3f77d014);
	bp[BP_SECURE_BOOT] = sys.bp.data[BP_SECURE_BOOT];
	esd_efi_info_serialize(&h.info, bp + BP_EFI_INFO);
	put_le64(bp + HDR_SETUP_DATA, EFI_NODE);
	seg[0] = (struct esd_segment){ 0x37a00000, 0x3f98000, "kernel" };
	seg[1] = (struct esd_segment){ 0x3c6c1000, 0x2dd000, "initrd" };
	seg[2] = (struct esd_segment){ BP_ADDR, 0x3000, "boot_params" };
	seg[3] = (struct esd_segment){ 0x3fe68000, 0x6000, "purgatory" };
	/* the e820 the loader hands over: the capture's firmware memmap */
	ne820 = 0;
	for (size_t i = 0; i < sys.memmap.n && ne820 < 64; i++, ne820++)
		e820[ne820] = (struct esd_e820){ sys.memmap.e[i].start, sys.memmap.e[i].end - sys.memmap.e[i].start + 1,
						 sys.memmap.e[i].e820_type };
	memset(&pv, 0, sizeof(pv));
	pv.boot_params = bp;
	pv.boot_params_addr = BP_ADDR;
	pv.seg = seg;
	pv.nseg = 4;
	pv.e820 = e820;
	pv.ne820 = ne820;
	pv.kernel_load = 0x37a00000;
	pv.cmdline = "console=ttyS0";
	pv.read = plan_read;
}

static void run(void)
{
	struct esd_rule_ctx c = { &sys, &img, &h, &pv };
	struct kx_err e = { 0 };

	esd_findings_free(&f);
	CHECK(esd_rules_run(&c, &f, &e) == 0);
}

static const struct esd_finding *find(const char *id)
{
	for (size_t i = 0; i < f.n; i++)
		if (!strcmp(f.f[i].id, id))
			return &f.f[i];
	return NULL;
}

static void dump(void)
{
	for (size_t i = 0; i < f.n; i++)
		printf("#   %s %s %s: %s\n", f.f[i].id, f.f[i].sev == ESD_FATAL ? "fatal" : "warning", f.f[i].where, f.f[i].msg);
}

/* The unbroken model has no finding for id; the broken one has it with sev. */
static const char *ids_seen[64];
static int nseen;

static void expect(const char *id, enum esd_severity sev, const char *needle)
{
	const struct esd_finding *x;

	run();
	x = find(id);
	CHECK(x != NULL);
	if (!x) {
		printf("# expected a finding %s; got:\n", id);
		dump();
		return;
	}
	CHECK(x->sev == sev);
	if (needle)
		CHECK_STR_CONTAINS(x->msg, needle);
	if (nseen < 64)
		ids_seen[nseen++] = id;
}

TEST(real_capture_is_clean)
{
	load("ovmf-q35-linux6.1-noefidebug");
	run();
	if (f.n_fatal)
		dump();
	CHECK(f.n_fatal == 0);
	CHECK(f.n_warn == 0);
}

TEST(efi_debug_capture_only_warns)
{
	load("ovmf-q35-linux6.1");
	run();
	CHECK(f.n_fatal == 0);
	CHECK(find("8.4.6") && find("8.4.6")->sev == ESD_WARN);
}

#define CASE(name, id, sev, needle, mutate)          \
	TEST(name)                                   \
	{                                            \
		load("ovmf-q35-linux6.1-noefidebug"); \
		run();                               \
		CHECK(find(id) == NULL);             \
		mutate;                              \
		expect(id, sev, needle);             \
	}

CASE(r8_1_1_image_header, "8.1.1", ESD_FATAL, "HdrS", img.header_magic = 0)
CASE(r8_1_2_five_level, "8.1.2", ESD_FATAL, "XLF_5LEVEL", (sys.la57 = true, img.xloadflags &= ~XLF_5LEVEL))
CASE(r8_1_3_efi_kexec, "8.1.3", ESD_FATAL, "XLF_EFI_KEXEC", img.xloadflags &= ~XLF_EFI_KEXEC)
CASE(r8_1_4_cmdline, "8.1.4", ESD_FATAL, "accepts 5", img.cmdline_size = 5)
CASE(r8_1_5_setup_type_max, "8.1.5", ESD_WARN, "SETUP_RNG_SEED", (img.have_setup_type_max = true, img.setup_type_max = 0x80000004))
CASE(r8_1_6_version, "8.1.6", ESD_WARN, "5.6", (img.kver_major = 5, img.kver_minor = 4))
CASE(r8_2_1_sentinel, "8.2.1", ESD_FATAL, "0xff", bp[BP_SENTINEL] = 0xff)
CASE(r8_2_2_loader_type, "8.2.2", ESD_FATAL, "initrd", bp[HDR_TYPE_OF_LOADER] = 0)
CASE(r8_2_3_cmdline_ptr, "8.2.3", ESD_FATAL, "no command line", put_le32(bp + HDR_CMD_LINE_PTR, 0))
CASE(r8_2_4_kernel_window, "8.2.4", ESD_FATAL, "kernel run window", seg[1].mem = 0x38000000)
CASE(r8_2_5_runtime_ram, "8.2.5", ESD_FATAL, "is RAM", for (size_t i = 0; i < ne820; i++) e820[i].type = E820_TYPE_RAM)
CASE(r8_2_6_rsdp, "8.2.6", ESD_WARN, NULL, put_le64(bp + BP_ACPI_RSDP_ADDR, 0))
CASE(r8_2_7_signature, "8.2.7", ESD_FATAL, "32-bit", h.info.loader_signature = EFI32_LOADER_SIGNATURE)
CASE(r8_2_8_systab, "8.2.8", ESD_FATAL, "aligned", h.info.systab |= 4)
CASE(r8_2_9_desc_version, "8.2.9", ESD_FATAL, "only 1", h.info.memdesc_version = 2)
CASE(r8_2_10_memmap_buffer, "8.2.10", ESD_FATAL, "not inside", esd_handoff_set_memmap_addr(&h, 0x20000000))
CASE(r8_2_11_secure_boot, "8.2.11", ESD_WARN, NULL, bp[BP_SECURE_BOOT] = 9)
CASE(r8_2_12_segment_runtime, "8.2.12", ESD_FATAL, "overlaps runtime-map", seg[3].mem = h.desc[1].phys_addr)
CASE(r8_2_13_segment_fw_blob, "8.2.13", ESD_FATAL, "MEMATTR=0x3ca56018", seg[1].mem = 0x3ca56000)
CASE(r8_3_1_setup_efi_node, "8.3.1", ESD_FATAL, "0 SETUP_EFI", put_le64(bp + HDR_SETUP_DATA, 0))
CASE(r8_3_2_fw_vendor, "8.3.2", ESD_FATAL, "differs", h.setup.fw_vendor += 0x1000)
CASE(r8_3_3_tables, "8.3.3", ESD_FATAL, "is 0", h.setup.tables = 0)
CASE(r8_3_4_runtime, "8.3.4", ESD_FATAL, "physical", (h.setup.runtime = 0xfffffffeff1ebb98ull, img.kver_major = 5, img.kver_minor = 4))
CASE(r8_3_5_smbios, "8.3.5", ESD_WARN, "SMBIOS=", h.setup.smbios = 0)
CASE(r8_3_6_reserved, "8.3.6", ESD_WARN, "reserved[3]", h.setup.reserved[3] = 1)
CASE(r8_4_1_count, "8.4.1", ESD_FATAL, "running kernel has", h.n--)
CASE(r8_4_2_zero_pages, "8.4.2", ESD_FATAL, "num_pages is 0", h.desc[2].num_pages = 0)
CASE(r8_4_3_virt_window, "8.4.3", ESD_FATAL, "EFI VA window", h.desc[2].virt_addr = 0xffff888000000000ull)
CASE(r8_4_4_overlap, "8.4.4", ESD_FATAL, "overlaps", h.desc[2].phys_addr = h.desc[3].phys_addr)
CASE(r8_4_5_congruence, "8.4.5", ESD_WARN, "2 MiB", h.desc[2].virt_addr += 0x1000)
CASE(r8_4_6_conventional, "8.4.6", ESD_FATAL, "free RAM", h.desc[2].type = EFI_CONVENTIONAL_MEMORY)
CASE(r8_4_6_no_runtime_bit, "8.4.6", ESD_FATAL, "bit 63", h.desc[2].attribute &= ~EFI_MEMORY_RUNTIME)
CASE(r8_4_7_matches_running, "8.4.7", ESD_FATAL, "differ", h.desc[2].attribute &= ~EFI_MEMORY_WB)
CASE(r8_4_8_coverage, "8.4.8", ESD_FATAL, "System Table", (h.info.systab = 0x1000, put_le32(sys.bp.data + EI_SYSTAB, 0x1000)))
CASE(r8_4_9_memattr, "8.4.9", ESD_WARN, "MEMORY_ATTRIBUTES", (img.kver_major = 6, img.kver_minor = 1))
CASE(r8_4_10_mapped_size, "8.4.10", ESD_WARN, "64 GiB",
     for (int i = 0; i < 2; i++) (h.desc[i].phys_addr = 0x100000000ull + (uint64_t)i * (33ull << 30),
				  h.desc[i].virt_addr = EFI_VA_END + (uint64_t)i * (33ull << 30), h.desc[i].num_pages = (33ull << 30) >> 12))
CASE(r8_5_0_unreadable, "8.5.0", ESD_FATAL, "garbage", (sys.efi_rc = -EINVAL, snprintf(sys.efi_err.msg, sizeof(sys.efi_err.msg), "garbage")))
CASE(r8_5_1_no_map, "8.5.1", ESD_FATAL, "absent", sys.efi.have_map = false)
CASE(r8_5_2_platform_size, "8.5.2", ESD_FATAL, "32-bit", sys.efi.fw_platform_size = 32)
CASE(r8_5_3_old_map, "8.5.3", ESD_FATAL, "old_map", for (size_t i = 0; i < sys.efi.map.n; i++) sys.efi.map.desc[i].virt_addr = sys.efi.map.desc[i].phys_addr)
CASE(r8_5_4_running_bp, "8.5.4", ESD_FATAL, "EL64", put_le32(sys.bp.data + EI_LOADER_SIGNATURE, 0))
CASE(r8_5_5_chained, "8.5.5", ESD_WARN, "virtual", (sys.efi.have_runtime = true, sys.efi.runtime = 0xfffffffeff1ebb98ull))
CASE(r8_5_6_fw_blob_line, "8.5.6", ESD_WARN, "cannot keep segments off",
     sys.blobs_rc = kx_err_set(&sys.blobs_err, -ENOENT, "dmesg.txt", "no efi: line"))

TEST(table_ids_unique_and_all_exercised)
{
	size_t n, i, j;
	const struct esd_rule_info *t = esd_rules_table(&n);
	int k;

	CHECK(n >= 39);
	for (i = 0; i < n; i++) {
		bool seen = false;

		for (j = i + 1; j < n; j++)
			CHECK(strcmp(t[i].id, t[j].id) != 0 && strcmp(t[i].name, t[j].name) != 0);
		for (k = 0; k < nseen; k++)
			if (!strcmp(ids_seen[k], t[i].id))
				seen = true;
		if (!seen)
			printf("# rule %s (%s) has no failing case\n", t[i].id, t[i].name);
		CHECK(seen);
	}
}

TEST(verify_10000_descriptors_is_quick_and_clean)
{
	struct esd_handoff big = h;
	struct efi_desc *d = calloc(10000, sizeof(*d));

	load("ovmf-q35-linux6.1-noefidebug");
	for (size_t i = 0; i < 10000; i++) {
		d[i].type = EFI_RUNTIME_SERVICES_DATA;
		d[i].phys_addr = 0x100000000ull + i * 0x2000;
		d[i].virt_addr = EFI_VA_END + i * 0x2000 + (d[i].phys_addr & 0x1fffff);
		d[i].virt_addr = EFI_VA_END + (d[i].phys_addr - 0x100000000ull);
		d[i].num_pages = 1;
		d[i].attribute = EFI_MEMORY_RUNTIME | EFI_MEMORY_WB;
	}
	big = h;
	big.desc = d;
	big.n = 10000;
	{
		struct esd_rule_ctx c = { &sys, NULL, &big, NULL };
		struct kx_err e = { 0 };

		esd_findings_free(&f);
		CHECK(esd_rules_run(&c, &f, &e) == 0);
		/* only the count differs from the running map; no overlap */
		CHECK(find("8.4.1") != NULL);
		CHECK(find("8.4.4") == NULL);
		CHECK(find("8.4.3") == NULL);
	}
	free(d);
}

TEST_MAIN
