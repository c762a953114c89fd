/* test-bootparams.c - /sys/kernel/boot_params reader (spec 2.4) and the
 * boot_params page decoder (spec 1), on the real captures and broken copies. */
#include <errno.h>

#include "esd.h"
#include "esd-tree.h"
#include "test.h"

static int read_bp(const char *root, struct boot_params_sysfs *bp, struct kx_err *err)
{
	struct sysroot sr;

	kx_err_clear(err);
	if (sysroot_init(&sr, root, err) < 0)
		return -99;
	return esd_read_boot_params(&sr, bp, err);
}

TEST(boot_params_fixture)
{
	static struct boot_params_sysfs bp;
	static struct bp_decoded d;
	struct kx_err err;

	CHECK(read_bp(fixture("ovmf-q35-linux6.1"), &bp, &err) == 0);
	CHECK(bp.present && bp.have_version);
	CHECK_EQ_U64(bp.version, 0);          /* as captured: "0x0000" */
	CHECK_EQ_U64(bp.data_len, 4096);
	CHECK_EQ_U64(bp.chain.n, 0);          /* first kernel: no setup_data dir */
	kx_err_clear(&err);
	CHECK(esd_boot_params_decode(bp.data, bp.data_len, "data", &d, &err) == 0);
	/* decoded.json: efi_info, e820_entries 16, secure_boot 2, loader 0x21 */
	CHECK_EQ_U64(d.efi.loader_signature, EFI64_LOADER_SIGNATURE);
	CHECK_EQ_U64(d.efi.systab, 0x3f5eb018);
	CHECK_EQ_U64(d.efi.memdesc_size, 48);
	CHECK_EQ_U64(d.efi.memdesc_version, 1);
	CHECK_EQ_U64(d.efi.memmap, 0x3f772040);
	CHECK_EQ_U64(d.efi.memmap_size, 6096);
	CHECK_EQ_U64(d.e820_entries, 16);
	CHECK_EQ_U64(d.secure_boot, 2);
	CHECK_EQ_U64(d.type_of_loader, 0x21);
	CHECK_EQ_U64(d.loadflags, 0x2);
	CHECK_EQ_U64(d.ramdisk_image, 0x35c40000);
	CHECK_EQ_U64(d.ramdisk_size, 0x13bf089);
	CHECK_EQ_U64(d.ramdisk_addr, 0x35c40000);
	CHECK_EQ_U64(d.cmd_line_ptr, 0x3ca57018);
	CHECK_EQ_U64(d.e820[0].addr, 0);
	CHECK_EQ_U64(d.e820[0].size, 0xa0000);
	CHECK_EQ_U64(d.e820[0].type, E820_TYPE_RAM);
	CHECK_EQ_U64(d.e820[2].addr, 0x806000);
	CHECK_EQ_U64(d.e820[2].type, E820_TYPE_NVS);
	CHECK_EQ_U64(d.e820[14].addr, 0xb0000000);
	CHECK_EQ_U64(d.e820[14].type, E820_TYPE_RESERVED);
	esd_boot_params_free(&bp);
}

/* After kexec -l: setup_data/0 = RNG seed (zeroed by the kernel), 1 = SETUP_EFI. */
TEST(boot_params_after_kexec_load)
{
	static struct boot_params_sysfs bp;
	static struct bp_decoded d;
	struct efi_setup_payload p;
	struct kx_err err;
	unsigned i;

	CHECK(read_bp(fixture("ovmf-q35-linux6.1-after-kexec-load"), &bp, &err) == 0);
	CHECK(bp.have_version && bp.version == 0x020f);
	CHECK_EQ_U64(bp.chain.n, 2);
	if (bp.chain.n != 2)
		return;
	CHECK_EQ_U64(bp.chain.node[0].type, SETUP_RNG_SEED);
	CHECK_EQ_U64(bp.chain.node[0].len, 0);
	CHECK_EQ_U64(bp.chain.node[1].type, SETUP_EFI);
	CHECK_EQ_U64(bp.chain.node[1].len, 96);
	CHECK(!bp.chain.node[1].indirect);
	kx_err_clear(&err);
	CHECK(esd_setup_efi_decode(bp.chain.node[1].data, bp.chain.node[1].len, &p, &err) == 0);
	CHECK_EQ_U64(p.fw_vendor, 0x3f52aa18);
	CHECK_EQ_U64(p.runtime, 0x3f5ebb98);
	CHECK_EQ_U64(p.tables, 0x3f5ebc98);
	CHECK_EQ_U64(p.smbios, 0x3f520000);
	for (i = 0; i < 8; i++)
		CHECK_EQ_U64(p.reserved[i], 0);

	CHECK(esd_boot_params_decode(bp.data, bp.data_len, "data", &d, &err) == 0);
	CHECK_EQ_U64(d.efi.memdesc_size, 40);
	CHECK_EQ_U64(d.efi.memmap, 0x101000);
	CHECK_EQ_U64(d.efi.memmap_size, 4200);
	esd_boot_params_free(&bp);
}

