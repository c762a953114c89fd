/* test-crash-parse.c - the small pure pieces of kdump: cpulists, the
 * vmcoreinfo file, range subtraction, crash regions from an iomem model,
 * the ELF64 core header bytes, and the kcore layout reader. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootproto.h"
#include "crash-mem.h"
#include "crashdump.h"
#include "elfcore.h"
#include "kcore.h"
#include "../unit/test.h"

static int parse_list(const char *s, unsigned **v, size_t *n, struct kx_err *e)
{
	kx_err_clear(e);
	return crash_parse_cpulist(s, strlen(s), "possible", v, n, e);
}

TEST(cpulist_ranges_and_singles)
{
	struct kx_err e;
	unsigned *v;
	size_t n;

	CHECK(parse_list("0-1\n", &v, &n, &e) == 0);
	CHECK_EQ_U64(n, 2);
	CHECK(v[0] == 0 && v[1] == 1);
	free(v);
	CHECK(parse_list("0,2-4,7\n", &v, &n, &e) == 0);
	CHECK_EQ_U64(n, 5);
	CHECK(v[0] == 0 && v[1] == 2 && v[2] == 3 && v[3] == 4 && v[4] == 7);
	free(v);
	CHECK(parse_list("5", &v, &n, &e) == 0);
	CHECK(n == 1 && v[0] == 5);
	free(v);
}

TEST(cpulist_rejects_garbage)
{
	static const char *bad[] = { "", "\n", "a", "1-", "-1", "3-1", "0,,1", "0,", "1,0", "0-1x",
				     "0 1", "1234567" };
	struct kx_err e;
	unsigned *v;
	size_t n, i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse_list(bad[i], &v, &n, &e);

		CHECK(r == -EINVAL);
		if (r != -EINVAL)
			printf("# accepted \"%s\"\n", bad[i]);
		CHECK(v == NULL);
	}
	CHECK(parse_list("0-x", &v, &n, &e) == -EINVAL);
	CHECK_STR_CONTAINS(e.msg, "0-x");
	CHECK_STR_CONTAINS(e.where, "possible");
}

TEST(vmcoreinfo_formats)
{
	struct kx_err e;
	uint64_t a, s;
	const char *k = "0x000000007dc01000 1024\n";   /* %pa %x, as 6.1 prints it */
	const char *bare = "7dc01000 1024\n";

	kx_err_clear(&e);
	CHECK(crash_parse_vmcoreinfo(k, strlen(k), "vmcoreinfo", &a, &s, &e) == 0);
	CHECK_EQ_U64(a, 0x7dc01000);
	CHECK_EQ_U64(s, 0x1024);
	CHECK(crash_parse_vmcoreinfo(bare, strlen(bare), "vmcoreinfo", &a, &s, &e) == 0);
	CHECK_EQ_U64(a, 0x7dc01000);
	CHECK(crash_parse_vmcoreinfo("7dc01000\n", 9, "vmcoreinfo", &a, &s, &e) == -EINVAL);
	kx_err_clear(&e);
	CHECK(crash_parse_vmcoreinfo("0x7dc0100g 1024\n", 16, "vmcoreinfo", &a, &s, &e) == -EINVAL);
	CHECK_STR_CONTAINS(e.msg, "address");
	CHECK_STR_CONTAINS(e.msg, "0x7dc0100g");
	kx_err_clear(&e);
	CHECK(crash_parse_vmcoreinfo("0x1000 0\n", 9, "vmcoreinfo", &a, &s, &e) == -EINVAL);
	CHECK_STR_CONTAINS(e.msg, "size");
}

TEST(range_subtract)
{
	struct crash_range r[] = { { 0x1000, 0x9f000 }, { 0x900000, 0x7e18a000 } };
	struct crash_range cut[] = { { 0x69000000, 0x10000000 }, { 0x0, 0x2000 } };
	struct crash_range *o;
	size_t n;

	CHECK(crash_ranges_subtract(r, 2, cut, 2, &o, &n) == 0);
	CHECK_EQ_U64(n, 3);
	CHECK_EQ_U64(o[0].start, 0x2000);
	CHECK_EQ_U64(o[0].size, 0x9e000);
	CHECK_EQ_U64(o[1].start, 0x900000);
	CHECK_EQ_U64(o[1].size, 0x69000000 - 0x900000);
	CHECK_EQ_U64(o[2].start, 0x79000000);
	CHECK_EQ_U64(o[2].start + o[2].size, 0x7ea8a000);
	free(o);
	/* a cut covering everything leaves nothing */
	cut[0] = (struct crash_range){ 0, 0x100000000ull };
	CHECK(crash_ranges_subtract(r, 2, cut, 1, &o, &n) == 0);
	CHECK_EQ_U64(n, 0);
	free(o);
}

