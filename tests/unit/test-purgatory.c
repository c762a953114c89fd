/* The purgatory's logic (kexec/arch/x86_64/purgatory/checks.c) on a memory
 * image: a buffer standing for physical memory 0x100000..0x200000 with an
 * EFI System Table, a Runtime Services table, boot_params with a setup_data
 * chain (RNG seed -> SETUP_EFI) and a command line with reserved mark space. */
#include "bootproto.h"
#include "checks.h"
#include "crc32.h"
#include "digest.h"
#include "test.h"

#define BASE      0x100000ull
#define SIZE      0x100000ull
#define SYSTAB    0x110000ull
#define RUNTIME   0x111000ull
#define BP        0x120000ull
#define RNG_NODE  0x121000ull
#define EFI_NODE  0x122000ull
#define CMDLINE   0x123000ull
#define MARK      (CMDLINE + 13)
#define MARK_LEN  64u

static uint8_t *mem;
static struct purg_mem view;
static struct purgatory_params pp;
static char outbuf[4096];
static size_t outlen;

static uint8_t *at(uint64_t phys) { return mem + (phys - BASE); }

static void out_putc(void *ctx, char c)
{
	(void)ctx;
	if (outlen < sizeof(outbuf) - 1)
		outbuf[outlen++] = c;
	outbuf[outlen] = 0;
}

static void table(uint64_t phys, uint64_t sig, uint32_t rev, uint32_t size)
{
	uint8_t *t = at(phys);

	put_le64(t, sig);
	put_le32(t + 8, rev);
	put_le32(t + 12, size);
	put_le32(t + 16, 0);
	put_le32(t + 16, kx_crc32(t, size));
}

static void reseal(void)
{
	struct kx_digest_ctx c;

	if (kx_digest_init(&c, pp.digest_algo, 0) != 0)
		return;
	for (uint32_t i = 0; i < pp.nregions; i++)
		kx_digest_update(&c, at(pp.region[i].start), pp.region[i].len);
	kx_digest_final(&c, pp.digest);
}

static void setup(void)
{
	free(mem);
	mem = calloc(1, SIZE);
	view.offset = (uintptr_t)mem - BASE;
	view.lo = BASE;
	view.hi = BASE + SIZE;
	table(SYSTAB, EFI_SYSTEM_TABLE_SIGNATURE, 0x20046, 0x78);
	table(RUNTIME, EFI_RUNTIME_SERVICES_SIGNATURE, 0x20046, 0x88);
	put_le32(at(BP + EI_LOADER_SIGNATURE), EFI64_LOADER_SIGNATURE);
	put_le32(at(BP + EI_SYSTAB), (uint32_t)SYSTAB);
	put_le64(at(BP + BP_ACPI_RSDP_ADDR), 0x3f77d014);
	put_le64(at(BP + HDR_SETUP_DATA), RNG_NODE);
	put_le64(at(RNG_NODE), EFI_NODE);
	put_le32(at(RNG_NODE + 8), SETUP_RNG_SEED);
	put_le32(at(RNG_NODE + 12), 32);
	put_le64(at(EFI_NODE), 0);
	put_le32(at(EFI_NODE + 8), SETUP_EFI);
	put_le32(at(EFI_NODE + 12), 96);
	memcpy(at(CMDLINE), "console=ttyS0", 13);
	memset(at(MARK), ' ', MARK_LEN);
	memset(&pp, 0, sizeof(pp));
	pp.magic = PURGATORY_MAGIC;
	pp.flags = PURG_F_EFI_CHECK;
	pp.digest_algo = PURG_DIGEST_MIX64;
	pp.nregions = 2;
	pp.region[0].start = BP;
	pp.region[0].len = BP_SIZE;
	pp.region[1].start = CMDLINE;
	pp.region[1].len = 4096;
	pp.entry_rsi = BP;
	pp.efi_systab = SYSTAB;
	pp.efi_runtime = RUNTIME;
	pp.setup_efi_node = EFI_NODE;
	pp.mark_addr = MARK;
	pp.mark_len = MARK_LEN;
	outlen = 0;
	outbuf[0] = 0;
	reseal();
}

