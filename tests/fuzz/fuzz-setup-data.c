/* fuzz-setup-data.c - the setup_data chain decoder over a fuzzed memory
 * image: bytes 0..7 are the head address (little-endian), the rest is
 * physical memory starting at IMAGE_BASE. The walk must end (cycles and
 * out-of-image nodes are errors) and every node it returns must lie in the
 * image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "fuzz.h"

#define IMAGE_BASE 0x100000ull

struct image {
	const uint8_t *buf;
	size_t len;
};

static int image_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	const struct image *im = ctx;
	uint64_t off;

	if (phys < IMAGE_BASE)
		return -EFAULT;
	off = phys - IMAGE_BASE;
	if (off > im->len || len > im->len - off)
		return -EFAULT;
	memcpy(buf, im->buf + off, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im;
	struct setup_data_chain c;
	struct kx_err err = { 0 };
	uint64_t head;
	size_t i;

	if (size < 8)
		return 0;
	head = get_le64(data);
	im.buf = data + 8;
	im.len = size - 8;
	if (esd_setup_data_walk(head, image_read, &im, 64, &c, &err) == 0) {
		if (c.n > 64)
			abort();
		for (i = 0; i < c.n; i++) {
			const struct setup_data_node *nd = &c.node[i];

			if (nd->addr < IMAGE_BASE || nd->addr - IMAGE_BASE + SETUP_DATA_HDR_SIZE > im.len)
				abort();
			(void)esd_setup_data_type_name(nd->type);
			if ((nd->type & ~SETUP_INDIRECT) == SETUP_EFI) {
				struct efi_setup_payload p;

				(void)esd_setup_efi_decode(nd->data, nd->len, &p, NULL);
			}
		}
		esd_setup_data_chain_free(&c);
	} else if (err.code == 0) {
		abort();   /* a failure must say why */
	}
	return 0;
}
