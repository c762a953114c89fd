#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "strnum.h"

int sysroot_init(struct sysroot *sr, const char *dir, struct kx_err *err)
{
	struct stat st;
	size_t l;

	sr->root[0] = '\0';
	if (!dir || !*dir || strcmp(dir, "/") == 0)
		return 0;
	if (stat(dir, &st) < 0)
		return kx_errf(err, -errno, dir, "sysroot: %s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return kx_errf(err, -ENOTDIR, dir, "sysroot: not a directory");
	l = strlen(dir);
	if (l >= sizeof(sr->root))
		return kx_errf(err, -ENAMETOOLONG, dir, "sysroot: path too long");
	memcpy(sr->root, dir, l + 1);
	while (l > 1 && sr->root[l - 1] == '/')
		sr->root[--l] = '\0';
	return 0;
}

int sysroot_path(const struct sysroot *sr, const char *abs, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s%s", sr ? sr->root : "", abs);

	if (n < 0 || (size_t)n >= outlen)
		return -ENAMETOOLONG;
	return 0;
}

const char *sysroot_display(const struct sysroot *sr, const char *abs, char *out, size_t outlen)
{
	if (sysroot_path(sr, abs, out, outlen) < 0)
		snprintf(out, outlen, "%s", abs);
	return out;
}

bool sysroot_exists(const struct sysroot *sr, const char *abs)
{
	char p[4096 + 512];

	if (sysroot_path(sr, abs, p, sizeof(p)) < 0)
		return false;
	return access(p, F_OK) == 0;
}

int sysroot_open(const struct sysroot *sr, const char *abs, int flags)
{
	char p[4096 + 512];

	if (sysroot_path(sr, abs, p, sizeof(p)) < 0)
		return -ENAMETOOLONG;
	int fd = open(p, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sysroot_read_file(const struct sysroot *sr, const char *abs, size_t max,
		      char **buf, size_t *len, struct kx_err *err)
{
	char p[4096 + 512];
	/* Never buffer more than max: sysroot_read_text copies the result into
	 * a caller buffer of max + 1 bytes. */
	size_t cap = max < 4096 ? max : 4096, used = 0;
	char *b;
	int fd;

	*buf = NULL;
	*len = 0;
	sysroot_display(sr, abs, p, sizeof(p));
	fd = sysroot_open(sr, abs, O_RDONLY);
	if (fd < 0)
		return kx_errf(err, fd, p, "cannot open: %s%s", strerror(-fd),
			       fd == -EACCES ? " (root needed?)" : "");
	b = malloc(cap + 1);
	if (!b) {
		close(fd);
		return kx_errf(err, -ENOMEM, p, "out of memory");
	}
	for (;;) {
		ssize_t r;

		if (used == cap) {
			char *nb;

			if (cap >= max) {
				/* Exactly max bytes is fine (boot_params/data is
				 * 4096): only a further byte makes it too big. */
				char extra;
				ssize_t x;

				do
					x = read(fd, &extra, 1);
				while (x < 0 && errno == EINTR);
				if (x == 0)
					break;
				free(b);
				close(fd);
				return kx_errf(err, -EFBIG, p, "file larger than %zu bytes", max);
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				close(fd);
				return kx_errf(err, -ENOMEM, p, "out of memory");
			}
			b = nb;
		}
		r = read(fd, b + used, cap - used);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(b);
			close(fd);
			return kx_errf(err, -e, p, "read failed: %s", strerror(e));
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	close(fd);
	b[used] = '\0';
	*buf = b;
	*len = used;
	return 0;
}

int sysroot_read_text(const struct sysroot *sr, const char *abs, char *buf, size_t buflen,
		      struct kx_err *err)
{
	char *b;
	size_t len;
	int r = sysroot_read_file(sr, abs, buflen > 0 ? buflen - 1 : 0, &b, &len, err);

	if (r < 0)
		return r;
	memcpy(buf, b, len + 1);
	free(b);
	return (int)len;
}

/* Show a value in a message: printable, bounded, with \n made visible. */
static void quote_value(const char *v, size_t len, char *out, size_t outlen)
{
	size_t o = 0, i;

	for (i = 0; i < len && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < len && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static int read_number(const struct sysroot *sr, const char *abs, uint64_t *out, bool hex,
		       struct kx_err *err)
{
	char buf[128], p[4096 + 512], q[200];
	int r = sysroot_read_text(sr, abs, buf, sizeof(buf), err);

	if (r < 0)
		return r;
	sysroot_display(sr, abs, p, sizeof(p));
	quote_value(buf, (size_t)r, q, sizeof(q));
	if (r == 0)
		return kx_errf(err, -EINVAL, p, "empty value");
	r = hex ? strnum_hex_u64(buf, (size_t)r, out) : strnum_dec_u64(buf, (size_t)r, out);
	if (r == -ERANGE)
		return kx_errf(err, r, p, "value overflows 64 bits (\"%s\")", q);
	if (r < 0)
		return kx_errf(err, r, p, "not a %s number (\"%s\")", hex ? "0x-prefixed hex" : "decimal", q);
	return 0;
}

int sysroot_read_hex(const struct sysroot *sr, const char *abs, uint64_t *out, struct kx_err *err)
{
	return read_number(sr, abs, out, true, err);
}

int sysroot_read_dec(const struct sysroot *sr, const char *abs, uint64_t *out, struct kx_err *err)
{
	return read_number(sr, abs, out, false, err);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int sysroot_list_numeric(const struct sysroot *sr, const char *absdir, bool require_dense,
			 unsigned **idx, size_t *n, struct kx_err *err)
{
	char p[4096 + 512];
	size_t cap = 64, cnt = 0, i;
	unsigned *v;
	struct dirent *de;
	DIR *d;

	*idx = NULL;
	*n = 0;
	if (sysroot_path(sr, absdir, p, sizeof(p)) < 0)
		return kx_errf(err, -ENAMETOOLONG, absdir, "path too long");
	d = opendir(p);
	if (!d)
		return kx_errf(err, -errno, p, "cannot open directory: %s", strerror(errno));
	v = malloc(cap * sizeof(*v));
	if (!v) {
		closedir(d);
		return kx_errf(err, -ENOMEM, p, "out of memory");
	}
	while ((de = readdir(d)) != NULL) {
		uint64_t num;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strnum_dec_u64(de->d_name, strlen(de->d_name), &num) < 0 || num > 1000000 ||
		    (de->d_name[0] == '0' && de->d_name[1] != '\0')) {
			/* de belongs to d: report before closedir frees it */
			int r = kx_errf(err, -EINVAL, p, "entry \"%s\" is not a decimal index",
					de->d_name);

			free(v);
			closedir(d);
			return r;
		}
		if (cnt == cap) {
			unsigned *nv = realloc(v, cap * 2 * sizeof(*v));

			if (!nv) {
				free(v);
				closedir(d);
				return kx_errf(err, -ENOMEM, p, "out of memory");
			}
			v = nv;
			cap *= 2;
		}
		v[cnt++] = (unsigned)num;
	}
	closedir(d);
	qsort(v, cnt, sizeof(*v), cmp_uint);
	if (require_dense) {
		for (i = 0; i < cnt; i++) {
			if (v[i] != i) {
				unsigned missing = (unsigned)i;

				free(v);
				return kx_errf(err, -EINVAL, p, "entry %u is missing (indices must run 0..%zu)",
					       missing, cnt - 1);
			}
		}
	}
	*idx = v;
	*n = cnt;
	return 0;
}
