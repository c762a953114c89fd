/* util.c - error printing, option values and file writing for the CLI. */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "strnum.h"

void cli_error(const char *where, const char *fmt, ...)
{
	va_list ap;

	fputs(CLI_NAME ": ", stderr);
	if (where && *where)
		fprintf(stderr, "%s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_kx_error(const struct kx_err *err)
{
	const char *msg = err->msg[0] ? err->msg : strerror(err->code < 0 ? -err->code : EIO);

	cli_error(err->where, "%s", msg);
}

int cli_usage_error(const char *sub, const char *fmt, ...)
{
	va_list ap;

	fputs(CLI_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_try_help(sub);
}

int cli_try_help(const char *sub)
{
	fprintf(stderr, "Try '" CLI_NAME "%s%s --help' for more information.\n",
		sub ? " " : "", sub ? sub : "");
	return CLI_EXIT_ERROR;
}

void cli_print_version(void)
{
	printf(CLI_NAME " from " PACKAGE_NAME " " PACKAGE_VERSION "\n");
}

int cli_parse_u64(const char *s, uint64_t *out)
{
	size_t len = strlen(s);

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return strnum_hex_u64(s, len, out);
	return strnum_dec_u64(s, len, out);
}

int cli_mkdir_p(const char *path, struct kx_err *err)
{
	char tmp[4096];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return kx_errf(err, -ENAMETOOLONG, path, "path too long");
	memcpy(tmp, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return kx_errf(err, -errno, tmp, "cannot create directory: %s", strerror(errno));
		tmp[i] = i == len ? '\0' : '/';
	}
	return 0;
}

int cli_write_file(const char *dir, const char *name, const void *buf, size_t len,
		   struct kx_err *err)
{
	char path[4096 + 256];
	const uint8_t *p = buf;
	int fd, r;

	r = cli_mkdir_p(dir, err);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return kx_errf(err, -errno, path, "cannot create: %s", strerror(errno));
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r = w < 0 ? -errno : -EIO;
			close(fd);
			return kx_errf(err, r, path, "write failed: %s", strerror(-r));
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) < 0)
		return kx_errf(err, -errno, path, "close failed: %s", strerror(errno));
	return 0;
}

const char *cli_signature_name(uint32_t sig)
{
	if (sig == EFI64_LOADER_SIGNATURE)
		return "EL64";
	if (sig == EFI32_LOADER_SIGNATURE)
		return "EL32";
	if (sig == 0)
		return "none";
	return "unknown";
}

int cli_read_whole(const char *path, size_t max, uint8_t **buf, size_t *len, struct kx_err *err)
{
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return kx_errf(err, -errno, path, "cannot open: %s", strerror(errno));
	for (;;) {
		ssize_t r;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *nb;

			if (cap >= max + 1) {
				free(b);
				close(fd);
				return kx_errf(err, -EFBIG, path, "larger than %zu bytes", max);
			}
			if (ncap > max + 1)
				ncap = max + 1;
			nb = realloc(b, ncap);
			if (!nb) {
				free(b);
				close(fd);
				return kx_errf(err, -ENOMEM, path, "out of memory");
			}
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			close(fd);
			return kx_errf(err, -e, path, "read failed: %s", strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(b);
			close(fd);
			return kx_errf(err, -EFBIG, path, "larger than %zu bytes", max);
		}
	}
	close(fd);
	b[n] = 0;   /* n < cap here: the loop only reads into free space */
	*buf = b;
	*len = n;
	return 0;
}

int cli_common_option(struct cli *c, int opt, const char *sub, void (*usage)(FILE *out))
{
	switch (opt) {
	case CLI_OPT_SYSROOT:
		c->sysroot = optarg;
		return -1;
	case 'h':
		usage(stdout);
		return CLI_EXIT_OK;
	case 'V':
		cli_print_version();
		return CLI_EXIT_OK;
	default:
		return cli_try_help(sub);
	}
}
