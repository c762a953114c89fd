/* test-efi-sysfs.c - /sys/firmware/efi readers: the runtime map (spec 6.1)
 * against the real OVMF capture, and every way a value can be wrong. */
#include <errno.h>

#include "esd.h"
#include "esd-tree.h"
#include "test.h"

static int read_map(const char *root, struct runtime_map *m, struct kx_err *err)
{
	struct sysroot sr;

	kx_err_clear(err);
	if (sysroot_init(&sr, root, err) < 0)
		return -99;
	return esd_read_runtime_map(&sr, m, err);
}

static int read_efi(const char *root, struct efi_sysfs *e, struct kx_err *err)
{
	struct sysroot sr;

	kx_err_clear(err);
	if (sysroot_init(&sr, root, err) < 0)
		return -99;
	return esd_read_efi_sysfs(&sr, e, err);
}

/* Known rows of tests/fixtures/ovmf-q35-linux6.1/runtime-map.tsv. */
TEST(runtime_map_fixture)
{
	struct runtime_map m;
	struct kx_err err;
	int r = read_map(fixture("ovmf-q35-linux6.1"), &m, &err);

	CHECK(r == 0);
	CHECK_EQ_U64(m.n, 105);
	if (m.n != 105)
		return;
	CHECK_EQ_U64(m.desc[0].type, 0xb);
	CHECK_EQ_U64(m.desc[0].phys_addr, 0xffc00000);
	CHECK_EQ_U64(m.desc[0].virt_addr, 0xfffffffeffc00000ull);
	CHECK_EQ_U64(m.desc[0].num_pages, 0x400);
	CHECK_EQ_U64(m.desc[0].attribute, 0x8000000000000001ull);
	CHECK_EQ_U64(m.desc[8].type, 6);
	CHECK_EQ_U64(m.desc[8].phys_addr, 0x3f4ec000);
	CHECK_EQ_U64(m.desc[8].virt_addr, 0xfffffffeff0ec000ull);
	/* index 100 must not come from readdir order or string order (10, 100, 101...) */
	CHECK_EQ_U64(m.desc[100].phys_addr, 0x3ca51000);
	CHECK_EQ_U64(m.desc[104].phys_addr, 0x87000);
	CHECK_EQ_U64(m.desc[104].virt_addr, 0xfffffffefb887000ull);
	esd_runtime_map_free(&m);
	CHECK(m.desc == NULL && m.n == 0);
}

TEST(efi_sysfs_fixture)
{
	struct efi_sysfs e;
	struct kx_err err;
	uint64_t v = 0;

	CHECK(read_efi(fixture("ovmf-q35-linux6.1"), &e, &err) == 0);
	CHECK(e.present && e.have_fw_vendor && e.have_runtime && e.have_config_table);
	CHECK_EQ_U64(e.fw_vendor, 0x3f52aa18);
	CHECK_EQ_U64(e.runtime, 0x3f5ebb98);
	CHECK_EQ_U64(e.config_table, 0x3f5ebc98);
	CHECK(e.have_platform_size && e.fw_platform_size == 64);
	CHECK(e.have_systab && e.n_systab == 3);
	CHECK(esd_systab_lookup(&e, "SMBIOS", &v) == 0);
	CHECK_EQ_U64(v, 0x3f520000);
	CHECK(esd_systab_lookup(&e, "ACPI20", &v) == 0);
	CHECK_EQ_U64(v, 0x3f77d014);
	CHECK(esd_systab_lookup(&e, "SMBIOS3", &v) == -ENOENT);
	CHECK(e.have_map && e.map.n == 105);
	esd_efi_sysfs_free(&e);
}

/* A tree with a valid 3-entry map. */
static char *small_tree(void)
{
	char *t = tree_new();

	tree_desc(t, 0, 5, 0x1000, 0xfffffffeff000000ull, 1, 0x800000000000000full);
	tree_desc(t, 1, 6, 0x2000, 0xfffffffeff001000ull, 2, 0x800000000000000full);
	tree_desc(t, 2, 11, 0xffc00000, 0xfffffffeffc00000ull, 0x400, 0x8000000000000001ull);
	return t;
}

TEST(runtime_map_synthetic_ok)
{
	char *t = small_tree();
	struct runtime_map m;
	struct kx_err err;

	CHECK(read_map(t, &m, &err) == 0);
	CHECK_EQ_U64(m.n, 3);
	CHECK_EQ_U64(m.desc[1].num_pages, 2);
	CHECK_EQ_U64(m.desc[2].type, 11);
	esd_runtime_map_free(&m);
	tree_free(t);
}

/* Write a bad value into runtime-map/1/<field>; expect rc and a message
 * naming that file and quoting the value. */
static void bad_value(const char *field, const char *value, int want_rc, const char *want_msg)
{
	char *t = small_tree();
	char rel[128];
	struct runtime_map m;
	struct kx_err err;
	int r;

	snprintf(rel, sizeof(rel), "sys/firmware/efi/runtime-map/1/%s", field);
	tree_puts(t, rel, value);
	r = read_map(t, &m, &err);
	CHECK(r == want_rc);
	CHECK_STR_CONTAINS(err.where, rel);
	CHECK_STR_CONTAINS(err.msg, want_msg);
	if (r == 0)
		esd_runtime_map_free(&m);
	tree_free(t);
}

TEST(runtime_map_garbage)
{
	bad_value("phys_addr", "0x12zz\n", -EINVAL, "not a 0x-prefixed hex number (\"0x12zz\\n\")");
	bad_value("virt_addr", "12345\n", -EINVAL, "not a 0x-prefixed hex number");
	bad_value("attribute", "0x\n", -EINVAL, "not a 0x-prefixed hex number");
}

