/* err.h - the error record every library function fills on failure.
 *
 * Library code never prints and never exits: a failing function returns a
 * negative errno and, when given a struct kx_err, records which file (or
 * buffer) was read, which field was wrong and the offending value, so the
 * tool can print one precise line. */
#ifndef KX_ERR_H
#define KX_ERR_H

#include <stddef.h>

struct kx_err {
	int code;            /* negative errno, 0 when no error was recorded */
	char where[256];     /* file path as the user sees it (sysroot-relative), or a buffer name */
	char msg[512];       /* "field: what is wrong (value)" */
};

/* Record an error and return code (a negative errno) so callers can write
 * `return kx_errf(err, -EINVAL, path, "phys_addr: not hex (%s)", v);`.
 * err may be NULL. A later call does not overwrite an earlier recorded error
 * unless kx_err_clear() was called: the first cause is the one reported. */
int kx_errf(struct kx_err *err, int code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Like kx_errf but always overwrites. */
int kx_err_set(struct kx_err *err, int code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void kx_err_clear(struct kx_err *err);

/* "where: msg (strerror)" into buf; returns buf. */
const char *kx_err_str(const struct kx_err *err, char *buf, size_t len);

#endif
