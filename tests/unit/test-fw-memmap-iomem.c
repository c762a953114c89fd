/* test-fw-memmap-iomem.c - /sys/firmware/memmap (spec 6.2), /proc/iomem
 * (spec 6.3), /proc/cmdline and esd_system_read. */
#include <errno.h>

#include "esd.h"
#include "esd-tree.h"
#include "test.h"

static int read_memmap(const char *root, struct fw_memmap *m, struct kx_err *err)
{
	struct sysroot sr;

	kx_err_clear(err);
	if (sysroot_init(&sr, root, err) < 0)
		return -99;
	return esd_read_fw_memmap(&sr, m, err);
}

TEST(fw_memmap_fixture)
{
	struct fw_memmap m;
	struct kx_err err;

	CHECK(read_memmap(fixture("ovmf-q35-linux6.1"), &m, &err) == 0);
	CHECK_EQ_U64(m.n, 16);
	if (m.n != 16)
		return;
	CHECK_EQ_U64(m.e[0].start, 0);
	CHECK_EQ_U64(m.e[0].end, 0x9ffff);
	CHECK_EQ_U64(m.e[0].e820_type, E820_TYPE_RAM);
	CHECK(strcmp(m.e[2].type, "ACPI Non-volatile Storage") == 0);
	CHECK_EQ_U64(m.e[2].e820_type, E820_TYPE_NVS);
	CHECK_EQ_U64(m.e[15].start, 0xffc00000);
	CHECK_EQ_U64(m.e[15].end, 0xffffffff);
	CHECK_EQ_U64(m.e[15].e820_type, E820_TYPE_RESERVED);
	esd_fw_memmap_free(&m);
}

