/* snapshot.c - `efi-setup-data snapshot -o DIR`: copy every file the tools
 * read into DIR so that `--sysroot DIR` reproduces this system (bug reports,
 * test fixtures). Files are read until EOF (sysfs reports 4096 for all).
 *
 * Also captures the kernel's "efi: ... ACPI=... SMBIOS=..." boot line (the
 * config-table summary) from /dev/kmsg, or klogctl, into
 * DIR/efi-boot-line.txt; with --sysroot it is taken from the source tree's
 * efi-boot-line.txt or dmesg.txt instead.
 *
 * Exit 0: complete; 1: some file could not be read (each named, e.g. a
 * 0400 file without root) but the rest was copied; 2: usage, or DIR could
 * not be written. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "cli.h"

/* Biggest file we copy: /proc/cpuinfo on a big machine, setup_data blobs. */
#define COPY_MAX (64u << 20)

struct snap {
	const struct sysroot *src;
	const char *out;
	size_t copied, failed, denied;
};

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " snapshot [--sysroot DIR] -o DIR\n"
	      "\nCopy every file efi-setup-data and kexec read (sys/firmware/efi,\n"
	      "sys/firmware/memmap, sys/kernel/boot_params, proc/iomem, proc/cmdline,\n"
	      "proc/cpuinfo) into DIR, a tree usable as --sysroot, plus the kernel's EFI\n"
	      "boot line in DIR/efi-boot-line.txt. Run as root: some files are mode 0400.\n"
	      "\nOptions:\n"
	      " -o, --output DIR   directory to create\n"
	      "     --sysroot DIR  copy from DIR instead of the running system\n"
	      " -h, --help         display this help\n"
	      " -V, --version      display version\n", out);
}

/* Copy one file; a missing file is not an error when optional. Returns -1
 * only when DIR cannot be written (fatal for the whole snapshot). */
static int copy_one(struct snap *s, const char *abs, bool optional)
{
	struct kx_err err = { 0 };
	char dir[4096 + 256], *slash;
	char *buf;
	size_t len;
	int r;

	if (optional && !sysroot_exists(s->src, abs))
		return 0;
	r = sysroot_read_file(s->src, abs, COPY_MAX, &buf, &len, &err);
	if (r < 0) {
		if (r == -EACCES) {
			cli_error(err.where, "permission denied: this file is root-only (mode 0400); "
				  "run the snapshot as root");
			s->denied++;
		} else {
			cli_kx_error(&err);
		}
		s->failed++;
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s%s", s->out, abs);
	slash = strrchr(dir, '/');
	*slash = '\0';
	r = cli_write_file(dir, slash + 1, buf, len, &err);
	free(buf);
	if (r < 0) {
		cli_kx_error(&err);
		return -1;
	}
	s->copied++;
	return 0;
}

/* DIR/N/{fields} for every numeric N (numeric order; not required dense). */
static int copy_numbered(struct snap *s, const char *absdir, const char *const *fields)
{
	struct kx_err err = { 0 };
	unsigned *idx = NULL;
	size_t n = 0, i, k;
	int r;

	if (!sysroot_exists(s->src, absdir))
		return 0;
	r = sysroot_list_numeric(s->src, absdir, false, &idx, &n, &err);
	if (r < 0) {
		cli_kx_error(&err);
		s->failed++;
		if (r == -EACCES)
			s->denied++;
		return 0;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; fields[k]; k++) {
			char abs[512];

			snprintf(abs, sizeof(abs), "%s/%u/%s", absdir, idx[i], fields[k]);
			if (copy_one(s, abs, false) < 0) {
				free(idx);
				return -1;
			}
		}
	}
	free(idx);
	return 0;
}

/* Is this the "efi: ... ACPI=..." / "SMBIOS=" config-table line? */
static const char *efi_line(const char *l)
{
	const char *p = strstr(l, "efi: ");

	if (p && (strstr(p, "ACPI=") || strstr(p, "SMBIOS=")))
		return p;
	return NULL;
}

/* First matching line of a text buffer into out (without the newline). */
static bool find_line(char *text, char *out, size_t outlen)
{
	char *l = text, *nl;

	for (; l && *l; l = nl ? nl + 1 : NULL) {
		const char *m;

		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		m = efi_line(l);
		if (nl)
			*nl = '\n';
		if (m) {
			size_t n = nl ? (size_t)(nl - m) : strlen(m);

			while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\r'))
				n--;
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, m, n);
			out[n] = '\0';
			return true;
		}
	}
	return false;
}

/* /dev/kmsg: one record per read(), "prio,seq,ts,flags;message\n" then
 * continuation lines; non-blocking so we stop at the end of the buffer. */
