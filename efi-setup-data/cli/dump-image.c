/* dump-image.c - `dump --memory-image FILE --phys-base ADDR`: decode a
 * boot_params page and the setup_data chain it points to from a raw image
 * of physical memory (file offset 0 = ADDR), e.g. what a loader planned or
 * a crash dump's low memory. A looping or out-of-image chain is an error
 * naming the node (esd_setup_data_walk); exit 1. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

/* Images are a few MiB in practice; this bound only stops a mistaken path. */
#define IMAGE_MAX (1024ull << 20)
/* More nodes than any real chain has (the kernel adds at most a handful). */
#define CHAIN_MAX_NODES 256

struct image {
	const uint8_t *buf;
	size_t len;
	uint64_t base;
};

static int image_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	const struct image *im = ctx;
	uint64_t off;

	if (phys < im->base)
		return -EFAULT;
	off = phys - im->base;
	if (off > im->len || len > im->len - off)
		return -EFAULT;
	memcpy(buf, im->buf + off, len);
	return 0;
}

int dump_memory_image(const char *file, uint64_t base, uint64_t bp_addr, bool have_bp_addr,
		      bool json)
{
	struct kx_err err = { 0 };
	struct image im = { .base = base };
	uint8_t *buf = NULL, page[BP_SIZE];
	struct bp_decoded bp;
	struct setup_data_chain chain = { NULL, 0 };
	size_t len = 0;
	int walk_rc, rc = CLI_EXIT_OK;
	char title[160];

	if (!have_bp_addr)
		bp_addr = base;
	if (cli_read_whole(file, IMAGE_MAX, &buf, &len, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	im.buf = buf;
	im.len = len;
	if (image_read(&im, bp_addr, page, sizeof(page)) < 0) {
		/* Say how much of the page is there: a truncated boot_params. */
		uint64_t have = 0;

		if (bp_addr >= base && bp_addr - base < len)
			have = len - (bp_addr - base);
		cli_error(file, "boot_params at 0x%" PRIx64 ": truncated boot_params (%" PRIu64
			  " of %u bytes in the image)", bp_addr, have, BP_SIZE);
		free(buf);
		return CLI_EXIT_FAIL;
	}
	if (esd_boot_params_decode(page, sizeof(page), file, &bp, &err) < 0) {
		cli_kx_error(&err);
		free(buf);
		return CLI_EXIT_FAIL;
	}
	walk_rc = esd_setup_data_walk(bp.setup_data, image_read, &im, CHAIN_MAX_NODES, &chain, &err);
	if (walk_rc < 0) {
		/* "IMAGE: setup_data: node 2 at 0x...: cycle, ..." */
		cli_error(file, "%s: %s", err.where, err.msg);
		rc = CLI_EXIT_FAIL;
	}

	if (json) {
		struct json_writer w;

		json_init(&w, stdout, true);
		json_begin_object(&w, NULL);
		json_begin_object(&w, "boot_params");
		json_hex(&w, "addr", bp_addr);
		dp_bp_json(&w, &bp);
		json_end_object(&w);
		if (walk_rc == 0)
			dp_chain_json(&w, &chain, true);
		else
			json_null(&w, "setup_data");
		json_begin_array(&w, "errors");
		if (walk_rc < 0) {
			char where[4096 + 64];

			snprintf(where, sizeof(where), "%s: %s", file, err.where);
			json_begin_object(&w, NULL);
			json_str(&w, "where", where);
			json_str(&w, "message", err.msg);
			json_end_object(&w);
		}
		json_end_array(&w);
		json_end_object(&w);
		json_end(&w);
	} else {
		snprintf(title, sizeof(title), "boot_params: at 0x%016" PRIx64 " in the image", bp_addr);
		dp_bp_text(title, &bp);
		printf("\n");
		if (walk_rc == 0)
			dp_chain_text("setup_data (from hdr.setup_data)", &chain, true);
		else
			printf("setup_data (from hdr.setup_data): not decoded (see the error above)\n");
	}
	esd_setup_data_chain_free(&chain);
	free(buf);
	if (fflush(stdout) != 0) {
		cli_error("stdout", "write failed");
		return CLI_EXIT_ERROR;
	}
	return rc;
}
