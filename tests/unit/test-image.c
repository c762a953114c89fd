/* test-image.c - esd_image_parse on synthetic bzImage headers (spec 1.3):
 * a sane 6.x-like header, kernel_info, and hostile lengths and values. */
#include <errno.h>

#include "esd.h"
#include "test.h"

static uint8_t img[64 * 1024];

/* setup_sects 27 -> PM code at 0x3800; kernel_info at PM + 0x1000. */
static size_t make_image(void)
{
	const char kv[] = "6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP";
	size_t pm = (27 + 1) * 512;

	memset(img, 0, sizeof(img));
	img[HDR_SETUP_SECTS] = 27;
	put_le16(img + HDR_BOOT_FLAG, HDR_BOOT_FLAG_MAGIC);
	img[HDR_JUMP] = 0xEB;
	img[HDR_JUMP + 1] = 0x6A;                       /* header ends at 0x26C */
	put_le32(img + HDR_HEADER, HDR_MAGIC);
	put_le16(img + HDR_VERSION, 0x020F);
	put_le16(img + HDR_KERNEL_VERSION, 0x3000 - 0x200);
	memcpy(img + 0x3000, kv, sizeof(kv));
	img[HDR_LOADFLAGS] = LOADFLAG_LOADED_HIGH;
	put_le32(img + HDR_INITRD_ADDR_MAX, 0x7fffffff);
	put_le32(img + HDR_KERNEL_ALIGNMENT, 0x200000);
	img[HDR_RELOCATABLE_KERNEL] = 1;
	img[HDR_MIN_ALIGNMENT] = 21;
	put_le16(img + HDR_XLOADFLAGS, 0x7f);
	put_le32(img + HDR_CMDLINE_SIZE, 2047);
	put_le32(img + HDR_PAYLOAD_OFFSET, 0x3b4);
	put_le32(img + HDR_PAYLOAD_LENGTH, 0x8000);
	put_le64(img + HDR_PREF_ADDRESS, 0x1000000);
	put_le32(img + HDR_INIT_SIZE, 0x2d6b000);
	put_le32(img + HDR_KERNEL_INFO_OFFSET, 0x1000);
	put_le32(img + pm + 0x1000, KERNEL_INFO_MAGIC);
	put_le32(img + pm + 0x1004, 0x10);
	put_le32(img + pm + 0x1008, 0x10);
	put_le32(img + pm + 0x100C, 0x8000000A);
	return pm + 0x2000;
}

TEST(image_good)
{
	struct esd_image im;
	struct kx_err err;
	size_t len = make_image();

	kx_err_clear(&err);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK_EQ_U64(im.file_size, len);
	CHECK_EQ_U64(im.setup_sects, 27);
	CHECK_EQ_U64(im.setup_size, 28 * 512);
	CHECK_EQ_U64(im.hdr_end, 0x26C);
	CHECK_EQ_U64(im.boot_flag, 0xAA55);
	CHECK_EQ_U64(im.header_magic, HDR_MAGIC);
	CHECK_EQ_U64(im.version, 0x020F);
	CHECK_EQ_U64(im.loadflags, 1);
	CHECK_EQ_U64(im.kernel_alignment, 0x200000);
	CHECK_EQ_U64(im.min_alignment, 21);
	CHECK_EQ_U64(im.xloadflags, 0x7f);
	CHECK_EQ_U64(im.cmdline_size, 2047);
	CHECK_EQ_U64(im.pref_address, 0x1000000);
	CHECK_EQ_U64(im.init_size, 0x2d6b000);
	CHECK_EQ_U64(im.kernel_info_offset, 0x1000);
	CHECK(im.have_setup_type_max);
	CHECK_EQ_U64(im.setup_type_max, 0x8000000A);
	CHECK_STR_CONTAINS(im.kernel_version, "6.1.0-56-amd64 (debian");
	CHECK(im.kver_major == 6 && im.kver_minor == 1);
}

TEST(image_setup_sects_zero_means_four)
{
	struct esd_image im;
	struct kx_err err;

	make_image();
	img[HDR_SETUP_SECTS] = 0;
	kx_err_clear(&err);
	CHECK(esd_image_parse(img, sizeof(img), "vmlinuz", &im, &err) == 0);
	CHECK_EQ_U64(im.setup_size, 5 * 512);
	CHECK(!im.have_setup_type_max);   /* kernel_info is not at 0xA00 + 0x1000 */
	img[HDR_SETUP_SECTS] = 255;       /* the biggest: no overflow, out of the file */
	CHECK(esd_image_parse(img, 0x3000, "vmlinuz", &im, &err) == 0);
	CHECK_EQ_U64(im.setup_size, 256 * 512);
	CHECK(!im.have_setup_type_max);
}