TEST(boot_params_truncated)
{
	char *t = tree_copy_fixture("ovmf-q35-linux6.1");
	static struct boot_params_sysfs bp;
	static struct bp_decoded d;
	struct kx_err err;
	uint8_t *data;
	size_t len;
	char path[4200];

	snprintf(path, sizeof(path), "%s/sys/kernel/boot_params/data", t);
	data = slurp(path, &len);
	tree_write(t, "sys/kernel/boot_params/data", data, 1000);
	free(data);
	/* reading a short file works and shows it */
	CHECK(read_bp(t, &bp, &err) == 0);
	CHECK_EQ_U64(bp.data_len, 1000);
	/* decoding it does not */
	kx_err_clear(&err);
	CHECK(esd_boot_params_decode(bp.data, bp.data_len, "boot_params/data", &d, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "truncated boot_params (1000 of 4096 bytes)");
	esd_boot_params_free(&bp);
	tree_free(t);
}

TEST(boot_params_too_big_and_bad_version)
{
	char *t = tree_copy_fixture("ovmf-q35-linux6.1");
	static uint8_t big[5000];
	static struct boot_params_sysfs bp;
	struct kx_err err;

	tree_write(t, "sys/kernel/boot_params/data", big, sizeof(big));
	CHECK(read_bp(t, &bp, &err) == -EFBIG);
	CHECK_STR_CONTAINS(err.where, "boot_params/data");
	esd_boot_params_free(&bp);
	tree_write(t, "sys/kernel/boot_params/data", big, 4096);

	tree_puts(t, "sys/kernel/boot_params/version", "0x1020f\n");
	CHECK(read_bp(t, &bp, &err) == -ERANGE);
	CHECK_STR_CONTAINS(err.where, "boot_params/version");
	esd_boot_params_free(&bp);
	tree_puts(t, "sys/kernel/boot_params/version", "020f\n");
	CHECK(read_bp(t, &bp, &err) == -EINVAL);
	esd_boot_params_free(&bp);
	tree_free(t);
}

TEST(boot_params_setup_data_bad)
{
	char *t = tree_copy_fixture("ovmf-q35-linux6.1-after-kexec-load");
	static struct boot_params_sysfs bp;
	struct kx_err err;

	/* a gap in N */
	tree_puts(t, "sys/kernel/boot_params/setup_data/3/type", "0x4\n");
	tree_write(t, "sys/kernel/boot_params/setup_data/3/data", "", 0);
	CHECK(read_bp(t, &bp, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "entry 2 is missing");
	esd_boot_params_free(&bp);
	/* filled: ok, and an indirect inner type is recognised */
	tree_puts(t, "sys/kernel/boot_params/setup_data/2/type", "0x80000002\n");
	tree_write(t, "sys/kernel/boot_params/setup_data/2/data", "\xd0\x0d\xfe\xed", 4);
	CHECK(read_bp(t, &bp, &err) == 0);
	CHECK_EQ_U64(bp.chain.n, 4);
	if (bp.chain.n == 4) {
		CHECK(bp.chain.node[2].indirect);
		CHECK_EQ_U64(bp.chain.node[2].len, 4);
		CHECK(strcmp(esd_setup_data_type_name(bp.chain.node[2].type), "SETUP_INDIRECT|SETUP_DTB") == 0);
	}
	esd_boot_params_free(&bp);
	/* garbage type */
	tree_puts(t, "sys/kernel/boot_params/setup_data/1/type", "4\n");
	CHECK(read_bp(t, &bp, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.where, "setup_data/1/type");
	esd_boot_params_free(&bp);
	/* missing data */
	tree_puts(t, "sys/kernel/boot_params/setup_data/1/type", "0x4\n");
	tree_rm(t, "sys/kernel/boot_params/setup_data/1/data");
	CHECK(read_bp(t, &bp, &err) == -ENOENT);
	CHECK_STR_CONTAINS(err.where, "setup_data/1/data");
	esd_boot_params_free(&bp);
	tree_free(t);
}

TEST(boot_params_decode_fields)
{
	static uint8_t page[BP_SIZE];
	static struct bp_decoded d;
	struct kx_err err;

	memset(page, 0, sizeof(page));
	put_le32(page + BP_EXT_RAMDISK_IMAGE, 0x1);
	put_le32(page + HDR_RAMDISK_IMAGE, 0x2000000);
	put_le32(page + BP_EXT_CMD_LINE_PTR, 0x2);
	put_le32(page + HDR_CMD_LINE_PTR, 0x3000);
	put_le64(page + HDR_SETUP_DATA, 0x123456789ull);
	put_le16(page + HDR_XLOADFLAGS, XLF_KERNEL_64 | XLF_EFI_KEXEC);
	page[BP_SENTINEL] = 0xff;
	page[BP_E820_ENTRIES] = 1;
	put_le64(page + BP_E820_TABLE, 0x100000);
	put_le64(page + BP_E820_TABLE + 8, 0x1000);
	put_le32(page + BP_E820_TABLE + 16, 4);
	kx_err_clear(&err);
	CHECK(esd_boot_params_decode(page, sizeof(page), "bp", &d, &err) == 0);
	CHECK_EQ_U64(d.ramdisk_addr, 0x102000000ull);
	CHECK_EQ_U64(d.cmdline_addr, 0x200003000ull);
	CHECK_EQ_U64(d.setup_data, 0x123456789ull);
	CHECK_EQ_U64(d.xloadflags, XLF_KERNEL_64 | XLF_EFI_KEXEC);
	CHECK_EQ_U64(d.sentinel, 0xff);
	CHECK_EQ_U64(d.e820[0].size, 0x1000);
	CHECK_EQ_U64(d.e820[0].type, 4);

	page[BP_E820_ENTRIES] = 129;
	kx_err_clear(&err);
	CHECK(esd_boot_params_decode(page, sizeof(page), "bp", &d, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "e820_entries: 129");
	kx_err_clear(&err);
	CHECK(esd_boot_params_decode(NULL, 0, "bp", &d, &err) == -EINVAL);
}

TEST(boot_params_absent)
{
	char *t = tree_new();
	static struct boot_params_sysfs bp;
	struct kx_err err;

	CHECK(read_bp(t, &bp, &err) == 0);
	CHECK(!bp.present && bp.data_len == 0 && bp.chain.n == 0);
	tree_free(t);
}

TEST_MAIN
