/* fw-blobs.c - the EFI configuration tables the kernel names on its boot
 * line, "efi: ACPI=0x... ACPI 2.0=0x... SMBIOS=0x... MEMATTR=0x...
 * INITRD=0x...", and the physical range a loader must keep clear around
 * each (spec kaslr-after-kexec.md 3 and 7).
 *
 * Why the log line: several of these tables are EFI_LOADER_DATA or
 * BS_DATA|RUNTIME blobs that sit in what /proc/iomem and the firmware
 * memmap call System RAM, and userspace sees their addresses nowhere else
 * (sysfs systab lists only ACPI/SMBIOS). The kernel prints the line on every
 * EFI boot, kexec'ed ones included.
 *
 * Where it comes from: the running system's kernel log (/dev/kmsg, then
 * klogctl), or in a sysroot tree the efi-boot-line.txt that
 * `efi-setup-data snapshot` writes (or the tree's dmesg.txt). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esd.h"

#define BLOCK (2ull << 20)

/* What is known of each table's size without reading its bytes (userspace
 * cannot: /dev/mem hides RAM, and a dry run has only the sysroot). `min` is
 * the fixed part from the table's format; `extra` adds whole 2 MiB blocks
 * after it where the real size varies (logs, attribute entries, lists).
 * Every extent is then widened to the 2 MiB blocks it touches: the spec's
 * rule, and a kernel slot is 2 MiB-aligned anyway. */
static const struct {
	const char *name;
	uint32_t min;
	unsigned extra;
} sizes[] = {
	{ "ACPI 2.0", 36, 0 },       /* RSDP 2.0 */
	{ "ACPI", 20, 0 },           /* RSDP 1.0 */
	{ "SMBIOS3", 24, 0 },        /* SMBIOS 3 entry point */
	{ "SMBIOS", 31, 0 },         /* SMBIOS 2 entry point */
	{ "INITRD", 16, 0 },         /* struct linux_efi_initrd { base, size } */
	{ "MEMATTR", 16, 1 },        /* header, then num_entries x desc_size */
	{ "ESRT", 16, 1 },           /* header, then 40-byte entries */
	{ "RNG", 4, 0 },             /* size, then the seed (<= a page in practice) */
	{ "TPMEventLog", 24, 1 },    /* the whole event log follows the header */
	{ "TPMFinalLog", 16, 1 },
	{ "MEMRESERVE", 16, 1 },     /* a list of pages */
	{ "MOKvar", 24, 1 },
	{ "Unaccepted", 32, 2 },     /* header, then a bitmap of all RAM */
};

static void blob_extent(struct fw_blob *b)
{
	uint64_t min = 4096;         /* unknown table: at least a page */
	unsigned extra = 1, i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!strcmp(sizes[i].name, b->name)) {
			min = sizes[i].min;
			extra = sizes[i].extra;
			break;
		}
	b->start = b->addr & ~(BLOCK - 1);
	b->end = b->addr + min;
	if (b->end < b->addr || b->end > UINT64_MAX - (extra + 1) * BLOCK) {
		b->end = UINT64_MAX;
		return;
	}
	b->end = ((b->end + BLOCK - 1) & ~(BLOCK - 1)) + extra * BLOCK;
}

const char *esd_efi_line_match(const char *l)
{
	const char *p = strstr(l, "efi: ");

	if (p && (strstr(p, "ACPI=") || strstr(p, "SMBIOS=") || strstr(p, "ACPI 2.0=")))
		return p;
	return NULL;
}