TEST(runtime_map_trailing_garbage)
{
	bad_value("num_pages", "0x10 pages\n", -EINVAL, "not a 0x-prefixed hex number");
	bad_value("num_pages", "0x10\n\n", -EINVAL, "not a 0x-prefixed hex number");
}

TEST(runtime_map_empty_value)
{
	bad_value("type", "", -EINVAL, "empty");
}

TEST(runtime_map_overflow)
{
	bad_value("phys_addr", "0x10000000000000000\n", -ERANGE, "overflows 64 bits");
	bad_value("type", "0x100000000\n", -ERANGE, "32-bit type");
}

TEST(runtime_map_missing_file)
{
	char *t = small_tree();
	struct runtime_map m;
	struct kx_err err;

	tree_rm(t, "sys/firmware/efi/runtime-map/2/attribute");
	CHECK(read_map(t, &m, &err) == -ENOENT);
	CHECK_STR_CONTAINS(err.where, "runtime-map/2/attribute");
	tree_free(t);
}

TEST(runtime_map_gap)
{
	char *t = tree_new();
	struct runtime_map m;
	struct kx_err err;

	tree_desc(t, 0, 5, 0x1000, 0xfffffffeff000000ull, 1, 0x800000000000000full);
	tree_desc(t, 2, 6, 0x2000, 0xfffffffeff001000ull, 1, 0x800000000000000full);
	CHECK(read_map(t, &m, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "entry 1 is missing");
	tree_free(t);
}

TEST(runtime_map_empty_dir)
{
	char *t = tree_new();
	struct runtime_map m;
	struct kx_err err;

	tree_puts(t, "sys/firmware/efi/runtime-map/.keep", "");
	tree_rm(t, "sys/firmware/efi/runtime-map/.keep");
	CHECK(read_map(t, &m, &err) == 0);
	CHECK(m.n == 0 && m.desc == NULL);
	tree_free(t);
}

TEST(efi_sysfs_optional_files)
{
	char *t = small_tree();
	struct efi_sysfs e;
	struct kx_err err;

	/* only the map: every optional file missing is not an error */
	CHECK(read_efi(t, &e, &err) == 0);
	CHECK(e.present && !e.have_fw_vendor && !e.have_runtime && !e.have_config_table);
	CHECK(!e.have_platform_size && !e.have_systab && e.have_map);
	esd_efi_sysfs_free(&e);
	tree_free(t);

	t = tree_new();
	CHECK(read_efi(t, &e, &err) == 0);
	CHECK(!e.present && !e.have_map);
	tree_free(t);
}

TEST(efi_sysfs_bad_values)
{
	char *t = small_tree();
	struct efi_sysfs e;
	struct kx_err err;

	tree_puts(t, "sys/firmware/efi/fw_vendor", "0x3f52aa18 \n");
	CHECK(read_efi(t, &e, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "sys/firmware/efi/fw_vendor");
	esd_efi_sysfs_free(&e);
	tree_puts(t, "sys/firmware/efi/fw_vendor", "0x3f52aa18\n");

	tree_puts(t, "sys/firmware/efi/fw_platform_size", "48\n");
	CHECK(read_efi(t, &e, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "fw_platform_size");
	CHECK_STR_CONTAINS(err.msg, "48");
	esd_efi_sysfs_free(&e);

	tree_puts(t, "sys/firmware/efi/fw_platform_size", "0x40\n");
	CHECK(read_efi(t, &e, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "not a decimal number");
	esd_efi_sysfs_free(&e);

	tree_puts(t, "sys/firmware/efi/fw_platform_size", "32\n");
	CHECK(read_efi(t, &e, &err) == 0);
	CHECK(e.fw_platform_size == 32);
	esd_efi_sysfs_free(&e);

	tree_puts(t, "sys/firmware/efi/systab", "ACPI20=0x1\nSMBIOS=0xzz\n");
	CHECK(read_efi(t, &e, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "systab");
	CHECK_STR_CONTAINS(err.msg, "line 2: SMBIOS");
	esd_efi_sysfs_free(&e);
	tree_free(t);
}

TEST(systab_parse)
{
	struct systab_entry s[4];
	struct kx_err err;
	size_t n = 99;
	const char ok[] = "ACPI20=0x3f77d014\nACPI=0x3f77d000\nSMBIOS3=0x3f51e000\n";

	kx_err_clear(&err);
	CHECK(esd_parse_systab(ok, sizeof(ok) - 1, "systab", s, 4, &n, &err) == 0);
	CHECK(n == 3);
	CHECK(strcmp(s[2].name, "SMBIOS3") == 0);
	CHECK_EQ_U64(s[2].value, 0x3f51e000);
	/* no final newline is fine */
	CHECK(esd_parse_systab("ACPI=0x1", 8, "systab", s, 4, &n, &err) == 0 && n == 1);
	CHECK(esd_parse_systab("", 0, "systab", s, 4, &n, &err) == 0 && n == 0);

	kx_err_clear(&err);
	CHECK(esd_parse_systab("ACPI20 0x1\n", 11, "systab", s, 4, &n, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "no '='");
	kx_err_clear(&err);
	CHECK(esd_parse_systab("A=0x1\n\nB=0x2\n", 13, "systab", s, 4, &n, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "line 2: empty");
	kx_err_clear(&err);
	CHECK(esd_parse_systab("A B=0x1\n", 8, "systab", s, 4, &n, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "bad table name");
	kx_err_clear(&err);
	CHECK(esd_parse_systab("A=0x11111111111111111\n", 22, "systab", s, 4, &n, &err) == -ERANGE);
	kx_err_clear(&err);
	CHECK(esd_parse_systab("A=0x1\nB=0x2\nC=0x3\n", 18, "systab", s, 2, &n, &err) == -E2BIG);
}

TEST_MAIN
