/* mix64.c - see mix64.h. The definition, in words:
 *   lanes s[i] = IV[i]; the input is read as little-endian 64-bit words,
 *   word k going to lane k % 4: s = rotl64((s ^ w) * P1, 29);
 *   the last partial word is zero-padded; then s[0] ^= total length in
 *   bytes, each lane gets a final bijective avalanche, and the digest is
 *   s[0..3] little-endian. */
#include "mix64.h"

#define P1 0x9E3779B97F4A7C15ull  /* odd: multiplication is a bijection mod 2^64 */
#define P2 0xC2B2AE3D27D4EB4Full

static const uint64_t iv[4] = {
	0x6A09E667F3BCC908ull, 0xBB67AE8584CAA73Bull, 0x3C6EF372FE94F82Bull, 0xA54FF53A5F1D36F1ull,
};

static inline uint64_t rotl(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static inline uint64_t step(uint64_t s, uint64_t w)
{
	return rotl((s ^ w) * P1, 29);
}

static inline uint64_t le64(const uint8_t *p)
{
	/* Byte assembly: no alignment assumption, and gcc/clang make it one load. */
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

void kx_mix64_init(struct kx_mix64_ctx *c)
{
	unsigned i;

	for (i = 0; i < 4; i++)
		c->s[i] = iv[i];
	c->total = 0;
	c->used = 0;
}

/* The hot loop: 32-byte blocks, four independent multiply chains so the
 * multiplier latency overlaps. */
static void blocks(uint64_t s[4], const uint8_t *p, size_t n)
{
	uint64_t a = s[0], b = s[1], c = s[2], d = s[3];

	while (n--) {
		a = step(a, le64(p));
		b = step(b, le64(p + 8));
		c = step(c, le64(p + 16));
		d = step(d, le64(p + 24));
		p += 32;
	}
	s[0] = a; s[1] = b; s[2] = c; s[3] = d;
}

void kx_mix64_update(struct kx_mix64_ctx *c, const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;

	c->total += len;
	if (c->used) {
		while (len && c->used < 32) {
			c->buf[c->used++] = *p++;
			len--;
		}
		if (c->used < 32)
			return;
		blocks(c->s, c->buf, 1);
		c->used = 0;
	}
	blocks(c->s, p, len / 32);
	p += len & ~(size_t)31;
	len &= 31;
	while (len--)
		c->buf[c->used++] = *p++;
}

static uint64_t avalanche(uint64_t x)
{
	/* xorshift and odd multiply: each a bijection, so distinct lanes stay distinct */
	x ^= x >> 33;
	x *= P2;
	x ^= x >> 29;
	x *= P1;
	x ^= x >> 32;
	return x;
}

static void finish(uint64_t s[4], uint64_t total, uint8_t out[32])
{
	unsigned i, k;

	s[0] ^= total;
	for (i = 0; i < 4; i++) {
		uint64_t v = avalanche(s[i]);

		for (k = 0; k < 8; k++)
			out[8 * i + k] = (uint8_t)(v >> (8 * k));
	}
}

void kx_mix64_final(struct kx_mix64_ctx *c, uint8_t out[32])
{
	unsigned w;

	/* The partial block: whole words, then one zero-padded word. */
	for (w = 0; w * 8 < c->used; w++) {
		uint8_t word[8] = { 0 };
		unsigned k;

		for (k = 0; k < 8 && w * 8 + k < c->used; k++)
			word[k] = c->buf[w * 8 + k];
		c->s[w] = step(c->s[w], le64(word));
	}
	finish(c->s, c->total, out);
}

void kx_mix64_reference(const void *data, size_t len, uint8_t out[32])
{
	const uint8_t *p = (const uint8_t *)data;
	uint64_t s[4];
	size_t i;

	for (i = 0; i < 4; i++)
		s[i] = iv[i];
	for (i = 0; i < (len + 7) / 8; i++) {
		uint64_t w = 0;
		size_t k;

		for (k = 0; k < 8 && i * 8 + k < len; k++)
			w |= (uint64_t)p[i * 8 + k] << (8 * k);
		s[i % 4] = step(s[i % 4], w);
	}
	finish(s, len, out);
}
