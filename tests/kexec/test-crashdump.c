/* test-crashdump.c - crash_plan_build() against captured OVMF guests:
 * the elfcorehdr bytes, RAM coverage, the crash e820 (compared with what
 * kexec-tools gave the real crash kernel), the command line, and the
 * errors. Fixtures: ovmf-q35-linux6.1-crashkernel-kdump (the crashkernel=256M
 * capture plus synthetic crash notes, vmcoreinfo and kcore headers, see its
 * make-synthetic.py) and ovmf-q35-linux6.1 (no crash kernel reserved). */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootproto.h"
#include "crashdump.h"
#include "elfcore.h"
#include "../unit/test.h"

#define KDUMP "ovmf-q35-linux6.1-crashkernel-kdump"
#define CRASH_START 0x69000000ull
#define CRASH_END   0x79000000ull   /* exclusive */

static const char *fixture(const char *name, char *buf, size_t len)
{
	const char *s = getenv("top_srcdir");

	snprintf(buf, len, "%s/tests/fixtures/%s", s ? s : ".", name);
	return buf;
}

/* Read a fixture; a failure is a failed CHECK, never a skip. */
static bool load_sys(const char *dir, struct esd_system *sys)
{
	struct kx_err err;
	int r;

	kx_err_clear(&err);
	r = esd_system_read(dir, sys, &err);
	CHECK(r == 0);
	CHECK(sys->iomem_rc == 0);
	if (r != 0 || sys->iomem_rc != 0) {
		printf("# esd_system_read(%s): %d/%d %s: %s\n", dir, r, sys->iomem_rc,
		       sys->iomem_err.where, sys->iomem_err.msg);
		return false;
	}
	return true;
}

static bool build(const char *name, const struct crash_opts *o, struct esd_system *sys,
		  struct crash_plan *p)
{
	char dir[4096];
	struct kx_err err;
	int r;

	if (!load_sys(fixture(name, dir, sizeof(dir)), sys))
		return false;
	kx_err_clear(&err);
	r = crash_plan_build(sys, o, p, &err);
	CHECK(r == 0);
	if (r) {
		printf("# crash_plan_build: %d %s: %s\n", r, err.where, err.msg);
		esd_system_free(sys);
		return false;
	}
	return true;
}

static void phdr(const struct crash_plan *p, size_t i, struct elf64_phdr_view *ph)
{
	struct elf64_ehdr_view eh;
	struct kx_err err;

	kx_err_clear(&err);
	memset(ph, 0, sizeof(*ph));
	CHECK(elf64_parse_ehdr(p->elfcorehdr, p->elfcorehdr_len, "elfcorehdr", &eh, &err) == 0);
	CHECK(elf64_parse_phdr(p->elfcorehdr, p->elfcorehdr_len, &eh, i, "elfcorehdr", ph, &err) == 0);
}

