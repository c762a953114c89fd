/* fw-memmap.c - /sys/firmware/memmap/N/{start,end,type} (spec 6.2): the
 * firmware e820 a kexec loader builds the target's e820 from. end is
 * inclusive; type is one of the kernel's e820 type strings. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"

#define MEMMAP_DIR "/sys/firmware/memmap"

/* Spec 6.2 strings; e820 values from spec 1.1. */
static const struct {
	const char *name;
	uint32_t type;
} e820_names[] = {
	{ "System RAM", E820_TYPE_RAM },
	{ "Reserved", E820_TYPE_RESERVED },
	{ "ACPI Tables", E820_TYPE_ACPI },
	{ "ACPI Non-volatile Storage", E820_TYPE_NVS },
	{ "Unusable memory", E820_TYPE_UNUSABLE },
	{ "Persistent Memory (legacy)", E820_TYPE_PRAM },
	{ "Persistent Memory", E820_TYPE_PMEM },
	{ "Soft Reserved", E820_TYPE_SOFT_RESERVED },
};

uint32_t esd_e820_type_from_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(e820_names) / sizeof(e820_names[0]); i++)
		if (strcmp(name, e820_names[i].name) == 0)
			return e820_names[i].type;
	return 0;
}

const char *esd_e820_type_name(uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(e820_names) / sizeof(e820_names[0]); i++)
		if (e820_names[i].type == type)
			return e820_names[i].name;
	return "unknown";
}

static int read_entry(const struct sysroot *sr, unsigned idx, struct fw_memmap_entry *e,
		      struct kx_err *err)
{
	char abs[128], p[4096 + 256], t[64];
	int r;

	snprintf(abs, sizeof(abs), MEMMAP_DIR "/%u/start", idx);
	if ((r = sysroot_read_hex(sr, abs, &e->start, err)) < 0)
		return r;
	snprintf(abs, sizeof(abs), MEMMAP_DIR "/%u/end", idx);
	if ((r = sysroot_read_hex(sr, abs, &e->end, err)) < 0)
		return r;
	if (e->end < e->start)
		return kx_errf(err, -EINVAL, sysroot_display(sr, abs, p, sizeof(p)),
			       "end 0x%llx below start 0x%llx", (unsigned long long)e->end,
			       (unsigned long long)e->start);
	snprintf(abs, sizeof(abs), MEMMAP_DIR "/%u/type", idx);
	r = sysroot_read_text(sr, abs, t, sizeof(t), err);
	if (r < 0)
		return r;
	if (r > 0 && t[r - 1] == '\n')
		t[--r] = '\0';
	if (r == 0 || (size_t)r >= sizeof(e->type) || memchr(t, '\n', (size_t)r))
		return kx_errf(err, -EINVAL, sysroot_display(sr, abs, p, sizeof(p)),
			       "not a one-line type name (%d bytes)", r);
	memcpy(e->type, t, (size_t)r + 1);
	e->e820_type = esd_e820_type_from_name(e->type);
	return 0;
}

int esd_read_fw_memmap(const struct sysroot *sr, struct fw_memmap *out, struct kx_err *err)
{
	unsigned *idx = NULL;
	size_t n = 0, i;
	int r;

	out->e = NULL;
	out->n = 0;
	r = sysroot_list_numeric(sr, MEMMAP_DIR, true, &idx, &n, err);
	if (r < 0)
		return r;
	if (n) {
		out->e = calloc(n, sizeof(*out->e));
		if (!out->e) {
			free(idx);
			return kx_errf(err, -ENOMEM, MEMMAP_DIR, "out of memory");
		}
	}
	for (i = 0; i < n; i++) {
		r = read_entry(sr, idx[i], &out->e[i], err);
		if (r < 0) {
			free(idx);
			esd_fw_memmap_free(out);
			return r;
		}
	}
	free(idx);
	out->n = n;
	return 0;
}

void esd_fw_memmap_free(struct fw_memmap *m)
{
	if (!m)
		return;
	free(m->e);
	m->e = NULL;
	m->n = 0;
}