TEST(image_too_short)
{
	struct esd_image im;
	struct kx_err err;
	size_t len = make_image();

	kx_err_clear(&err);
	CHECK(esd_image_parse(img, 0x100, "vmlinuz", &im, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "too short");
	kx_err_clear(&err);
	CHECK(esd_image_parse(img, 0x260, "vmlinuz", &im, &err) == -EINVAL);
	CHECK_STR_CONTAINS(err.msg, "0x26c");
	kx_err_clear(&err);
	CHECK(esd_image_parse(NULL, 0, "vmlinuz", &im, &err) == -EINVAL);
	CHECK(esd_image_parse(img, 0x26C, "vmlinuz", &im, &err) == 0);   /* just the header */
	CHECK(!im.have_setup_type_max && im.kernel_version[0] == '\0');
	CHECK_EQ_U64(im.init_size, 0x2d6b000);
	(void)len;
}

TEST(image_old_protocol_short_header)
{
	struct esd_image im;
	struct kx_err err;

	make_image();
	img[HDR_JUMP + 1] = 0x20;           /* header ends at 0x222 (protocol 2.0x) */
	put_le16(img + HDR_VERSION, 0x0204);
	kx_err_clear(&err);
	CHECK(esd_image_parse(img, sizeof(img), "vmlinuz", &im, &err) == 0);
	CHECK_EQ_U64(im.hdr_end, 0x222);
	CHECK_EQ_U64(im.loadflags, 1);            /* 0x211: inside */
	CHECK_EQ_U64(im.kernel_alignment, 0);     /* 0x230: beyond the header, not read */
	CHECK_EQ_U64(im.pref_address, 0);
	CHECK(!im.have_setup_type_max);
}

TEST(image_hostile_values)
{
	struct esd_image im;
	struct kx_err err;
	size_t len = make_image();

	/* kernel_info_offset near 2^32: no overflow, just absent */
	put_le32(img + HDR_KERNEL_INFO_OFFSET, 0xfffffff8);
	kx_err_clear(&err);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(!im.have_setup_type_max);
	/* kernel_info ending 1 byte past the file */
	put_le32(img + HDR_KERNEL_INFO_OFFSET, (uint32_t)(len - 28 * 512 - 15));
	put_le32(img + len - 15, KERNEL_INFO_MAGIC);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(!im.have_setup_type_max);
	/* wrong magic */
	make_image();
	put_le32(img + 28 * 512 + 0x1000, 0x12345678);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(!im.have_setup_type_max);
	/* protocol 2.14: kernel_info not looked at */
	make_image();
	put_le16(img + HDR_VERSION, 0x020E);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(!im.have_setup_type_max);

	/* kernel_version pointing past the file, past setup, unterminated, unprintable */
	make_image();
	put_le16(img + HDR_KERNEL_VERSION, 0xfff0);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(im.kernel_version[0] == '\0' && im.kver_major == 0);
	make_image();
	memset(img + 0x3000, 'A', 28 * 512 - 0x3000);   /* runs to the end of setup */
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(im.kernel_version[0] == '\0');
	make_image();
	img[0x3003] = 0x01;
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(im.kernel_version[0] == '\0');
	make_image();
	memcpy(img + 0x3000, "garbage\0", 8);
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(strcmp(im.kernel_version, "garbage") == 0 && im.kver_major == 0);
	make_image();
	memset(img + 0x3000, '7', 300);                    /* long: kept truncated */
	img[0x3000 + 300] = 0;
	CHECK(esd_image_parse(img, len, "vmlinuz", &im, &err) == 0);
	CHECK(strlen(im.kernel_version) == sizeof(im.kernel_version) - 1);
}

/* Every length of every byte pattern stays in bounds (run under ASan). */
TEST(image_every_length)
{
	struct esd_image im;
	size_t len, bad = 0;
	size_t full = make_image();

	for (len = 0; len <= full; len += (len < 0x400 ? 1 : 97)) {
		uint8_t *copy = malloc(len ? len : 1);
		int r;

		memcpy(copy, img, len);
		r = esd_image_parse(copy, len, "x", &im, NULL);
		if ((len < 0x26C && r != -EINVAL) || (len >= 0x26C && r != 0))
			bad++;
		free(copy);
	}
	CHECK_EQ_U64(bad, 0);
}

TEST_MAIN
