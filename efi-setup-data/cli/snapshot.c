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

/* The reading is libesd's (fw-blobs.c), so what the loader reads from a
 * tree is exactly what was captured here. */
static void capture_boot_line(struct snap *s)
{
	struct kx_err err = { 0 };
	char line[1024], withnl[1026];

	if (esd_read_efi_boot_line(s->src, line, sizeof(line), &err) < 0) {
		cli_error(err.where, "EFI boot line (\"efi: ... ACPI=... SMBIOS=...\") not captured: %s", err.msg);
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
	capture_boot_line(&s);

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
