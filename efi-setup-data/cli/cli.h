/* cli.h - what the efi-setup-data subcommands share.
 *
 * The tool is thin: each subcommand (one file each) parses its options,
 * calls libesd (esd.h) and prints. Exit codes follow util-linux habits and
 * are the same for every subcommand (see man/efi-setup-data.8). */
#ifndef ESD_CLI_H
#define ESD_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "esd.h"

#define CLI_NAME "efi-setup-data"

enum {
	CLI_EXIT_OK = 0,        /* done; for verify: safe, for diff: same */
	CLI_EXIT_FAIL = 1,      /* verify: a fatal finding; diff: different; dump: a part unreadable */
	CLI_EXIT_ERROR = 2,     /* usage error, or the input could not be read at all */
};

/* Options every subcommand accepts. */
struct cli {
	const char *sysroot;    /* NULL = the running system */
};

/* Subcommands: argv[0] is the subcommand name. They return an exit code. */
int cmd_dump(struct cli *c, int argc, char **argv);
int cmd_build(struct cli *c, int argc, char **argv);
int cmd_verify(struct cli *c, int argc, char **argv);
int cmd_snapshot(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);

/* ---- util.c ---- */

/* "efi-setup-data: WHERE: MSG" on stderr (WHERE omitted when empty). */
void cli_error(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, from a library error record. */
void cli_kx_error(const struct kx_err *err);
/* "efi-setup-data: MSG" plus a hint to --help; returns CLI_EXIT_ERROR. */
int cli_usage_error(const char *sub, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Only the "Try ... --help" line (getopt already said what was wrong). */
int cli_try_help(const char *sub);
/* The --sysroot option, shared by all subcommands' getopt tables. */
#define CLI_OPT_SYSROOT 0x100
/* The options every subcommand shares (--sysroot, -h, -V) and the answer
 * to an unknown one. Returns -1 when option parsing goes on, else the exit
 * code the subcommand returns. */
int cli_common_option(struct cli *c, int opt, const char *sub, void (*usage)(FILE *out));
/* Prints "efi-setup-data VERSION". */
void cli_print_version(void);

/* Parse "0x..." or decimal into a u64, for option arguments. */
int cli_parse_u64(const char *s, uint64_t *out);

/* Write len bytes to DIR/name (mode 0644), creating DIR if needed. */
int cli_write_file(const char *dir, const char *name, const void *buf, size_t len,
		   struct kx_err *err);
/* mkdir -p. */
int cli_mkdir_p(const char *path, struct kx_err *err);

/* "EL64" / "EL32" / "none" / "unknown" for an efi_loader_signature. */
const char *cli_signature_name(uint32_t sig);

/* Read a whole file (not through the sysroot: user-given paths such as
 * --kernel or --memory-image). *buf malloc'ed. */
int cli_read_whole(const char *path, size_t max, uint8_t **buf, size_t *len, struct kx_err *err);

#endif