TEST(fw_memmap_bad)
{
	char *t = tree_new();
	struct fw_memmap m;
	struct kx_err err;

	tree_puts(t, "sys/firmware/memmap/0/start", "0x1000\n");
	tree_puts(t, "sys/firmware/memmap/0/end", "0x1fff\n");
	tree_puts(t, "sys/firmware/memmap/0/type", "Fancy RAM\n");
	CHECK(read_memmap(t, &m, &err) == 0);
	CHECK(m.n == 1 && m.e[0].e820_type == 0);   /* unknown type string: 0, not an error */
	esd_fw_memmap_free(&m);

	tree_puts(t, "sys/firmware/memmap/0/end", "0xfff\n");
	CHECK(read_memmap(t, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "memmap/0/end");
	CHECK_STR_CONTAINS(err.msg, "below start");
	tree_puts(t, "sys/firmware/memmap/0/end", "0x1fffg\n");
	CHECK(read_memmap(t, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "memmap/0/end");
	tree_puts(t, "sys/firmware/memmap/0/end", "0x1fff\n");
	tree_puts(t, "sys/firmware/memmap/0/type", "\n");
	CHECK(read_memmap(t, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "memmap/0/type");
	tree_puts(t, "sys/firmware/memmap/0/type", "Reserved\n");
	tree_puts(t, "sys/firmware/memmap/x/type", "Reserved\n");
	CHECK(read_memmap(t, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "not a decimal index");
	tree_free(t);
	t = tree_new();
	CHECK(read_memmap(t, &m, &err) == -ENOENT);
	tree_free(t);
}

TEST(e820_names)
{
	CHECK(esd_e820_type_from_name("System RAM") == E820_TYPE_RAM);
	CHECK(esd_e820_type_from_name("Persistent Memory (legacy)") == E820_TYPE_PRAM);
	CHECK(esd_e820_type_from_name("Persistent Memory") == E820_TYPE_PMEM);
	CHECK(esd_e820_type_from_name("Soft Reserved") == E820_TYPE_SOFT_RESERVED);
	CHECK(esd_e820_type_from_name("reserved") == 0);
	CHECK(strcmp(esd_e820_type_name(E820_TYPE_ACPI), "ACPI Tables") == 0);
	CHECK(strcmp(esd_e820_type_name(99), "unknown") == 0);
}

TEST(iomem_fixture_nesting)
{
	struct sysroot sr;
	struct iomem io;
	struct kx_err err;
	size_t i;
	int k = -1, p = -1;

	kx_err_clear(&err);
	CHECK(sysroot_init(&sr, fixture("ovmf-q35-linux6.1"), &err) == 0);
	CHECK(esd_read_iomem(&sr, &io, &err) == 0);
	CHECK_EQ_U64(io.n, 33);
	for (i = 0; i < io.n; i++) {
		if (strcmp(io.e[i].name, "Kernel code") == 0)
			k = (int)i;
		if (strcmp(io.e[i].name, "pnp 00:04") == 0)
			p = (int)i;
	}
	CHECK(k == 9);
	if (k == 9) {
		CHECK_EQ_U64(io.e[k].depth, 1);
		CHECK_EQ_U64(io.e[k].start, 0x37000000);
		CHECK_EQ_U64(io.e[k].end, 0x37e01d31);
		CHECK(io.e[k].parent == 8);
		CHECK(strcmp(io.e[8].name, "System RAM") == 0);
		CHECK(io.e[8].parent == -1);
	}
	CHECK(p > 1);
	if (p > 1) {
		CHECK_EQ_U64(io.e[p].depth, 2);
		CHECK(io.e[p].parent == p - 1);
		CHECK(io.e[p - 1].parent == p - 2);
		CHECK(strcmp(io.e[p - 2].name, "PCI MMCONFIG 0000 [bus 00-ff]") == 0);
	}
	esd_iomem_free(&io);
}

TEST(iomem_parse_cases)
{
	struct iomem io;
	struct kx_err err;
	const char ok[] = "00000000-00000fff : Reserved\n"
			  "00100000-3fffffff : System RAM\n"
			  "  01000000-01ffffff : Kernel code\n"
			  "    01000000-010fffff : deeper\n"
			  "  20000000-2fffffff : Crash kernel\n"
			  "100000000-13fffffff : System RAM";   /* no final newline */

	kx_err_clear(&err);
	CHECK(esd_parse_iomem(ok, sizeof(ok) - 1, "iomem", &io, &err) == 0);
	CHECK_EQ_U64(io.n, 6);
	if (io.n == 6) {
		CHECK(io.e[3].parent == 2 && io.e[3].depth == 2);
		CHECK(io.e[4].parent == 1 && io.e[4].depth == 1);
		CHECK(strcmp(io.e[4].name, "Crash kernel") == 0);
		CHECK(io.e[5].parent == -1);
		CHECK_EQ_U64(io.e[5].start, 0x100000000ull);
	}
	esd_iomem_free(&io);

	kx_err_clear(&err);
	CHECK(esd_parse_iomem("  00-ff : orphan\n", 17, "iomem", &io, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "without a parent");
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-ff : a\n    10-20 : b\n", 24, "iomem", &io, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "line 2");
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-ff : a\n   10-20 : b\n", 23, "iomem", &io, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "odd indentation");
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-zz : a\n", 10, "iomem", &io, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "bad address range");
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("ff-00 : a\n", 10, "iomem", &io, &err) == -EINVAL);
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00ff : a\n", 9, "iomem", &io, &err) == -EINVAL);
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-ff: a\n", 9, "iomem", &io, &err) == -EINVAL);
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-ff : a\n\n", 11, "iomem", &io, &err) == -EINVAL);
	kx_err_clear(&err);
	CHECK(esd_parse_iomem("00-11111111111111111 : a\n", 25, "iomem", &io, &err) == -ERANGE);
	CHECK(io.e == NULL && io.n == 0);
}

TEST(cmdline_and_system)
{
	static struct esd_system sys;
	struct kx_err err;
	char *t;

	kx_err_clear(&err);
	CHECK(esd_system_read(fixture("ovmf-q35-linux6.1"), &sys, &err) == 0);
	CHECK(sys.efi_rc == 0 && sys.bp_rc == 0 && sys.memmap_rc == 0 && sys.iomem_rc == 0 &&
	      sys.cmdline_rc == 0);
	CHECK_STR_CONTAINS(sys.cmdline, "console=ttyS0,115200");
	CHECK(sys.cmdline[strlen(sys.cmdline) - 1] == 'd');   /* "initrd=initrd", newline stripped */
	CHECK(sys.efi_debug);
	CHECK(sys.la57);
	CHECK(sys.efi.map.n == 105 && sys.memmap.n == 16 && sys.iomem.n == 33);
	esd_system_free(&sys);

	CHECK(esd_system_read(fixture("ovmf-q35-linux6.1-noefidebug"), &sys, &err) == 0);
	CHECK(!sys.efi_debug);
	esd_system_free(&sys);

	/* parts fail on their own; the call still succeeds */
	t = tree_new();
	tree_puts(t, "proc/cmdline", "quiet efi=nosoftreserve,debug noefi=1\n");
	tree_puts(t, "proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu la57x\n\nprocessor\t: 1\nflags\t\t: fpu pae\n");
	tree_puts(t, "proc/iomem", "zz\n");
	CHECK(esd_system_read(t, &sys, &err) == 0);
	CHECK(sys.cmdline_rc == 0 && sys.efi_debug);
	CHECK(!sys.la57);
	CHECK(sys.iomem_rc == -EINVAL);
	CHECK_STR_CONTAINS(sys.iomem_err.where, "proc/iomem");
	CHECK(sys.memmap_rc == -ENOENT);
	CHECK(sys.efi_rc == 0 && !sys.efi.present);
	esd_system_free(&sys);
	tree_puts(t, "proc/cmdline", "noefi=debug xefi=debug\n");
	tree_puts(t, "proc/cpuinfo", "flags\t\t: fpu la57 pae\n");
	CHECK(esd_system_read(t, &sys, &err) == 0);
	CHECK(!sys.efi_debug);
	CHECK(sys.la57);
	esd_system_free(&sys);
	tree_rm(t, "proc/cmdline");
	CHECK(esd_system_read(t, &sys, &err) == 0);
	CHECK(sys.cmdline_rc == -ENOENT);
	esd_system_free(&sys);
	tree_free(t);

	kx_err_clear(&err);
	CHECK(esd_system_read("/nonexistent/sysroot", &sys, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "sysroot");
}

TEST_MAIN
