/* verify.c - `efi-setup-data verify`: run the hand-off rules (spec 8) on
 * this system (and a target bzImage with --kernel).
 *
 * Exit 0: safe (warnings may be printed); 1: at least one fatal finding;
 * 2: could not check (usage, unreadable sysroot or kernel, EACCES on a
 * root-only sysfs file). One finding per line:
 *   <id> <fatal|warning> <name>: <where>: <message> */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

/* bzImages are tens of MiB; more is not a kernel. */
#define KERNEL_MAX (512u << 20)

static void usage(FILE *out)
{
	fputs("\nUsage:\n"
	      " " CLI_NAME " verify [--sysroot DIR] [--kernel BZIMAGE] [--json]\n"
	      "\nCheck that the EFI hand-off kexec would build from this system is safe\n"
	      "(efi-handoff.md section 8). Exit status: 0 safe, 1 at least one fatal\n"
	      "finding, 2 could not check.\n"
	      "\nOptions:\n"
	      " -k, --kernel BZIMAGE  also check the target kernel's setup header (8.1)\n"
	      "     --json            machine-readable output (see efi-setup-data(8))\n"
	      "     --sysroot DIR     read DIR/sys and DIR/proc instead of /sys and /proc\n"
	      " -h, --help            display this help\n"
	      " -V, --version         display version\n", out);
}

static const char *sev_name(enum esd_severity s)
{
	return s == ESD_FATAL ? "fatal" : "warning";
}

/* A root-only file we could not open means "could not check", not "unsafe". */
static const struct kx_err *access_denied(const struct esd_system *s)
{
	if (s->efi_rc == -EACCES)
		return &s->efi_err;
	if (s->bp_rc == -EACCES)
		return &s->bp_err;
	if (s->memmap_rc == -EACCES)
		return &s->memmap_err;
	if (s->iomem_rc == -EACCES)
		return &s->iomem_err;
	if (s->cmdline_rc == -EACCES)
		return &s->cmdline_err;
	return NULL;
}

static void print_text(const struct esd_findings *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		printf("%s %s %s: %s: %s\n", f->f[i].id, sev_name(f->f[i].sev), f->f[i].name,
		       f->f[i].where, f->f[i].msg);
	printf("%s: %zu fatal, %zu warning%s\n", f->n_fatal ? "UNSAFE" : "safe", f->n_fatal,
	       f->n_warn, f->n_warn == 1 ? "" : "s");
}

static void print_json(const struct esd_findings *f)
{
	struct json_writer w;
	size_t i;

	json_init(&w, stdout, true);
	json_begin_object(&w, NULL);
	json_bool(&w, "safe", f->n_fatal == 0);
	json_u64(&w, "fatal", f->n_fatal);
	json_u64(&w, "warnings", f->n_warn);
	json_begin_array(&w, "findings");
	for (i = 0; i < f->n; i++) {
		json_begin_object(&w, NULL);
		json_str(&w, "id", f->f[i].id);
		json_str(&w, "name", f->f[i].name);
		json_str(&w, "severity", sev_name(f->f[i].sev));
		json_str(&w, "where", f->f[i].where);
		json_str(&w, "message", f->f[i].msg);
		json_end_object(&w);
	}
	json_end_array(&w);
	json_end_object(&w);
	json_end(&w);
}

int cmd_verify(struct cli *c, int argc, char **argv)
{
	enum { OPT_JSON = 0x200 };
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "sysroot", required_argument, NULL, CLI_OPT_SYSROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kernel = NULL;
	bool json = false;
	struct esd_system sys;
	struct esd_image img;
	struct esd_findings f = { 0 };
	struct esd_rule_ctx ctx = { 0 };
	struct kx_err err = { 0 };
	const struct kx_err *denied;
	int o, rc, common_rc;

	while ((o = getopt_long(argc, argv, "k:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'k':
			kernel = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			common_rc = cli_common_option(c, o, "verify", usage);
			if (common_rc >= 0)
				return common_rc;
			break;
		}
	}
	if (optind < argc)
		return cli_usage_error("verify", "unexpected argument '%s'", argv[optind]);

	if (kernel) {
		uint8_t *buf;
		size_t len;

		if (cli_read_whole(kernel, KERNEL_MAX, &buf, &len, &err) < 0) {
			cli_kx_error(&err);
			return CLI_EXIT_ERROR;
		}
		rc = esd_image_parse(buf, len, kernel, &img, &err);
		free(buf);
		if (rc < 0) {
			cli_kx_error(&err);
			return CLI_EXIT_ERROR;
		}
		ctx.image = &img;
	}
	if (esd_system_read(c->sysroot, &sys, &err) < 0) {
		cli_kx_error(&err);
		return CLI_EXIT_ERROR;
	}
	denied = access_denied(&sys);
	if (denied) {
		cli_error(denied->where, "%s (root only: run as root)",
			  denied->msg[0] ? denied->msg : strerror(EACCES));
		esd_system_free(&sys);
		return CLI_EXIT_ERROR;
	}
	ctx.sys = &sys;
	if (esd_rules_run(&ctx, &f, &err) < 0) {
		cli_kx_error(&err);
		esd_findings_free(&f);
		esd_system_free(&sys);
		return CLI_EXIT_ERROR;
	}
	if (json)
		print_json(&f);
	else
		print_text(&f);
	rc = f.n_fatal ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	esd_findings_free(&f);
	esd_system_free(&sys);
	if (fflush(stdout) != 0) {
		cli_error("stdout", "write failed");
		return CLI_EXIT_ERROR;
	}
	return rc;
}
