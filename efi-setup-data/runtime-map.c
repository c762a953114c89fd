/* runtime-map.c - /sys/firmware/efi/runtime-map/N/{type,phys_addr,virt_addr,
 * num_pages,attribute} (spec 6.1). N is read in numeric order and must run
 * 0..n-1 without gaps: kexec-tools' readdir order is one of the bugs we fix
 * (spec 3.3). Every value is strict 0x-hex; type must fit 32 bits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "esd.h"

#define RUNTIME_MAP_DIR "/sys/firmware/efi/runtime-map"

static int read_field(const struct sysroot *sr, unsigned idx, const char *field, uint64_t *v,
		      struct kx_err *err)
{
	char abs[128];

	snprintf(abs, sizeof(abs), RUNTIME_MAP_DIR "/%u/%s", idx, field);
	return sysroot_read_hex(sr, abs, v, err);
}

int esd_read_runtime_map(const struct sysroot *sr, struct runtime_map *out, struct kx_err *err)
{
	unsigned *idx = NULL;
	size_t n = 0, i;
	int r;

	out->desc = NULL;
	out->n = 0;
	r = sysroot_list_numeric(sr, RUNTIME_MAP_DIR, true, &idx, &n, err);
	if (r < 0)
		return r;
	if (n == 0) {
		free(idx);
		return 0;   /* an empty map is readable; rule 8.4 judges it */
	}
	out->desc = calloc(n, sizeof(*out->desc));
	if (!out->desc) {
		free(idx);
		return kx_errf(err, -ENOMEM, RUNTIME_MAP_DIR, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct efi_desc *d = &out->desc[i];
		uint64_t type;

		if ((r = read_field(sr, idx[i], "type", &type, err)) < 0 ||
		    (r = read_field(sr, idx[i], "phys_addr", &d->phys_addr, err)) < 0 ||
		    (r = read_field(sr, idx[i], "virt_addr", &d->virt_addr, err)) < 0 ||
		    (r = read_field(sr, idx[i], "num_pages", &d->num_pages, err)) < 0 ||
		    (r = read_field(sr, idx[i], "attribute", &d->attribute, err)) < 0)
			goto fail;
		if (type > UINT32_MAX) {
			char abs[128], p[4096 + 256];

			snprintf(abs, sizeof(abs), RUNTIME_MAP_DIR "/%u/type", idx[i]);
			r = kx_errf(err, -ERANGE, sysroot_display(sr, abs, p, sizeof(p)),
				    "value overflows the 32-bit type field (\"0x%llx\")",
				    (unsigned long long)type);
			goto fail;
		}
		d->type = (uint32_t)type;
		d->pad = 0;
	}
	free(idx);
	out->n = n;
	return 0;
fail:
	free(idx);
	free(out->desc);
	out->desc = NULL;
	return r;
}

void esd_runtime_map_free(struct runtime_map *map)
{
	if (!map)
		return;
	free(map->desc);
	map->desc = NULL;
	map->n = 0;
}