static struct iomem_entry ent(uint64_t s, uint64_t e, unsigned depth, int parent, const char *name)
{
	struct iomem_entry x;

	memset(&x, 0, sizeof(x));
	x.start = s;
	x.end = e;
	x.depth = depth;
	x.parent = parent;
	snprintf(x.name, sizeof(x.name), "%s", name);
	return x;
}

TEST(crash_regions_high_and_low)
{
	struct iomem_entry e[] = {
		ent(0x100000, 0xbfffffff, 0, -1, "System RAM"),
		ent(0xa0000000, 0xafffffff, 1, 0, "Crash kernel"),
		ent(0x100000000ull, 0x23fffffffull, 0, -1, "System RAM"),
		ent(0x200000000ull, 0x23fffffffull, 1, 2, "Crash kernel"),
		ent(0x210000000ull, 0x210000fffull, 1, 2, "reserved"),
	};
	struct iomem io = { e, 5 };
	struct crash_range r[CRASH_MAX_REGIONS], *ram;
	struct kx_err err;
	size_t n;

	kx_err_clear(&err);
	CHECK(crash_regions_from_iomem(&io, "/proc/iomem", r, CRASH_MAX_REGIONS, &n, &err) == 0);
	CHECK_EQ_U64(n, 2);
	CHECK_EQ_U64(r[0].start, 0xa0000000);
	CHECK_EQ_U64(r[0].size, 0x10000000);
	CHECK_EQ_U64(r[1].start, 0x200000000ull);
	CHECK_EQ_U64(r[1].size, 0x40000000);
	CHECK(crash_ram_from_iomem(&io, "/proc/iomem", &ram, &n, &err) == 0);
	CHECK_EQ_U64(n, 2);
	free(ram);
	/* only one slot: E2BIG naming the limit */
	CHECK(crash_regions_from_iomem(&io, "/proc/iomem", r, 1, &n, &err) == -E2BIG);
}

TEST(crash_regions_missing_or_hidden)
{
	struct iomem_entry e[] = {
		ent(0x100000, 0xbfffffff, 0, -1, "System RAM"),
		ent(0, 0, 1, 0, "Crash kernel"),
	};
	struct iomem io = { e, 1 };
	struct crash_range r[CRASH_MAX_REGIONS];
	struct kx_err err;
	size_t n;

	kx_err_clear(&err);
	CHECK(crash_regions_from_iomem(&io, "/proc/iomem", r, CRASH_MAX_REGIONS, &n, &err) == -ENOENT);
	CHECK_STR_CONTAINS(err.msg, "crashkernel=");
	CHECK_STR_CONTAINS(err.where, "/proc/iomem");
	io.n = 2;   /* non-root view: all zeros */
	kx_err_clear(&err);
	CHECK(crash_regions_from_iomem(&io, "/proc/iomem", r, CRASH_MAX_REGIONS, &n, &err) == -EPERM);
	CHECK_STR_CONTAINS(err.msg, "CAP_SYS_ADMIN");
}

