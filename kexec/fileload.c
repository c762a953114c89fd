#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

#include "fileload.h"

/* Kernels are tens of MiB decompressed; refuse to inflate a bomb. */
#define DECOMP_MAX (1024u << 20)

int file_map(const char *path, struct loaded_file *out, struct kx_err *err)
{
	struct stat st;
	void *m;
	int fd;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kx_errf(err, -errno, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kx_errf(err, -EINVAL, path, "not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return kx_errf(err, -EINVAL, path, "file is empty");
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return kx_errf(err, -errno, path, "cannot map: %s", strerror(errno));
	out->data = m;
	out->len = (size_t)st.st_size;
	out->mapped = true;
	out->base = m;
	out->map_len = (size_t)st.st_size;
	return 0;
}

void file_free(struct loaded_file *f)
{
	if (f->mapped && f->base)
		munmap(f->base, f->map_len);
	else
		free(f->base);
	memset(f, 0, sizeof(*f));
}

static int grow(uint8_t **buf, size_t *cap, size_t need, size_t max)
{
	size_t c = *cap ? *cap : (1u << 20);
	uint8_t *n;

	while (c < need)
		c *= 2;
	if (c > max)
		c = max;
	if (c < need)
		return -EFBIG;
	n = realloc(*buf, c);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cap = c;
	return 0;
}

static int gunzip(const uint8_t *in, size_t len, const char *name, size_t max, uint8_t **out,
		  size_t *out_len, struct kx_err *err)
{
	z_stream z;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int zr, r;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return kx_errf(err, -ENOMEM, name, "zlib init failed");
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	do {
		if (z.total_out == cap) {
			r = grow(&buf, &cap, cap + 1, max);
			if (r < 0) {
				inflateEnd(&z);
				free(buf);
				return kx_errf(err, r, name, "gzip: decompressed size exceeds %zu bytes", max);
			}
		}
		z.next_out = buf + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		zr = inflate(&z, Z_NO_FLUSH);
	} while (zr == Z_OK);
	if (zr != Z_STREAM_END) {
		inflateEnd(&z);
		free(buf);
		return kx_errf(err, -EINVAL, name, "gzip: corrupt data (%s)", z.msg ? z.msg : "truncated");
	}
	*out_len = z.total_out;
	inflateEnd(&z);
	*out = buf;
	return 0;
}

#ifdef HAVE_LZMA
static int unxz(const uint8_t *in, size_t len, const char *name, size_t max, uint8_t **out,
		size_t *out_len, struct kx_err *err)
{
	lzma_stream s = LZMA_STREAM_INIT;
	uint8_t *buf = NULL;
	size_t cap = 0;
	lzma_ret lr;
	int r;

	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return kx_errf(err, -ENOMEM, name, "liblzma init failed");
	s.next_in = in;
	s.avail_in = len;
	do {
		if (s.total_out == cap) {
			r = grow(&buf, &cap, cap + 1, max);
			if (r < 0) {
				lzma_end(&s);
				free(buf);
				return kx_errf(err, r, name, "xz: decompressed size exceeds %zu bytes", max);
			}
		}
		s.next_out = buf + s.total_out;
		s.avail_out = cap - s.total_out;
		lr = lzma_code(&s, LZMA_FINISH);
	} while (lr == LZMA_OK);
	if (lr != LZMA_STREAM_END) {
		lzma_end(&s);
		free(buf);
		return kx_errf(err, -EINVAL, name, "xz: corrupt data (liblzma error %d)", (int)lr);
	}
	*out_len = (size_t)s.total_out;
	lzma_end(&s);
	*out = buf;
	return 0;
}
#endif

#ifdef HAVE_ZSTD
static int unzstd(const uint8_t *in, size_t len, const char *name, size_t max, uint8_t **out,
		  size_t *out_len, struct kx_err *err)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer ib = { in, len, 0 };
	uint8_t *buf = NULL;
	size_t cap = 0, used = 0, zr = 1;
	int r;

	if (!z)
		return kx_errf(err, -ENOMEM, name, "libzstd init failed");
	ZSTD_initDStream(z);
	while (zr != 0) {
		ZSTD_outBuffer ob;

		if (used == cap) {
			r = grow(&buf, &cap, cap + 1, max);
			if (r < 0) {
				ZSTD_freeDStream(z);
				free(buf);
				return kx_errf(err, r, name, "zstd: decompressed size exceeds %zu bytes", max);
			}
		}
		ob.dst = buf + used;
		ob.size = cap - used;
		ob.pos = 0;
		zr = ZSTD_decompressStream(z, &ob, &ib);
		if (ZSTD_isError(zr)) {
			ZSTD_freeDStream(z);
			free(buf);
			return kx_errf(err, -EINVAL, name, "zstd: corrupt data (%s)", ZSTD_getErrorName(zr));
		}
		used += ob.pos;
		if (zr != 0 && ib.pos == ib.size && ob.pos < ob.size) {
			ZSTD_freeDStream(z);
			free(buf);
			return kx_errf(err, -EINVAL, name, "zstd: truncated data");
		}
	}
	ZSTD_freeDStream(z);
	*out = buf;
	*out_len = used;
	return 0;
}
#endif

int decompress(const uint8_t *in, size_t len, const char *name, size_t max, uint8_t **out,
	       size_t *out_len, const char **format, struct kx_err *err)
{
	static const uint8_t xz_magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0x00 };

	*format = NULL;
	if (len >= 2 && in[0] == 0x1F && in[1] == 0x8B) {
		*format = "gzip";
		return gunzip(in, len, name, max, out, out_len, err);
	}
	if (len >= 6 && memcmp(in, xz_magic, 6) == 0) {
		*format = "xz";
#ifdef HAVE_LZMA
		return unxz(in, len, name, max, out, out_len, err);
#else
		return kx_errf(err, -ENOTSUP, name, "xz-compressed file, but kexec was built without liblzma");
#endif
	}
	if (len >= 4 && in[0] == 0x28 && in[1] == 0xB5 && in[2] == 0x2F && in[3] == 0xFD) {
		*format = "zstd";
#ifdef HAVE_ZSTD
		return unzstd(in, len, name, max, out, out_len, err);
#else
		return kx_errf(err, -ENOTSUP, name, "zstd-compressed file, but kexec was built without libzstd");
#endif
	}
	return -ENOENT;   /* not compressed */
}

int file_load_kernel(const char *path, struct loaded_file *out, struct kx_err *err)
{
	uint8_t *d;
	size_t dl;
	const char *fmt;
	int r = file_map(path, out, err);

	if (r < 0)
		return r;
	r = decompress(out->data, out->len, path, DECOMP_MAX, &d, &dl, &fmt, err);
	if (r == -ENOENT)
		return 0;
	file_free(out);
	if (r < 0)
		return r;
	out->data = d;
	out->len = dl;
	out->base = d;
	out->mapped = false;
	out->compression = fmt;
	return 0;
}
