/* sysfs-efi.c - /sys/firmware/efi: fw_vendor, runtime, config_table,
 * fw_platform_size, systab and the runtime map (spec 6.1).
 *
 * The kernel hides fw_vendor/runtime/config_table when the value is ~0, so a
 * missing file is "not known" (have_* = false); a file that exists but does
 * not hold a strict value is an error naming it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "strnum.h"

#define EFI_DIR "/sys/firmware/efi"

/* Optional hex file: absent -> *have = false, 0; garbage -> error. */
static int read_opt_hex(const struct sysroot *sr, const char *abs, bool *have, uint64_t *v,
			struct kx_err *err)
{
	int r;

	*have = false;
	*v = 0;
	if (!sysroot_exists(sr, abs))
		return 0;
	r = sysroot_read_hex(sr, abs, v, err);
	if (r < 0)
		return r;
	*have = true;
	return 0;
}

static bool systab_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= sizeof(((struct systab_entry *)0)->name))
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Lines "NAME=0x<hex>\n" (spec 6.1). Only a final newline may end the text;
 * an empty line, a line without '=', a bad name or value is an error naming
 * the line. */
int esd_parse_systab(const char *text, size_t len, const char *where,
		     struct systab_entry *out, size_t max, size_t *n, struct kx_err *err)
{
	size_t pos = 0, line = 0;

	*n = 0;
	if (!where)
		where = EFI_DIR "/systab";
	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos), *eq;
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		uint64_t v;
		int r;

		line++;
		pos += ll + (nl ? 1 : 0);
		if (ll == 0)
			return kx_errf(err, -EINVAL, where, "line %zu: empty line", line);
		eq = memchr(l, '=', ll);
		if (!eq)
			return kx_errf(err, -EINVAL, where, "line %zu: no '=' in \"%.*s\"", line,
				       (int)(ll > 64 ? 64 : ll), l);
		if (!systab_name_ok(l, (size_t)(eq - l)))
			return kx_errf(err, -EINVAL, where, "line %zu: bad table name \"%.*s\"", line,
				       (int)((size_t)(eq - l) > 64 ? 64 : (size_t)(eq - l)), l);
		r = strnum_hex_u64(eq + 1, ll - (size_t)(eq + 1 - l), &v);
		if (r < 0)
			return kx_errf(err, r, where, "line %zu: %.*s: %s (\"%.*s\")", line,
				       (int)(eq - l), l,
				       r == -ERANGE ? "value overflows 64 bits" : "not a 0x-prefixed hex number",
				       (int)(ll - (size_t)(eq + 1 - l) > 64 ? 64 : ll - (size_t)(eq + 1 - l)),
				       eq + 1);
		if (*n >= max)
			return kx_errf(err, -E2BIG, where, "line %zu: more than %zu tables", line, max);
		memcpy(out[*n].name, l, (size_t)(eq - l));
		out[*n].name[eq - l] = '\0';
		out[*n].value = v;
		(*n)++;
	}
	return 0;
}

int esd_systab_lookup(const struct efi_sysfs *efi, const char *name, uint64_t *value)
{
	size_t i;

	if (!efi || !efi->have_systab)
		return -ENOENT;
	for (i = 0; i < efi->n_systab; i++) {
		if (strcmp(efi->systab[i].name, name) == 0) {
			if (value)
				*value = efi->systab[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

int esd_read_efi_sysfs(const struct sysroot *sr, struct efi_sysfs *out, struct kx_err *err)
{
	char p[4096 + 256];
	int r;

	memset(out, 0, sizeof(*out));
	out->present = sysroot_exists(sr, EFI_DIR);
	if (!out->present)
		return 0;   /* not an EFI boot (or noefi): nothing more to read */

	if ((r = read_opt_hex(sr, EFI_DIR "/fw_vendor", &out->have_fw_vendor, &out->fw_vendor, err)) < 0 ||
	    (r = read_opt_hex(sr, EFI_DIR "/runtime", &out->have_runtime, &out->runtime, err)) < 0 ||
	    (r = read_opt_hex(sr, EFI_DIR "/config_table", &out->have_config_table,
			      &out->config_table, err)) < 0)
		return r;

	if (sysroot_exists(sr, EFI_DIR "/fw_platform_size")) {
		uint64_t v;

		r = sysroot_read_dec(sr, EFI_DIR "/fw_platform_size", &v, err);
		if (r < 0)
			return r;
		if (v != 64 && v != 32)
			return kx_errf(err, -EINVAL,
				       sysroot_display(sr, EFI_DIR "/fw_platform_size", p, sizeof(p)),
				       "not 64 or 32 (\"%llu\")", (unsigned long long)v);
		out->fw_platform_size = (unsigned)v;
		out->have_platform_size = true;
	}

	if (sysroot_exists(sr, EFI_DIR "/systab")) {
		char *buf;
		size_t len;

		r = sysroot_read_file(sr, EFI_DIR "/systab", 4096, &buf, &len, err);
		if (r < 0)
			return r;
		r = esd_parse_systab(buf, len, sysroot_display(sr, EFI_DIR "/systab", p, sizeof(p)),
				     out->systab, sizeof(out->systab) / sizeof(out->systab[0]),
				     &out->n_systab, err);
		free(buf);
		if (r < 0)
			return r;
		out->have_systab = true;
	}

	if (sysroot_exists(sr, EFI_DIR "/runtime-map")) {
		r = esd_read_runtime_map(sr, &out->map, err);
		if (r < 0)
			return r;
		out->have_map = true;
	}
	return 0;
}

void esd_efi_sysfs_free(struct efi_sysfs *efi)
{
	if (efi)
		esd_runtime_map_free(&efi->map);
}
