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
	int ni;          /* blocks go through the SHA extensions (sha256-ni.c) */
};

extern const uint32_t kx_sha256_k[64];

void kx_sha256_init(struct kx_sha256_ctx *c);
void kx_sha256_update(struct kx_sha256_ctx *c, const void *data, size_t len);
void kx_sha256_final(struct kx_sha256_ctx *c, uint8_t out[32]);
void kx_sha256(const void *data, size_t len, uint8_t out[32]);

/* The SHA-extension path: after init, switch this context to it when the
 * CPU has SHA, SSSE3 and SSE4.1 (CPUID). Returns 1 when switched. The caller
 * must be somewhere SSE may run (purgatory enables it first). */
int kx_sha256_use_ni(struct kx_sha256_ctx *c);
int kx_sha256_ni_supported(void);
void kx_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n);

#endif