bool esd_efi_line_find(const char *text, char *out, size_t outlen)
{
	const char *l = text, *nl;

	for (; l && *l; l = nl ? nl + 1 : NULL) {
		size_t ll, n;
		char tmp[2048];
		const char *m;

		nl = strchr(l, '\n');
		ll = nl ? (size_t)(nl - l) : strlen(l);
		if (ll >= sizeof(tmp))
			continue;
		memcpy(tmp, l, ll);
		tmp[ll] = '\0';
		m = esd_efi_line_match(tmp);
		if (!m)
			continue;
		n = strlen(m);
		while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\r'))
			n--;
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, m, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

int esd_parse_fw_blobs(const char *line, const char *where, struct fw_blobs *out, struct kx_err *err)
{
	const char *p, *name;

	memset(out, 0, sizeof(*out));
	snprintf(out->line, sizeof(out->line), "%s", line);
	p = strstr(line, "efi: ");
	if (!p)
		return kx_errf(err, -EINVAL, where, "no \"efi: \" prefix in \"%.80s\"", line);
	p += 5;
	/* "NAME=0xHEX" items separated by spaces; a NAME may hold a space
	 * ("ACPI 2.0"), so the name is everything since the last value. */
	for (name = p; *p; ) {
		const char *eq = strstr(p, "=0x");
		struct fw_blob *b;
		char *end;
		size_t nl;

		if (!eq)
			break;
		while (*name == ' ')
			name++;
		nl = (size_t)(eq - name);
		if (!nl || nl >= sizeof(out->b[0].name))
			return kx_errf(err, -EINVAL, where, "bad table name before \"%.24s\"", eq);
		if (out->n == ESD_FW_BLOBS_MAX)
			return kx_errf(err, -E2BIG, where, "more than %d tables on the line", ESD_FW_BLOBS_MAX);
		b = &out->b[out->n];
		memcpy(b->name, name, nl);
		b->name[nl] = '\0';
		errno = 0;
		b->addr = strtoull(eq + 3, &end, 16);
		if (errno || end == eq + 3 || (*end && *end != ' '))
			return kx_errf(err, -EINVAL, where, "%s: value \"%.24s\" is not hex", b->name, eq + 1);
		blob_extent(b);
		out->n++;
		p = name = end;
	}
	if (!out->n)
		return kx_errf(err, -EINVAL, where, "no NAME=0x... table in \"%.80s\"", line);
	return 0;
}

const struct fw_blob *esd_fw_blob_find(const struct fw_blobs *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->b[i].name, name))
			return &b->b[i];
	return NULL;
}

/* /dev/kmsg hands out one record per read(): "prio,seq,ts,flags;text\n"
 * plus continuation lines. Non-blocking, so the read stops at the end. */
static int from_kmsg_fd(int fd, char *out, size_t outlen)
{
	char rec[8192];

	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);
		char *msg;

		if (r < 0 && (errno == EPIPE || errno == EINTR))  /* overwritten meanwhile: next */
			continue;
		if (r < 0)
			return errno == EAGAIN ? -ENOENT : -errno;
		if (r == 0)
			return -ENOENT;
		rec[r] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (esd_efi_line_find(msg, out, outlen))
			return 0;
	}
}

static int from_klogctl(char *out, size_t outlen)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	int n, rc;

	if (size <= 0)
		return size < 0 ? -errno : -ENOENT;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return -ENOMEM;
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		rc = -errno;
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	rc = esd_efi_line_find(buf, out, outlen) ? 0 : -ENOENT;
	free(buf);
	return rc;
}

int esd_read_efi_boot_line(const struct sysroot *sr, char *out, size_t outlen, struct kx_err *err)
{
	static const char *const tree_files[] = { "/efi-boot-line.txt", "/dmesg.txt" };
	char disp[4200];
	size_t i;
	int r;

	if (!sr->root[0]) {
		int fd = sysroot_open(sr, "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

		/* sysroot_open returns -errno; no /dev/kmsg at all is not "absent
		 * from the log": klogctl may still work. */
		bool no_kmsg = fd < 0;

		r = fd < 0 ? fd : from_kmsg_fd(fd, out, outlen);
		if (fd >= 0)
			close(fd);
		if (r < 0 && (r != -ENOENT || no_kmsg)) {
			int r2 = from_klogctl(out, outlen);

			if (r2 == 0 || r2 == -ENOENT)
				r = r2;
		}
		if (r == -ENOENT)
			return kx_errf(err, r, "/dev/kmsg", "no \"efi: ACPI=... SMBIOS=...\" line in the kernel log (rotated out, or not an EFI boot)");
		if (r < 0)
			return kx_errf(err, r, "/dev/kmsg", "cannot read the kernel log");
		return 0;
	}
	/* A captured tree: what snapshot saved, else the tree's whole log. */
	for (i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++) {
		char *buf;
		size_t len;
		bool found;

		if (sysroot_read_file(sr, tree_files[i], 64u << 20, &buf, &len, NULL) < 0)
			continue;
		found = esd_efi_line_find(buf, out, outlen);
		free(buf);
		if (found)
			return 0;
	}
	return kx_errf(err, -ENOENT, sysroot_display(sr, "/efi-boot-line.txt", disp, sizeof(disp)),
		       "no \"efi: ACPI=... SMBIOS=...\" line (nor in dmesg.txt)");
}

int esd_read_fw_blobs(const struct sysroot *sr, struct fw_blobs *out, struct kx_err *err)
{
	char line[1024];
	int r;

	memset(out, 0, sizeof(*out));
	r = esd_read_efi_boot_line(sr, line, sizeof(line), err);
	if (r < 0)
		return r;
	return esd_parse_fw_blobs(line, "efi boot line", out, err);
}