TEST(elfcorehdr_header_and_notes)
{
	struct esd_system sys;
	struct crash_plan p;
	struct elf64_phdr_view ph;
	const uint8_t *b;

	if (!build(KDUMP, NULL, &sys, &p))
		return;
	b = p.elfcorehdr;
	/* 2 CPU notes + vmcoreinfo + kernel text + 7 RAM ranges */
	CHECK_EQ_U64(p.ncpu_note, 2);
	CHECK_EQ_U64(p.nnote, 3);
	CHECK(p.have_vmcoreinfo);
	CHECK(p.have_text_load);
	CHECK_EQ_U64(p.nload, 8);
	CHECK_EQ_U64(p.elfcorehdr_len, 64 + 11 * 56);
	CHECK(memcmp(b, ELFMAG, SELFMAG) == 0);
	CHECK_EQ_U64(b[EI_CLASS], ELFCLASS64);
	CHECK_EQ_U64(b[EI_DATA], ELFDATA2LSB);
	CHECK_EQ_U64(get_le16(b + 16), ET_CORE);
	CHECK_EQ_U64(get_le16(b + 18), EM_X86_64);
	CHECK_EQ_U64(get_le64(b + 32), 64);
	CHECK_EQ_U64(get_le16(b + 56), 11);
	phdr(&p, 0, &ph);
	CHECK(ph.type == PT_NOTE);
	CHECK_EQ_U64(ph.paddr, 0x7dc1e2d8);
	CHECK_EQ_U64(ph.offset, 0x7dc1e2d8);
	CHECK_EQ_U64(ph.memsz, 368);
	phdr(&p, 1, &ph);
	CHECK(ph.type == PT_NOTE);
	CHECK_EQ_U64(ph.paddr, 0x7dc3e2d8);
	CHECK_EQ_U64(ph.filesz, 368);
	phdr(&p, 2, &ph);   /* vmcoreinfo */
	CHECK(ph.type == PT_NOTE);
	CHECK_EQ_U64(ph.paddr, 0x7dc01000);
	CHECK_EQ_U64(ph.memsz, 0x1024);
	phdr(&p, 3, &ph);   /* kernel text: KASLR'd vaddr from kcore, "Kernel code" paddr */
	CHECK(ph.type == PT_LOAD);
	CHECK_EQ_U64(ph.vaddr, 0xffffffff9a200000ull);
	CHECK_EQ_U64(ph.paddr, 0x57400000);
	CHECK_EQ_U64(ph.offset, 0x57400000);
	CHECK_EQ_U64(ph.memsz, 0x3400000);
	CHECK_EQ_U64(ph.flags, PF_R | PF_W | PF_X);
	CHECK(p.page_offset_known);
	CHECK_EQ_U64(p.page_offset, 0xffff9d6e40000000ull);
	crash_plan_free(&p);
	esd_system_free(&sys);
}

TEST(elfcorehdr_ram_loads)
{
	static const struct { uint64_t start, size, offset; } want[] = {
		{ 0x1000, 0x9f000, 0x78f61000 },            /* backed up: reads the copy */
		{ 0x100000, 0x706000, 0x100000 },
		{ 0x808000, 0x8000, 0x808000 },
		{ 0x900000, CRASH_START - 0x900000, 0x900000 },
		{ CRASH_END, 0x7ea8a000 - CRASH_END, CRASH_END },
		{ 0x7eb8c000, 0x960000, 0x7eb8c000 },
		{ 0x7f7fe000, 0x6ee000, 0x7f7fe000 },
	};
	struct esd_system sys;
	struct crash_plan p;
	struct elf64_phdr_view ph;
	size_t i;

	if (!build(KDUMP, NULL, &sys, &p))
		return;
	CHECK_EQ_U64(p.nload, 1 + sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]) && 4 + i < 3 + p.nload; i++) {
		phdr(&p, 4 + i, &ph);
		CHECK(ph.type == PT_LOAD);
		CHECK_EQ_U64(ph.paddr, want[i].start);
		CHECK_EQ_U64(ph.memsz, want[i].size);
		CHECK_EQ_U64(ph.filesz, want[i].size);
		CHECK_EQ_U64(ph.offset, want[i].offset);
		CHECK_EQ_U64(ph.vaddr, 0xffff9d6e40000000ull + want[i].start);
	}
	crash_plan_free(&p);
	esd_system_free(&sys);
}

/* Every byte of top-level System RAM in /proc/iomem outside the crash region
 * is in exactly one RAM PT_LOAD (the text alias excluded), and no PT_LOAD
 * byte is outside RAM or inside the crash region. Checked page by page
 * against the iomem model, independently of the plan's own range code. */
