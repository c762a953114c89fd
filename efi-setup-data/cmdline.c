/* cmdline.c - /proc/cmdline, without its trailing newline. */
#include <errno.h>
#include <string.h>

#include "esd.h"

int esd_read_cmdline(const struct sysroot *sr, char *buf, size_t len, struct kx_err *err)
{
	int r;

	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	r = sysroot_read_text(sr, "/proc/cmdline", buf, len, err);
	if (r < 0)
		return r;
	if (r > 0 && buf[r - 1] == '\n')
		buf[--r] = '\0';
	return 0;
}
