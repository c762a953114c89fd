/* sha256.h - SHA-256 (FIPS 180-4). Freestanding: no libc, so the purgatory
 * runs exactly the code the loader and the unit tests run. */
#ifndef KX_SHA256_H
#define KX_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct kx_sha256_ctx {
	uint32_t h[8];
	uint64_t total;
	uint8_t buf[64];
	uint32_t used;
};

void kx_sha256_init(struct kx_sha256_ctx *c);
void kx_sha256_update(struct kx_sha256_ctx *c, const void *data, size_t len);
void kx_sha256_final(struct kx_sha256_ctx *c, uint8_t out[32]);
void kx_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
