/* sysfs-bootparams.c - /sys/kernel/boot_params/{version,data} and
 * setup_data/N/{type,data} (spec 2.4).
 *
 * data is binary and normally 4096 bytes; fewer is kept and shown to the
 * caller through data_len (the decoder and rule 8.2 call it truncated). The
 * setup_data directory exists only when the list is non-empty. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"

#define BP_DIR "/sys/kernel/boot_params"
/* A payload bigger than this is not a real setup_data node. */
#define SETUP_DATA_SYSFS_MAX (64u << 20)

static int read_setup_data(const struct sysroot *sr, struct setup_data_chain *chain,
			   struct kx_err *err)
{
	unsigned *idx = NULL;
	size_t n = 0, i;
	int r;

	chain->node = NULL;
	chain->n = 0;
	r = sysroot_list_numeric(sr, BP_DIR "/setup_data", true, &idx, &n, err);
	if (r < 0)
		return r;
	if (n == 0) {
		free(idx);
		return 0;
	}
	chain->node = calloc(n, sizeof(*chain->node));
	if (!chain->node) {
		free(idx);
		return kx_errf(err, -ENOMEM, BP_DIR "/setup_data", "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct setup_data_node *nd = &chain->node[i];
		char abs[128], p[4096 + 256];
		uint64_t type;
		char *buf;
		size_t len;

		snprintf(abs, sizeof(abs), BP_DIR "/setup_data/%u/type", idx[i]);
		r = sysroot_read_hex(sr, abs, &type, err);
		if (r < 0)
			goto fail;
		if (type > UINT32_MAX) {
			r = kx_errf(err, -ERANGE, sysroot_display(sr, abs, p, sizeof(p)),
				    "value overflows the 32-bit type field (\"0x%llx\")",
				    (unsigned long long)type);
			goto fail;
		}
		snprintf(abs, sizeof(abs), BP_DIR "/setup_data/%u/data", idx[i]);
		r = sysroot_read_file(sr, abs, SETUP_DATA_SYSFS_MAX, &buf, &len, err);
		if (r < 0)
			goto fail;
		/* sysfs shows an indirect node's inner type (bit 31 set) and the
		 * object it points to; the header it came from had len 24. */
		nd->type = (uint32_t)type;
		nd->indirect = (nd->type & SETUP_INDIRECT) && nd->type != SETUP_INDIRECT;
		nd->hdr_len = nd->indirect ? SETUP_INDIRECT_PAYLOAD
					   : (len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
		nd->data = (uint8_t *)buf;
		nd->len = len;
		chain->n = i + 1;
	}
	free(idx);
	return 0;
fail:
	free(idx);
	esd_setup_data_chain_free(chain);
	return r;
}

int esd_read_boot_params(const struct sysroot *sr, struct boot_params_sysfs *out, struct kx_err *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->present = sysroot_exists(sr, BP_DIR);
	if (!out->present)
		return 0;

	if (sysroot_exists(sr, BP_DIR "/version")) {
		uint64_t v;
		char p[4096 + 256];

		r = sysroot_read_hex(sr, BP_DIR "/version", &v, err);
		if (r < 0)
			return r;
		if (v > UINT16_MAX)
			return kx_errf(err, -ERANGE, sysroot_display(sr, BP_DIR "/version", p, sizeof(p)),
				       "value overflows the 16-bit version field (\"0x%llx\")",
				       (unsigned long long)v);
		out->version = (uint16_t)v;
		out->have_version = true;
	}

	if (sysroot_exists(sr, BP_DIR "/data")) {
		char *buf;
		size_t len;

		r = sysroot_read_file(sr, BP_DIR "/data", BP_SIZE, &buf, &len, err);
		if (r < 0)
			return r;
		memcpy(out->data, buf, len);
		out->data_len = len;
		free(buf);
	}

	if (sysroot_exists(sr, BP_DIR "/setup_data")) {
		r = read_setup_data(sr, &out->chain, err);
		if (r < 0)
			return r;
	}
	return 0;
}

void esd_boot_params_free(struct boot_params_sysfs *bp)
{
	if (bp)
		esd_setup_data_chain_free(&bp->chain);
}