TEST(elfcore_header_bytes)
{
	struct elfcore_note note[] = { { 0x7dc1e2d8, 368 }, { 0x7dc01000, 0x1024 } };
	struct elfcore_load load[] = {
		{ 0x78f61000, 0x1000, 0xffff888000001000ull, 0x9f000 },
		{ 0x100000, 0x100000, 0xffff888000100000ull, 0x706000 },
	};
	size_t len = elfcore_size(2, 2);
	uint8_t *b = malloc(len);
	struct elf64_ehdr_view eh;
	struct elf64_phdr_view ph;
	struct kx_err err;

	kx_err_clear(&err);
	CHECK_EQ_U64(len, 64 + 4 * 56);
	CHECK(elfcore_build(note, 2, load, 2, b, len - 1, &err) == -ENOSPC);
	CHECK(elfcore_build(note, 2, load, 2, b, len, &err) == 0);
	/* raw bytes, independent of our reader */
	CHECK(memcmp(b, "\x7f" "ELF\x02\x01\x01\x00", 8) == 0);
	CHECK_EQ_U64(get_le16(b + 16), 4);       /* e_type ET_CORE */
	CHECK_EQ_U64(get_le16(b + 18), 62);      /* e_machine EM_X86_64 */
	CHECK_EQ_U64(get_le32(b + 20), 1);       /* e_version */
	CHECK_EQ_U64(get_le64(b + 32), 64);      /* e_phoff */
	CHECK_EQ_U64(get_le64(b + 40), 0);       /* e_shoff */
	CHECK_EQ_U64(get_le16(b + 52), 64);      /* e_ehsize */
	CHECK_EQ_U64(get_le16(b + 54), 56);      /* e_phentsize */
	CHECK_EQ_U64(get_le16(b + 56), 4);       /* e_phnum */
	CHECK_EQ_U64(get_le16(b + 60), 0);       /* e_shnum */
	/* first phdr at 64: PT_NOTE, offset = paddr = note address */
	CHECK_EQ_U64(get_le32(b + 64), 4);
	CHECK_EQ_U64(get_le64(b + 64 + 8), 0x7dc1e2d8);
	CHECK_EQ_U64(get_le64(b + 64 + 16), 0);
	CHECK_EQ_U64(get_le64(b + 64 + 24), 0x7dc1e2d8);
	CHECK_EQ_U64(get_le64(b + 64 + 32), 368);
	CHECK_EQ_U64(get_le64(b + 64 + 40), 368);
	/* third phdr: PT_LOAD RWX reading the backup copy */
	CHECK_EQ_U64(get_le32(b + 64 + 112), 1);
	CHECK_EQ_U64(get_le32(b + 64 + 112 + 4), 7);
	CHECK_EQ_U64(get_le64(b + 64 + 112 + 8), 0x78f61000);
	CHECK_EQ_U64(get_le64(b + 64 + 112 + 16), 0xffff888000001000ull);
	CHECK_EQ_U64(get_le64(b + 64 + 112 + 24), 0x1000);
	/* and the reader agrees */
	CHECK(elf64_parse_ehdr(b, len, "hdr", &eh, &err) == 0);
	CHECK(eh.type == ET_CORE && eh.machine == EM_X86_64 && eh.phnum == 4);
	CHECK(elf64_parse_phdr(b, len, &eh, 3, "hdr", &ph, &err) == 0);
	CHECK(ph.type == PT_LOAD && ph.offset == 0x100000 && ph.memsz == 0x706000);
	CHECK(elf64_parse_phdr(b, len - 1, &eh, 3, "hdr", &ph, &err) == -EINVAL);
	b[EI_CLASS] = ELFCLASS32;
	kx_err_clear(&err);
	CHECK(elf64_parse_ehdr(b, len, "hdr", &eh, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "EI_CLASS");
	free(b);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s ? s : ".";
}

TEST(kcore_layout_from_fixture)
{
	char path[4096];
	struct kcore_layout k;
	struct kx_err err;
	size_t len;
	uint8_t *b;

	snprintf(path, sizeof(path), "%s/tests/fixtures/ovmf-q35-linux6.1-crashkernel-kdump/proc/kcore",
		 srcdir());
	b = slurp(path, &len);
	CHECK(b != NULL);
	if (!b)
		return;
	kx_err_clear(&err);
	CHECK(kcore_parse_layout(b, len, "kcore", &k, &err) == 0);
	CHECK(k.have_text);
	CHECK_EQ_U64(k.text_vaddr, 0xffffffff9a200000ull);
	CHECK_EQ_U64(k.text_paddr, 0x57400000);
	CHECK_EQ_U64(k.text_size, 0x3400000);
	CHECK(k.have_page_offset);
	CHECK_EQ_U64(k.page_offset, 0xffff9d6e40000000ull);
	/* truncated table: an error naming the header, not a guess */
	kx_err_clear(&err);
	CHECK(kcore_parse_layout(b, 200, "kcore", &k, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "program header");
	free(b);
}

TEST(cmdline_append_and_overflow)
{
	struct crash_plan p;
	struct kx_err err;
	char buf[64] = "root=/dev/vda1 nr_cpus=1";

	memset(&p, 0, sizeof(p));
	snprintf(p.cmdline_add, sizeof(p.cmdline_add), " elfcorehdr=1981812K");
	kx_err_clear(&err);
	/* 24 + 20 = 44 chars + NUL = 45: a limit of 44 overflows, 45 fits */
	CHECK(crash_cmdline_append(buf, sizeof(buf), 44, &p, &err) == -E2BIG);
	CHECK_STR_CONTAINS(err.msg, "overflow");
	CHECK_STR_CONTAINS(err.msg, "43");
	CHECK(strcmp(buf, "root=/dev/vda1 nr_cpus=1") == 0);
	CHECK(crash_cmdline_append(buf, sizeof(buf), 45, &p, &err) == 0);
	CHECK(strcmp(buf, "root=/dev/vda1 nr_cpus=1 elfcorehdr=1981812K") == 0);
}

TEST_MAIN