TEST(ram_coverage_exactly_once)
{
	struct esd_system sys;
	struct crash_plan p;
	const uint64_t limit = 0x80000000ull, pages = limit >> 12;
	uint8_t *ram, *cnt;
	size_t i;
	uint64_t pg, bad = 0, holes = 0, covered = 0;

	if (!build(KDUMP, NULL, &sys, &p))
		return;
	ram = calloc(pages, 1);
	cnt = calloc(pages, 1);
	for (i = 0; i < sys.iomem.n; i++) {
		const struct iomem_entry *e = &sys.iomem.e[i];

		if (strcmp(e->name, "System RAM") != 0 || e->depth != 0)
			continue;
		CHECK(e->end < limit);
		for (pg = e->start >> 12; pg <= e->end >> 12 && pg < pages; pg++)
			ram[pg] = 1;
	}
	for (i = 0; i < p.nload; i++) {
		struct elf64_phdr_view ph;

		phdr(&p, p.nnote + i, &ph);
		if (ph.vaddr >= 0xffffffff80000000ull)
			continue;   /* kernel text alias */
		for (pg = ph.paddr >> 12; pg < (ph.paddr + ph.memsz) >> 12 && pg < pages; pg++)
			cnt[pg]++;
	}
	for (pg = 0; pg < pages; pg++) {
		bool in_crash = pg >= CRASH_START >> 12 && pg < CRASH_END >> 12;
		unsigned want = ram[pg] && !in_crash ? 1 : 0;

		if (cnt[pg] != want) {
			if (want)
				holes++;
			else
				bad++;
		}
		covered += cnt[pg] == 1;
	}
	CHECK_EQ_U64(holes, 0);
	CHECK_EQ_U64(bad, 0);
	/* 2 GiB guest, 256 MiB crash: ~1.7 GiB dumped */
	CHECK_EQ_U64(covered, (0x9f000 + 0x706000 + 0x8000 + 0x7e18a000 + 0x960000 + 0x6ee000 -
			       0x10000000ull) >> 12);
	free(ram);
	free(cnt);
	crash_plan_free(&p);
	esd_system_free(&sys);
}

TEST(segments_inside_crash_region)
{
	struct esd_system sys;
	struct crash_plan p;
	size_t i;
	uint64_t avail = 0;

	if (!build(KDUMP, NULL, &sys, &p))
		return;
	CHECK_EQ_U64(p.nregion, 1);
	CHECK_EQ_U64(p.region[0].start, CRASH_START);
	CHECK_EQ_U64(p.region[0].size, 0x10000000);
	CHECK(p.have_crash_size);
	CHECK_EQ_U64(p.crash_size, 0x10000000);
	/* kexec-tools 2.0.25 put elfcorehdr at 1981812K = 0x78f5d000 in the
	 * reference crash run; we choose the same place. */
	CHECK_EQ_U64(p.elfcorehdr_addr, 0x78f5d000);
	CHECK_EQ_U64(p.nseg, 2);
	CHECK(strcmp(p.seg[0].role, "elfcorehdr") == 0);
	CHECK(p.seg[0].buf == p.elfcorehdr);
	CHECK_EQ_U64(p.seg[0].bufsz, p.elfcorehdr_len);
	CHECK_EQ_U64(p.seg[0].memsz, 0x4000);
	CHECK(strcmp(p.seg[1].role, "backup") == 0);
	CHECK(p.seg[1].buf == NULL);
	CHECK_EQ_U64(p.seg[1].mem, 0x78f61000);
	CHECK_EQ_U64(p.seg[1].memsz, 0x9f000);
	CHECK_EQ_U64(p.backup_src, 0x1000);
	CHECK_EQ_U64(p.backup_len, 0x9f000);
	CHECK_EQ_U64(p.backup_dst, 0x78f61000);
	for (i = 0; i < p.nseg; i++) {
		CHECK(p.seg[i].mem >= CRASH_START);
		CHECK(p.seg[i].mem + p.seg[i].memsz <= CRASH_END);
		CHECK_EQ_U64(p.seg[i].mem & 0xfff, 0);
		CHECK_EQ_U64(p.seg[i].memsz & 0xfff, 0);
	}
	/* the loader's room: the rest of the region, not overlapping ours */
	CHECK_EQ_U64(p.navail, 1);
	for (i = 0; i < p.navail; i++) {
		CHECK(p.avail[i].start >= CRASH_START);
		CHECK(p.avail[i].start + p.avail[i].size <= p.seg[0].mem);
		avail += p.avail[i].size;
	}
	CHECK_EQ_U64(avail, 0x10000000 - 0x4000 - 0x9f000);
	crash_plan_free(&p);
	esd_system_free(&sys);
}

