/* digest.h - the segment digest the loader computes at load and purgatory
 * recomputes before the jump, selectable: SHA-256 or mix64 (mix64.h says
 * why that is enough for what purgatory must catch). Freestanding. */
#ifndef KX_DIGEST_H
#define KX_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "mix64.h"
#include "sha256.h"

/* The numbers are ABI: purgatory_params.digest_algo (purgatory-abi.h). */
#define KX_DIGEST_SHA256 1
#define KX_DIGEST_MIX64  2

struct kx_digest_ctx {
	int algo;
	union {
		struct kx_sha256_ctx sha;
		struct kx_mix64_ctx mix;
	} u;
};

/* 0, or -1 for an unknown algo. allow_ni: SHA-256 may use the SHA
 * extensions when the CPU has them (the caller can run SSE). */
int kx_digest_init(struct kx_digest_ctx *c, int algo, int allow_ni);
void kx_digest_update(struct kx_digest_ctx *c, const void *data, size_t len);
void kx_digest_final(struct kx_digest_ctx *c, uint8_t out[32]);
/* "sha256", "sha256-ni", "mix64"; "?" for an unknown algo. */
const char *kx_digest_name(const struct kx_digest_ctx *c);

#endif
