/* sha256-ni.c - SHA-256 block function with the x86 SHA extensions
 * (SHA256RNDS2/MSG1/MSG2), used when CPUID reports them. Freestanding: the
 * purgatory links it too, and the rest of the purgatory is built without
 * SSE, so only these functions are compiled for it (target attribute) and
 * purgatory enables SSE in CR0/CR4 before calling them (main.c). */
#include "sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#define KX_NI_TARGET __attribute__((target("sse2,ssse3,sse4.1,sha")))

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

int kx_sha256_ni_supported(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 9)) || !(r[2] & (1u << 19)))   /* SSSE3, SSE4.1 */
		return 0;
	cpuid(7, 0, r);
	return (r[1] >> 29) & 1;                            /* SHA */
}

/* State in SHA-NI order: st0 = {A,B,E,F}, st1 = {C,D,G,H} (high to low). */
KX_NI_TARGET void kx_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
	__m128i t, st0, st1;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[0]), 0xB1);
	st1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)&h[4]), 0x1B);
	st0 = _mm_alignr_epi8(t, st1, 8);
	st1 = _mm_blend_epi16(st1, t, 0xF0);
	while (n--) {
		__m128i m[4], msg, s0 = st0, s1 = st1;
		unsigned i;

		for (i = 0; i < 16; i++) {
			if (i < 4) {
				m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i)), bswap);
			} else {
				/* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
				__m128i x = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);

				x = _mm_add_epi32(x, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
				m[i & 3] = _mm_sha256msg2_epu32(x, m[(i + 3) & 3]);
			}
			msg = _mm_add_epi32(m[i & 3], _mm_loadu_si128((const __m128i *)(const void *)&kx_sha256_k[4 * i]));
			st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
			st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(msg, 0x0E));
		}
		st0 = _mm_add_epi32(st0, s0);
		st1 = _mm_add_epi32(st1, s1);
		p += 64;
	}
	t = _mm_shuffle_epi32(st0, 0x1B);
	st1 = _mm_shuffle_epi32(st1, 0xB1);
	st0 = _mm_blend_epi16(t, st1, 0xF0);
	st1 = _mm_alignr_epi8(st1, t, 8);
	_mm_storeu_si128((__m128i *)(void *)&h[0], st0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], st1);
}
#else
int kx_sha256_ni_supported(void)
{
	return 0;
}

void kx_sha256_blocks_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	(void)h; (void)p; (void)n;
}
#endif