/* The e820 kexec-tools gave the real crash kernel, from the crash kernel's
 * own dmesg ("BIOS-e820: [mem a-b] type"). */
static size_t reference_e820(struct esd_e820 *out, size_t max)
{
	char path[4096], line[512];
	FILE *f;
	size_t n = 0;

	fixture("ovmf-q35-linux6.1-crashkernel-after-crash/dmesg.txt", path, sizeof(path));
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		unsigned long long a, b;
		char type[64];
		const char *m = strstr(line, "BIOS-e820: [mem ");

		if (!m || sscanf(m, "BIOS-e820: [mem %llx-%llx] %63[^\n]", &a, &b, type) != 3)
			continue;
		out[n].addr = a;
		out[n].size = b - a + 1;
		out[n].type = !strcmp(type, "usable") ? 1 : !strcmp(type, "reserved") ? 2 :
			      !strcmp(type, "ACPI data") ? 3 : !strcmp(type, "ACPI NVS") ? 4 : 0;
		n++;
	}
	fclose(f);
	return n;
}

TEST(crash_e820_matches_reference_run)
{
	struct esd_e820 ref[64];
	struct esd_system sys;
	struct crash_plan p;
	size_t n = reference_e820(ref, 64), i;

	CHECK_EQ_U64(n, 13);
	if (!build(KDUMP, NULL, &sys, &p))
		return;
	CHECK_EQ_U64(p.ne820, n);
	for (i = 0; i < n && i < p.ne820; i++) {
		CHECK_EQ_U64(p.e820[i].addr, ref[i].addr);
		CHECK_EQ_U64(p.e820[i].size, ref[i].size);
		CHECK_EQ_U64(p.e820[i].type, ref[i].type);
	}
	/* RAM only inside the crash region or the backed-up low range */
	for (i = 0; i < p.ne820; i++) {
		if (p.e820[i].type != E820_TYPE_RAM)
			continue;
		CHECK((p.e820[i].addr >= CRASH_START &&
		       p.e820[i].addr + p.e820[i].size <= p.elfcorehdr_addr) ||
		      (p.e820[i].addr == p.backup_src && p.e820[i].size == p.backup_len));
	}
	crash_plan_free(&p);
	esd_system_free(&sys);
}

TEST(cmdline_additions)
{
	struct esd_system sys;
	struct crash_plan p;
	struct crash_opts o = { .efi_handed_over = true };

	if (!build(KDUMP, &o, &sys, &p))
		return;
	CHECK(strcmp(p.cmdline_add, " elfcorehdr=1981812K") == 0);
	CHECK(strstr(p.cmdline_add, "acpi_rsdp") == NULL);
	crash_plan_free(&p);
	esd_system_free(&sys);

	/* EFI not handed over: the crash kernel needs the RSDP from systab */
	o.efi_handed_over = false;
	if (!build(KDUMP, &o, &sys, &p))
		return;
	CHECK(strcmp(p.cmdline_add, " elfcorehdr=1981812K acpi_rsdp=0x7f77d014") == 0);
	CHECK_EQ_U64(p.acpi_rsdp, 0x7f77d014);
	crash_plan_free(&p);
	esd_system_free(&sys);
}

TEST(pass_memmap_cmdline)
{
	struct esd_system sys;
	struct crash_plan p;
	struct crash_opts o = { .pass_memmap_cmdline = true, .efi_handed_over = true };
	char cmd[2048] = "console=ttyS0,115200 irqpoll nr_cpus=1 reset_devices";
	struct kx_err err;

	if (!build(KDUMP, &o, &sys, &p))
		return;
	CHECK(strncmp(p.cmdline_add, " memmap=exactmap ", 17) == 0);
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=4K$0K ");               /* page 0 reserved */
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=636K@4K ");             /* backed-up low RAM */
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=8K#8216K ");            /* NVS 0x806000 */
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=261492K@1720320K ");    /* crash RAM below elfcorehdr */
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=72K#2088368K ");        /* ACPI tables 0x7f76c000 */
	CHECK_STR_CONTAINS(p.cmdline_add, " memmap=262144K$2883584K ");    /* MMCONFIG 0xb0000000 */
	CHECK(strstr(p.cmdline_add, " elfcorehdr=1981812K") != NULL);
	/* one memmap= per e820 entry plus exactmap */
	{
		size_t n = 0;
		const char *s = p.cmdline_add;

		while ((s = strstr(s, " memmap=")) != NULL) {
			n++;
			s++;
		}
		CHECK_EQ_U64(n, p.ne820 + 1);
	}
	kx_err_clear(&err);
	CHECK(crash_cmdline_append(cmd, sizeof(cmd), 2048, &p, &err) == 0);
	CHECK_STR_CONTAINS(cmd, "reset_devices memmap=exactmap");
	crash_plan_free(&p);
	esd_system_free(&sys);
}

