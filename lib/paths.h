/* paths.h - the one door to /sys and /proc.
 *
 * Every read of the running system goes through a struct sysroot, so a tool
 * given --sysroot DIR reads DIR/sys/... and DIR/proc/... instead, and the
 * test suite runs against captured trees. Paths passed in are always the
 * absolute system paths ("/sys/firmware/efi/systab"); errors name that path
 * (prefixed with the sysroot when one is set) so messages match what the
 * user can open. */
#ifndef KX_PATHS_H
#define KX_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct sysroot {
	char root[4096];   /* "" for the real root */
};

/* dir NULL or "/" means the running system. -ENOTDIR when dir is not a directory. */
int sysroot_init(struct sysroot *sr, const char *dir, struct kx_err *err);

/* Full path for an absolute system path. -ENAMETOOLONG on overflow. */
int sysroot_path(const struct sysroot *sr, const char *abs, char *out, size_t outlen);

/* Does the path exist (any type)? */
bool sysroot_exists(const struct sysroot *sr, const char *abs);

/* Read a whole file (sysfs files report 4096 bytes whatever they hold, so
 * read until EOF). *buf is malloc'ed and NUL-terminated (not counted in *len).
 * Fails with -EFBIG past max bytes, -ENOENT/-EACCES as open() says. */
int sysroot_read_file(const struct sysroot *sr, const char *abs, size_t max,
		      char **buf, size_t *len, struct kx_err *err);

/* Read a small text file into a caller buffer (NUL-terminated); -EFBIG if it
 * does not fit. Returns the length read. */
int sysroot_read_text(const struct sysroot *sr, const char *abs, char *buf, size_t buflen,
		      struct kx_err *err);

/* Strict hex sysfs value ("0x...\n"), error names the file and the value. */
int sysroot_read_hex(const struct sysroot *sr, const char *abs, uint64_t *out, struct kx_err *err);

/* Strict decimal value ("64\n"). */
int sysroot_read_dec(const struct sysroot *sr, const char *abs, uint64_t *out, struct kx_err *err);

/* The entries of a directory whose names are decimal numbers, sorted
 * numerically (never readdir order). Entries that are not numbers are an
 * error (-EINVAL naming the entry); so are gaps if require_dense is true
 * (0..n-1 expected). *idx is malloc'ed. -ENOENT if the directory is absent. */
int sysroot_list_numeric(const struct sysroot *sr, const char *absdir, bool require_dense,
			 unsigned **idx, size_t *n, struct kx_err *err);

/* open(2) through the sysroot (for the few binary reads that need an fd). */
int sysroot_open(const struct sysroot *sr, const char *abs, int flags);

/* Name to show for abs in messages ("DIR/sys/..." or "/sys/..."). */
const char *sysroot_display(const struct sysroot *sr, const char *abs, char *out, size_t outlen);

#endif