static int run(void)
{
	struct purg_out o = { out_putc, NULL };

	return purg_run(&pp, &view, &o);
}

static int efi_info_zero(void)
{
	for (unsigned i = 0; i < EFI_INFO_SIZE; i++)
		if (at(BP + BP_EFI_INFO)[i])
			return 0;
	return 1;
}

static char *mark_text(void)
{
	static char m[MARK_LEN + 1];

	memcpy(m, at(MARK), MARK_LEN);
	m[MARK_LEN] = 0;
	return m;
}

/* The hand-off must be gone: efi_info zero, SETUP_EFI unlinked, RNG kept. */
static void expect_dropped(const char *reason)
{
	char want[128];

	CHECK(run() == 0);
	CHECK(pp.status == PURG_STATUS_EFI_DROPPED);
	CHECK(efi_info_zero());
	CHECK_EQ_U64(get_le64(at(BP + BP_ACPI_RSDP_ADDR)), 0x3f77d014);
	snprintf(want, sizeof(want), " kexec_efi.purgatory=efi-dropped:%s ", reason);
	CHECK_STR_CONTAINS(mark_text(), want);
	CHECK_STR_CONTAINS(outbuf, reason);
}

TEST(good_tables_pass)
{
	setup();
	CHECK(run() == 0);
	CHECK(pp.status == PURG_STATUS_OK);
	CHECK(!efi_info_zero());
	CHECK_EQ_U64(get_le64(at(BP + HDR_SETUP_DATA)), RNG_NODE);
	CHECK_EQ_U64(get_le64(at(RNG_NODE)), EFI_NODE);
	CHECK_STR_CONTAINS(mark_text(), " kexec_efi.purgatory=ok ");
	CHECK_STR_CONTAINS(outbuf, "segments verified (mix64)");
}

TEST(systab_signature)
{
	setup();
	at(SYSTAB)[0] ^= 1;
	expect_dropped("systab-signature");
	CHECK_EQ_U64(get_le64(at(RNG_NODE)), 0);      /* SETUP_EFI unlinked, RNG kept */
	CHECK_EQ_U64(get_le64(at(BP + HDR_SETUP_DATA)), RNG_NODE);
}

TEST(systab_revision)
{
	setup();
	table(SYSTAB, EFI_SYSTEM_TABLE_SIGNATURE, 0x70000, 0x78);
	expect_dropped("systab-revision");
}

TEST(systab_header_size)
{
	setup();
	table(SYSTAB, EFI_SYSTEM_TABLE_SIGNATURE, 0x20046, 0x10);
	expect_dropped("systab-header-size");
}

TEST(systab_crc)
{
	setup();
	at(SYSTAB + 0x40)[0] ^= 0x80;      /* a pointer inside the header changed */
	expect_dropped("systab-crc");
}

TEST(runtime_signature)
{
	setup();
	at(RUNTIME)[3] = 'X';
	expect_dropped("runtime-signature");
}

TEST(runtime_crc)
{
	setup();
	at(RUNTIME + 0x30)[0] ^= 1;
	expect_dropped("runtime-crc");
}

TEST(setup_efi_unlinked)
{
	setup();
	put_le64(at(RNG_NODE), 0);          /* someone cut the chain */
	reseal();
	expect_dropped("setup-efi-unlinked");
	CHECK_EQ_U64(get_le64(at(BP + HDR_SETUP_DATA)), RNG_NODE);
}

TEST(setup_efi_is_head)
{
	setup();
	table(SYSTAB, EFI_SYSTEM_TABLE_SIGNATURE, 0x20046, 0x78);
	put_le64(at(BP + HDR_SETUP_DATA), EFI_NODE);
	put_le64(at(EFI_NODE), RNG_NODE);
	put_le64(at(RNG_NODE), 0);
	at(SYSTAB)[1] ^= 1;
	reseal();
	expect_dropped("systab-signature");
	CHECK_EQ_U64(get_le64(at(BP + HDR_SETUP_DATA)), RNG_NODE);
}