TEST(no_backup_mode)
{
	struct esd_system sys;
	struct crash_plan p;
	struct crash_opts o = { .no_backup = true, .efi_handed_over = true };
	struct elf64_phdr_view ph;

	if (!build(KDUMP, &o, &sys, &p))
		return;
	CHECK_EQ_U64(p.backup_len, 0);
	CHECK_EQ_U64(p.nseg, 1);
	/* elfcorehdr at the very top of the region */
	CHECK_EQ_U64(p.elfcorehdr_addr, CRASH_END - 0x4000);
	phdr(&p, p.nnote + 1, &ph);   /* first RAM load reads the original */
	CHECK_EQ_U64(ph.paddr, 0x1000);
	CHECK_EQ_U64(ph.offset, 0x1000);
	/* low RAM below 1 MiB still given to the crash kernel */
	CHECK(p.ne820 > 1);
	if (p.ne820 > 1) {
		CHECK_EQ_U64(p.e820[1].addr, 0x1000);
		CHECK_EQ_U64(p.e820[1].size, 0x9f000);
		CHECK_EQ_U64(p.e820[1].type, E820_TYPE_RAM);
	}
	crash_plan_free(&p);
	esd_system_free(&sys);
}

/* A sysroot like the fixture but without /proc/kcore (unreadable kcore,
 * lockdown): symlinks to the fixture's sys/ and proc/iomem. */
TEST(kcore_unreadable_skips_text_load)
{
	char tmpl[] = "/tmp/test-crashdump-XXXXXX", dir[2048], p1[4200], p2[4200];
	struct esd_system sys;
	struct crash_plan p;
	struct kx_err err;
	struct elf64_phdr_view ph;
	char *t = mkdtemp(tmpl), *abs;
	int r;

	CHECK(t != NULL);
	if (!t)
		return;
	fixture(KDUMP, p1, sizeof(p1));
	abs = realpath(p1, NULL);   /* symlink targets must be absolute */
	CHECK(abs != NULL);
	if (!abs)
		return;
	snprintf(dir, sizeof(dir), "%.2000s", abs);
	free(abs);
	snprintf(p1, sizeof(p1), "%s/sys", dir);
	snprintf(p2, sizeof(p2), "%s/sys", t);
	CHECK(symlink(p1, p2) == 0);
	snprintf(p2, sizeof(p2), "%s/proc", t);
	CHECK(mkdir(p2, 0755) == 0);
	snprintf(p1, sizeof(p1), "%s/proc/iomem", dir);
	snprintf(p2, sizeof(p2), "%s/proc/iomem", t);
	CHECK(symlink(p1, p2) == 0);

	if (load_sys(t, &sys)) {
		kx_err_clear(&err);
		r = crash_plan_build(&sys, NULL, &p, &err);
		CHECK(r == 0);
		if (r == 0) {
			CHECK(p.kcore_rc == -ENOENT);
			CHECK(!p.have_text_load);
			CHECK(!p.page_offset_known);
			CHECK_EQ_U64(p.page_offset, 0xffff888000000000ull);   /* fixture cpu has no la57 */
			CHECK_EQ_U64(p.nload, 7);
			phdr(&p, p.nnote, &ph);
			CHECK(ph.type == PT_LOAD);
			CHECK_EQ_U64(ph.paddr, 0x1000);
			CHECK_EQ_U64(ph.vaddr, 0xffff888000001000ull);
			CHECK_EQ_U64(ph.offset, 0x78f61000);
			crash_plan_free(&p);
		}
		esd_system_free(&sys);
	}
	snprintf(p2, sizeof(p2), "%s/proc/iomem", t);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s/proc", t);
	rmdir(p2);
	snprintf(p2, sizeof(p2), "%s/sys", t);
	unlink(p2);
	rmdir(t);
}

