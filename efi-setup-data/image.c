/* image.c - parse the setup header of a bzImage (spec 1.3), defensively:
 * any length, hostile values. No byte past len is read, offsets are
 * computed in 64 bits, and fields the header does not reach (an old
 * protocol's shorter header) stay 0. Judging the values is rule 8.1's job;
 * only a buffer too short for the header it claims is an error here. */
#include <errno.h>
#include <string.h>

#include "esd.h"

/* Read a field only if it lies inside the header and the buffer. */
struct hdr_view {
	const uint8_t *buf;
	size_t end;              /* min(hdr_end, len) */
};

static uint8_t hv8(const struct hdr_view *h, size_t off)
{
	return off + 1 <= h->end ? h->buf[off] : 0;
}
static uint16_t hv16(const struct hdr_view *h, size_t off)
{
	return off + 2 <= h->end ? get_le16(h->buf + off) : 0;
}
static uint32_t hv32(const struct hdr_view *h, size_t off)
{
	return off + 4 <= h->end ? get_le32(h->buf + off) : 0;
}
static uint64_t hv64(const struct hdr_view *h, size_t off)
{
	return off + 8 <= h->end ? get_le64(h->buf + off) : 0;
}

static bool printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

/* "6.1.0-56-amd64 (debian-kernel@...) #1 SMP ..." -> 6, 1 */
static void parse_kver(const char *s, unsigned *major, unsigned *minor)
{
	unsigned ma = 0, mi = 0;
	size_t i = 0, d;

	*major = *minor = 0;
	for (d = 0; s[i] >= '0' && s[i] <= '9' && d < 6; i++, d++)
		ma = ma * 10 + (unsigned)(s[i] - '0');
	if (d == 0 || s[i] != '.')
		return;
	i++;
	for (d = 0; s[i] >= '0' && s[i] <= '9' && d < 6; i++, d++)
		mi = mi * 10 + (unsigned)(s[i] - '0');
	if (d == 0)
		return;
	*major = ma;
	*minor = mi;
}

/* hdr.kernel_version + 0x200 points into the setup code (spec 1.3). Only a
 * NUL-terminated run of printable bytes inside setup and the buffer counts. */
static void read_kernel_version(const uint8_t *buf, size_t len, struct esd_image *out)
{
	uint64_t off, limit, i;
	size_t n;

	out->kernel_version[0] = '\0';
	if (HDR_KERNEL_VERSION + 2 > out->hdr_end)
		return;
	off = (uint64_t)get_le16(buf + HDR_KERNEL_VERSION);
	if (off == 0)
		return;
	off += 0x200;
	limit = out->setup_size < len ? out->setup_size : len;
	/* The NUL must come before the end of setup (and of the buffer), with
	 * only printable bytes before it; setup is at most 128 KiB. */
	for (i = off; i < limit && buf[i] != 0; i++)
		if (!printable(buf[i]))
			return;
	if (i >= limit)
		return;
	/* A string longer than our buffer is kept truncated: it is still the version. */
	n = (size_t)(i - off);
	if (n > sizeof(out->kernel_version) - 1)
		n = sizeof(out->kernel_version) - 1;
	memcpy(out->kernel_version, buf + off, n);
	out->kernel_version[n] = '\0';
	parse_kver(out->kernel_version, &out->kver_major, &out->kver_minor);
}

/* kernel_info (2.15+): "LToP", size, size_total, setup_type_max at +0x0C. */
static void read_kernel_info(const uint8_t *buf, size_t len, struct esd_image *out)
{
	uint64_t ki;

	if (out->version < 0x020F || out->kernel_info_offset == 0)
		return;
	ki = (uint64_t)out->setup_size + out->kernel_info_offset;
	if (ki > len || len - ki < 16)
		return;
	if (get_le32(buf + ki) != KERNEL_INFO_MAGIC)
		return;
	out->have_setup_type_max = true;
	out->setup_type_max = get_le32(buf + ki + 0x0C);
}

int esd_image_parse(const uint8_t *buf, size_t len, const char *where, struct esd_image *out,
		    struct kx_err *err)
{
	struct hdr_view h;

	memset(out, 0, sizeof(*out));
	if (!where)
		where = "bzImage";
	out->file_size = len;
	/* Everything up to and including the jump (its displacement gives the
	 * header's end) is needed to know anything at all. */
	if (!buf || len < HDR_HEADER)
		return kx_errf(err, -EINVAL, where,
			       "jump: file too short for a setup header (%zu bytes, need at least 0x%x)",
			       buf ? len : 0, HDR_HEADER);
	out->hdr_end = HDR_HEADER + (size_t)buf[HDR_JUMP + 1];
	if (out->hdr_end > len)
		return kx_errf(err, -EINVAL, where,
			       "jump: the header claims to end at 0x%zx, past the end of the file (%zu bytes)",
			       out->hdr_end, len);
	h.buf = buf;
	h.end = out->hdr_end;

	out->setup_sects = buf[HDR_SETUP_SECTS];
	out->setup_size = ((size_t)(out->setup_sects ? out->setup_sects : 4) + 1) * 512;
	out->boot_flag = get_le16(buf + HDR_BOOT_FLAG);
	out->header_magic = hv32(&h, HDR_HEADER);
	out->version = hv16(&h, HDR_VERSION);
	out->loadflags = hv8(&h, HDR_LOADFLAGS);
	out->initrd_addr_max = hv32(&h, HDR_INITRD_ADDR_MAX);
	out->kernel_alignment = hv32(&h, HDR_KERNEL_ALIGNMENT);
	out->relocatable_kernel = hv8(&h, HDR_RELOCATABLE_KERNEL);
	out->min_alignment = hv8(&h, HDR_MIN_ALIGNMENT);
	out->xloadflags = hv16(&h, HDR_XLOADFLAGS);
	out->cmdline_size = hv32(&h, HDR_CMDLINE_SIZE);
	out->payload_offset = hv32(&h, HDR_PAYLOAD_OFFSET);
	out->payload_length = hv32(&h, HDR_PAYLOAD_LENGTH);
	out->pref_address = hv64(&h, HDR_PREF_ADDRESS);
	out->init_size = hv32(&h, HDR_INIT_SIZE);
	out->kernel_info_offset = hv32(&h, HDR_KERNEL_INFO_OFFSET);

	read_kernel_version(buf, len, out);
	read_kernel_info(buf, len, out);
	return 0;
}
