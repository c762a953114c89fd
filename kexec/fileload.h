/* fileload.h - read the kernel and initrd files: mapped, not copied, and a
 * gzip/xz/zstd-compressed kernel file transparently decompressed. */
#ifndef KX_FILELOAD_H
#define KX_FILELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct loaded_file {
	const uint8_t *data;
	size_t len;
	bool mapped;             /* munmap on free, else free() */
	void *base;              /* what to unmap/free */
	size_t map_len;
	const char *compression; /* NULL, "gzip", "xz", "zstd" */
};

int file_map(const char *path, struct loaded_file *out, struct kx_err *err);
/* Map, then decompress when the content starts with a known magic. */
int file_load_kernel(const char *path, struct loaded_file *out, struct kx_err *err);
void file_free(struct loaded_file *f);

/* Decompress a buffer (exposed for tests). -ENOTSUP when the format is not
 * compiled in, -EINVAL on corrupt data, -EFBIG past max bytes. */
int decompress(const uint8_t *in, size_t len, const char *name, size_t max, uint8_t **out,
	       size_t *out_len, const char **format, struct kx_err *err);

#endif