/* crashkernel=256M,high + ,low: a second "Crash kernel" range below the
 * first, added to the captured iomem model. Segments stay in the main one
 * (sized like kexec_crash_size); the low one becomes crash-kernel RAM. */
TEST(low_and_high_reservations)
{
	char dir[4096];
	struct esd_system sys;
	struct crash_plan p;
	struct kx_err err;
	struct iomem_entry *ne;
	size_t i, parent = 0;
	bool low_ram = false;
	int r;

	if (!load_sys(fixture(KDUMP, dir, sizeof(dir)), &sys))
		return;
	ne = realloc(sys.iomem.e, (sys.iomem.n + 1) * sizeof(*ne));
	CHECK(ne != NULL);
	if (!ne) {
		esd_system_free(&sys);
		return;
	}
	sys.iomem.e = ne;
	for (i = 0; i < sys.iomem.n; i++)
		if (ne[i].start == 0x900000 && ne[i].depth == 0)
			parent = i;
	memset(&ne[sys.iomem.n], 0, sizeof(*ne));
	ne[sys.iomem.n] = ne[parent];
	ne[sys.iomem.n].start = 0x20000000;
	ne[sys.iomem.n].end = 0x27ffffff;
	ne[sys.iomem.n].depth = 1;
	ne[sys.iomem.n].parent = (int)parent;
	snprintf(ne[sys.iomem.n].name, sizeof(ne[sys.iomem.n].name), "Crash kernel");
	sys.iomem.n++;

	kx_err_clear(&err);
	r = crash_plan_build(&sys, NULL, &p, &err);
	CHECK(r == 0);
	if (r == 0) {
		CHECK_EQ_U64(p.nregion, 2);
		CHECK_EQ_U64(p.main_region, 1);
		CHECK_EQ_U64(p.elfcorehdr_addr, 0x78f5d000);
		for (i = 0; i < p.navail; i++) {
			CHECK(p.avail[i].start >= CRASH_START);
			CHECK(p.avail[i].start + p.avail[i].size <= CRASH_END);
		}
		for (i = 0; i < p.ne820; i++)
			if (p.e820[i].addr == 0x20000000 && p.e820[i].size == 0x8000000 &&
			    p.e820[i].type == E820_TYPE_RAM)
				low_ram = true;
		CHECK(low_ram);
		/* and the dump no longer covers the low reservation */
		for (i = 0; i < p.nload; i++) {
			struct elf64_phdr_view ph;

			phdr(&p, p.nnote + i, &ph);
			CHECK(ph.paddr + ph.memsz <= 0x20000000 || ph.paddr >= 0x28000000 ||
			      ph.vaddr >= 0xffffffff80000000ull);
		}
		crash_plan_free(&p);
	}
	esd_system_free(&sys);
}

TEST(no_crashkernel_reserved_is_a_clear_error)
{
	char dir[4096];
	struct esd_system sys;
	struct crash_plan p;
	struct kx_err err;

	if (!load_sys(fixture("ovmf-q35-linux6.1", dir, sizeof(dir)), &sys))
		return;
	kx_err_clear(&err);
	CHECK(crash_plan_build(&sys, NULL, &p, &err) == -ENOENT);
	CHECK_EQ_U64(err.code, (uint64_t)(int64_t)-ENOENT);
	CHECK_STR_CONTAINS(err.where, "proc/iomem");
	CHECK_STR_CONTAINS(err.msg, "Crash kernel");
	CHECK_STR_CONTAINS(err.msg, "crashkernel=");
	CHECK(p.elfcorehdr == NULL && p.e820 == NULL);
	esd_system_free(&sys);
}

TEST_MAIN
