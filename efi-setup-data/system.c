/* system.c - read every part of one sysroot into a struct esd_system.
 *
 * Each part keeps its own rc and error so `verify` can report an unreadable
 * part as a finding while still checking the rest. Also derives the two
 * facts the rules need from procfs: the la57 CPU flag and efi=debug. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"

/* Is `word` one of the space/tab separated words of [s, s+len)? */
static bool has_word(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word), i = 0;

	while (i < len) {
		size_t j;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		j = i;
		while (j < len && s[j] != ' ' && s[j] != '\t')
			j++;
		if (j - i == wl && memcmp(s + i, word, wl) == 0)
			return true;
		i = j;
	}
	return false;
}

/* "la57" among the "flags : ..." words of any CPU in /proc/cpuinfo. */
static bool cpuinfo_la57(const struct sysroot *sr)
{
	char *buf, *l;
	size_t len;
	bool found = false;

	if (sysroot_read_file(sr, "/proc/cpuinfo", 16u << 20, &buf, &len, NULL) < 0)
		return false;
	for (l = buf; l && *l && !found; ) {
		char *nl = strchr(l, '\n');
		size_t ll = nl ? (size_t)(nl - l) : strlen(l);

		if (ll > 5 && strncmp(l, "flags", 5) == 0 && (l[5] == ' ' || l[5] == '\t')) {
			char *colon = memchr(l, ':', ll);

			if (colon)
				found = has_word(colon + 1, ll - (size_t)(colon + 1 - l), "la57");
		}
		l = nl ? nl + 1 : NULL;
	}
	free(buf);
	return found;
}

/* efi= takes a comma-separated list ("efi=debug,nosoftreserve"). */
static bool cmdline_efi_debug(const char *cmd)
{
	const char *p = cmd;

	while ((p = strstr(p, "efi=")) != NULL) {
		const char *v = p + 4, *end;

		if (p != cmd && p[-1] != ' ' && p[-1] != '\t') {
			p = v;
			continue;
		}
		end = v + strcspn(v, " \t");
		while (v < end) {
			size_t n = strcspn(v, ",");

			if (v + n > end)
				n = (size_t)(end - v);
			if (n == 5 && memcmp(v, "debug", 5) == 0)
				return true;
			v += n + 1;
		}
		p = end;
	}
	return false;
}

int esd_system_read(const char *sysroot_dir, struct esd_system *sys, struct kx_err *err)
{
	int r;

	memset(sys, 0, sizeof(*sys));
	r = sysroot_init(&sys->root, sysroot_dir, err);
	if (r < 0)
		return r;
	sys->efi_rc = esd_read_efi_sysfs(&sys->root, &sys->efi, &sys->efi_err);
	sys->bp_rc = esd_read_boot_params(&sys->root, &sys->bp, &sys->bp_err);
	sys->memmap_rc = esd_read_fw_memmap(&sys->root, &sys->memmap, &sys->memmap_err);
	sys->iomem_rc = esd_read_iomem(&sys->root, &sys->iomem, &sys->iomem_err);
	sys->cmdline_rc = esd_read_cmdline(&sys->root, sys->cmdline, sizeof(sys->cmdline),
					   &sys->cmdline_err);
	if (sys->efi.present)
		sys->blobs_rc = esd_read_fw_blobs(&sys->root, &sys->blobs, &sys->blobs_err);
	else
		sys->blobs_rc = kx_errf(&sys->blobs_err, -ENOENT, "/sys/firmware/efi", "not an EFI boot: no config-table line");
	sys->la57 = cpuinfo_la57(&sys->root);
	sys->efi_debug = sys->cmdline_rc == 0 && cmdline_efi_debug(sys->cmdline);
	return 0;
}

void esd_system_free(struct esd_system *sys)
{
	if (!sys)
		return;
	esd_efi_sysfs_free(&sys->efi);
	esd_boot_params_free(&sys->bp);
	esd_fw_memmap_free(&sys->memmap);
	esd_iomem_free(&sys->iomem);
}
