#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

__attribute__((format(printf, 4, 0)))
static int err_vset(struct kx_err *err, int code, const char *where, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return code;
}

int kx_errf(struct kx_err *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (err && err->code != 0)
		return code;
	va_start(ap, fmt);
	err_vset(err, code, where, fmt, ap);
	va_end(ap);
	return code;
}

int kx_err_set(struct kx_err *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, code, where, fmt, ap);
	va_end(ap);
	return code;
}

void kx_err_clear(struct kx_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *kx_err_str(const struct kx_err *err, char *buf, size_t len)
{
	if (!err || err->code == 0) {
		snprintf(buf, len, "no error");
		return buf;
	}
	if (err->where[0])
		snprintf(buf, len, "%s: %s", err->where, err->msg[0] ? err->msg : strerror(-err->code));
	else
		snprintf(buf, len, "%s", err->msg[0] ? err->msg : strerror(-err->code));
	return buf;
}