static int from_kmsg(char *out, size_t outlen)
{
	char rec[8192];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int rc = -ENOENT;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, rec, sizeof(rec) - 1);
		char *msg;

		if (r < 0 && errno == EPIPE)   /* record overwritten meanwhile: skip it */
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		rec[r] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (find_line(msg, out, outlen)) {
			rc = 0;
			break;
		}
	}
	close(fd);
	return rc;
}

/* klogctl(SYSLOG_ACTION_READ_ALL): "<6>[    0.000000] efi: ..." lines. */
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
	rc = find_line(buf, out, outlen) ? 0 : -ENOENT;
	free(buf);
	return rc;
}

/* From a source tree: its own efi-boot-line.txt, else its dmesg.txt. */
static int from_tree(const struct sysroot *src, char *out, size_t outlen)
{
	static const char *const names[] = { "efi-boot-line.txt", "dmesg.txt" };
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[4096 + 64];
		uint8_t *buf;
		size_t len;
		bool found;

		snprintf(path, sizeof(path), "%s/%s", src->root, names[i]);
		if (cli_read_whole(path, COPY_MAX, &buf, &len, NULL) < 0)
			continue;
		found = find_line((char *)buf, out, outlen);
		free(buf);
		if (found)
			return 0;
	}
	return -ENOENT;
}

static void capture_boot_line(struct snap *s, bool running)
{
	struct kx_err err = { 0 };
	char line[1024], withnl[1026];
	int r;

	if (running) {
		r = from_kmsg(line, sizeof(line));
		if (r < 0 && r != -ENOENT) {
			int r2 = from_klogctl(line, sizeof(line));

			if (r2 == 0 || r2 == -ENOENT)
				r = r2;
		}
	} else {
		r = from_tree(s->src, line, sizeof(line));
	}
	if (r < 0) {
		cli_error(running ? "/dev/kmsg" : s->src->root,
			  "EFI boot line (\"efi: ... ACPI=... SMBIOS=...\") not captured: %s",
			  r == -ENOENT ? "not in the kernel log (rotated out, or not an EFI boot)"
				       : strerror(-r));
		return;
	}
	snprintf(withnl, sizeof(withnl), "%s\n", line);
	if (cli_write_file(s->out, "efi-boot-line.txt", withnl, strlen(withnl), &err) < 0) {
		cli_kx_error(&err);
		s->failed++;
		return;
	}
	printf("%s/efi-boot-line.txt: %s\n", s->out, line);
}

int cmd_snapshot(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const efi_files[] = {
		"/sys/firmware/efi/systab", "/sys/firmware/efi/fw_vendor", "/sys/firmware/efi/runtime",
		"/sys/firmware/efi/config_table", "/sys/firmware/efi/fw_platform_size",
		"/sys/kernel/boot_params/version", "/sys/kernel/boot_params/data",
		"/proc/iomem", "/proc/cmdline", "/proc/cpuinfo", NULL,
	};
	static const char *const map_fields[] = { "type", "phys_addr", "virt_addr", "num_pages",
						  "attribute", NULL };
	static const char *const memmap_fields[] = { "start", "end", "type", NULL };
	static const char *const sd_fields[] = { "type", "data", NULL };
	struct sysroot src;
	struct kx_err err = { 0 };
	struct snap s = { .src = &src };
	const char *out = NULL;
	size_t i;
	int o, common_rc;

	while ((o = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'o':
			out = optarg;
			break;
		default:
			common_rc = cli_common_option(c, o, "snapshot", usage);
			if (common_rc >= 0)
				return common_rc;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error("snapshot", "unexpected argument '%s'", argv[optind]);
	if (!out)
		return cli_usage_error("snapshot", "no output directory (-o DIR)");
	if (sysroot_init(&src, c->sysroot, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	if (cli_mkdir_p(out, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	s.out = out;

	for (i = 0; efi_files[i]; i++)
		if (copy_one(&s, efi_files[i], true) < 0)
			return CLI_EXIT_ERROR;
	if (copy_numbered(&s, "/sys/firmware/efi/runtime-map", map_fields) < 0 ||
	    copy_numbered(&s, "/sys/firmware/memmap", memmap_fields) < 0 ||
	    copy_numbered(&s, "/sys/kernel/boot_params/setup_data", sd_fields) < 0)
		return CLI_EXIT_ERROR;
	capture_boot_line(&s, src.root[0] == '\0');

	printf("%s: %zu files copied", out, s.copied);
	if (s.failed)
		printf(", %zu could not be read%s", s.failed,
		       s.denied ? " (root-only files: run as root)" : "");
	printf("\n");
	if (fflush(stdout) != 0) {
		cli_error("stdout", "write failed");
		return CLI_EXIT_ERROR;
	}
	return s.failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
