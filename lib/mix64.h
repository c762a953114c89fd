/* mix64.h - the purgatory's fast digest: four interleaved 64-bit
 * multiply-rotate lanes, 256 bits out. Freestanding.
 *
 * What it is for: noticing that memory changed between the load and the
 * jump (a stray DMA, a driver writing freed pages, a bad bit), not resisting
 * an attacker, who could rewrite the digest as easily as the kernel. Each
 * step s = rotl((s ^ w) * P, 29) is a bijection of the lane state for a
 * fixed word, so a change confined to one 64-bit word per lane (every
 * single-bit flip, every single-byte error) always changes the result;
 * wider damage (a zeroed page, a misplaced page) collides with probability
 * about 2^-64 per lane. Plain integer code: no instruction set extension,
 * nothing to enable in purgatory, and cheap under emulation too. */
#ifndef KX_MIX64_H
#define KX_MIX64_H

#include <stddef.h>
#include <stdint.h>

struct kx_mix64_ctx {
	uint64_t s[4];
	uint64_t total;
	uint8_t buf[32];
	uint32_t used;
};

void kx_mix64_init(struct kx_mix64_ctx *c);
void kx_mix64_update(struct kx_mix64_ctx *c, const void *data, size_t len);
void kx_mix64_final(struct kx_mix64_ctx *c, uint8_t out[32]);

/* The word-at-a-time reference of the same function (byte loads, one word
 * per call), for tests: the fast path must agree with it. */
void kx_mix64_reference(const void *data, size_t len, uint8_t out[32]);

#endif