TEST(looping_chain_clears_it)
{
	setup();
	put_le64(at(EFI_NODE), RNG_NODE);   /* RNG -> EFI -> RNG ... */
	reseal();
	expect_dropped("setup-data-chain");
	CHECK_EQ_U64(get_le64(at(BP + HDR_SETUP_DATA)), 0);
}

TEST(digest_mismatch_halts)
{
	setup();
	at(CMDLINE)[0] = 'C';               /* memory changed after load */
	CHECK(run() == -1);
	CHECK_STR_CONTAINS(outbuf, "mix64 mismatch");
	CHECK(!efi_info_zero());
	CHECK_STR_CONTAINS(mark_text(), "          ");   /* untouched */
}

TEST(sha256_mode_verifies_and_catches)
{
	setup();
	pp.digest_algo = PURG_DIGEST_SHA256;
	reseal();
	CHECK(run() == 0);
	CHECK_STR_CONTAINS(outbuf, "segments verified (sha256)");
	setup();
	pp.digest_algo = PURG_DIGEST_SHA256;
	reseal();
	at(BP + 0x100)[0] ^= 0x10;
	CHECK(run() == -1);
	CHECK_STR_CONTAINS(outbuf, "sha256 mismatch");
}

/* With SSE allowed (purgatory enables it first), SHA-256 goes through the
 * SHA extensions when the CPU has them, and still matches the loader's. */
TEST(sha256_ni_in_purgatory_logic)
{
	if (!kx_sha256_ni_supported())
		TEST_SKIP("this CPU has no SHA extensions");
	setup();
	pp.digest_algo = PURG_DIGEST_SHA256;
	reseal();
	view.simd_ok = 1;
	CHECK(run() == 0);
	view.simd_ok = 0;
	CHECK_STR_CONTAINS(outbuf, "segments verified (sha256-ni)");
}

TEST(unknown_digest_halts)
{
	setup();
	pp.digest_algo = 0;
	CHECK(run() == -1);
	CHECK_STR_CONTAINS(outbuf, "unknown digest");
	CHECK(pp.status == PURG_STATUS_NONE);
}

/* Every single-bit flip in a verified region stops the jump. */
TEST(every_bit_flip_in_boot_params_halts)
{
	int missed = 0;

	setup();
	for (uint32_t i = 0; i < BP_SIZE; i += 7) {
		for (unsigned bit = 0; bit < 8; bit++) {
			uint8_t got[32];

			at(BP + i)[0] ^= (uint8_t)(1u << bit);
			missed += purg_verify_digest(&pp, &view, got, NULL) != -1;
			at(BP + i)[0] ^= (uint8_t)(1u << bit);
		}
	}
	CHECK_EQ_U64(missed, 0);
	memset(at(CMDLINE), 0, 4096);       /* a zeroed page */
	CHECK(run() == -1);
}

TEST(region_outside_memory_halts)
{
	setup();
	pp.region[1].start = BASE + SIZE - 100;
	CHECK(run() == -1);
	CHECK_STR_CONTAINS(outbuf, "outside memory");
}

TEST(skip_checks_ignores_digest)
{
	setup();
	pp.flags |= PURG_F_SKIP_CHECKS;
	at(CMDLINE)[0] = 'C';
	CHECK(run() == 0);
	CHECK(pp.status == PURG_STATUS_OK);
}

TEST(no_efi_check_flag_leaves_tables_alone)
{
	setup();
	pp.flags = 0;
	at(SYSTAB)[0] ^= 1;
	CHECK(run() == 0);
	CHECK(!efi_info_zero());
	CHECK_STR_CONTAINS(mark_text(), "kexec_efi.purgatory=ok");
}

TEST(backup_copy)
{
	setup();
	pp.backup_src = 0x130000;
	pp.backup_dst = 0x140000;
	pp.backup_len = 0x1000;
	memset(at(0x130000), 0x5a, 0x1000);
	CHECK(run() == 0);
	CHECK(at(0x140000)[0] == 0x5a && at(0x140fff)[0] == 0x5a);
}

TEST_MAIN
