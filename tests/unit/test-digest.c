/* The purgatory digests (lib/digest.c): mix64's block path against its
 * word-at-a-time definition, what it must detect (every single-bit flip, a
 * zeroed page, swapped words), and SHA-256 through the SHA extensions
 * against the plain C code and the FIPS vectors. */
#include "digest.h"
#include "test.h"

static uint64_t rng = 0x243F6A8885A308D3ull;

static uint8_t rnd8(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

static void fill(uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = rnd8();
}

static void mix(const uint8_t *b, size_t n, uint8_t out[32])
{
	struct kx_mix64_ctx c;

	kx_mix64_init(&c);
	kx_mix64_update(&c, b, n);
	kx_mix64_final(&c, out);
}

/* Feed in pieces of sizes 1, 2, 3, ... to exercise the partial-block buffer. */
static void mix_chunked(const uint8_t *b, size_t n, uint8_t out[32])
{
	struct kx_mix64_ctx c;
	size_t off = 0, k = 1;

	kx_mix64_init(&c);
	while (off < n) {
		size_t m = k < n - off ? k : n - off;

		kx_mix64_update(&c, b + off, m);
		off += m;
		k = k % 67 + 1;
	}
	kx_mix64_final(&c, out);
}

TEST(mix64_block_path_equals_definition)
{
	static uint8_t b[4096 + 64];
	uint8_t d1[32], d2[32], d3[32];
	int bad = 0;

	fill(b, sizeof(b));
	for (size_t n = 0; n <= 300; n++) {
		for (size_t off = 0; off < 3; off++) {     /* unaligned starts too */
			mix(b + off, n, d1);
			mix_chunked(b + off, n, d2);
			kx_mix64_reference(b + off, n, d3);
			bad += memcmp(d1, d3, 32) != 0 || memcmp(d2, d3, 32) != 0;
		}
	}
	mix(b, 4096, d1);
	kx_mix64_reference(b, 4096, d3);
	CHECK(!memcmp(d1, d3, 32));
	CHECK(bad == 0);
}

TEST(mix64_through_digest_api)
{
	struct kx_digest_ctx c;
	uint8_t b[1000], d1[32], d2[32];

	fill(b, sizeof(b));
	CHECK(kx_digest_init(&c, KX_DIGEST_MIX64, 1) == 0);
	CHECK(!strcmp(kx_digest_name(&c), "mix64"));
	kx_digest_update(&c, b, 333);
	kx_digest_update(&c, b + 333, 667);
	kx_digest_final(&c, d1);
	kx_mix64_reference(b, sizeof(b), d2);
	CHECK(!memcmp(d1, d2, 32));
	CHECK(kx_digest_init(&c, 7, 1) == -1);
}

/* Lengths differ, contents padded alike: the length is in the digest. */
TEST(mix64_length_matters)
{
	uint8_t z[64] = { 0 }, d1[32], d2[32];

	mix(z, 31, d1);
	mix(z, 32, d2);
	CHECK(memcmp(d1, d2, 32) != 0);
	mix(z, 0, d1);
	mix(z, 1, d2);
	CHECK(memcmp(d1, d2, 32) != 0);
}

TEST(mix64_every_single_bit_flip_detected)
{
	enum { N = 4096 + 13 };
	static uint8_t b[N];
	uint8_t d0[32], d[32];
	size_t missed = 0;

	fill(b, N);
	mix(b, N, d0);
	for (size_t i = 0; i < N; i++) {
		for (unsigned bit = 0; bit < 8; bit++) {
			b[i] ^= (uint8_t)(1u << bit);
			mix(b, N, d);
			missed += !memcmp(d, d0, 32);
			b[i] ^= (uint8_t)(1u << bit);
		}
	}
	CHECK_EQ_U64(missed, 0);
	mix(b, N, d);
	CHECK(!memcmp(d, d0, 32));        /* and it is deterministic */
}

TEST(mix64_zeroed_page_and_swaps_detected)
{
	enum { N = 64 * 1024 };
	static uint8_t b[N], c[N];
	uint8_t d0[32], d[32];
	size_t missed = 0;

	fill(b, N);
	mix(b, N, d0);
	for (size_t pg = 0; pg < N / 4096; pg++) {   /* each page zeroed in turn */
		memcpy(c, b, N);
		memset(c + pg * 4096, 0, 4096);
		mix(c, N, d);
		missed += !memcmp(d, d0, 32);
	}
	memcpy(c, b, N);                              /* two pages swapped */
	memcpy(c, b + 4096, 4096);
	memcpy(c + 4096, b, 4096);
	mix(c, N, d);
	missed += !memcmp(d, d0, 32);
	memcpy(c, b, N);                              /* two words of one lane swapped */
	memcpy(c + 64, b + 96, 8);
	memcpy(c + 96, b + 64, 8);
	mix(c, N, d);
	missed += !memcmp(d, d0, 32);
	memset(c, 0, N);                              /* all-zero memory */
	mix(c, N, d);
	missed += !memcmp(d, d0, 32);
	CHECK_EQ_U64(missed, 0);
}

static void sha(const void *b, size_t n, int ni, uint8_t out[32])
{
	struct kx_sha256_ctx c;

	kx_sha256_init(&c);
	if (ni)
		kx_sha256_use_ni(&c);
	kx_sha256_update(&c, b, n);
	kx_sha256_final(&c, out);
}

TEST(sha256_digest_api_is_fips)
{
	static const uint8_t abc_d[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	struct kx_digest_ctx c;
	uint8_t d[32];

	CHECK(kx_digest_init(&c, KX_DIGEST_SHA256, 0) == 0);
	CHECK(!strcmp(kx_digest_name(&c), "sha256"));
	kx_digest_update(&c, "ab", 2);
	kx_digest_update(&c, "c", 1);
	kx_digest_final(&c, d);
	CHECK(!memcmp(d, abc_d, 32));
}

TEST(sha256_ni_equals_plain_c)
{
	static const uint8_t abc_d[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	static uint8_t b[70000];
	struct kx_sha256_ctx c;
	uint8_t d1[32], d2[32];
	int bad = 0;

	if (!kx_sha256_ni_supported())
		TEST_SKIP("this CPU has no SHA extensions (CPUID.7.0:EBX[29])");
	kx_sha256_init(&c);
	CHECK(kx_sha256_use_ni(&c) == 1);
	sha("abc", 3, 1, d1);
	CHECK(!memcmp(d1, abc_d, 32));
	fill(b, sizeof(b));
	for (size_t n = 0; n < 300; n++) {
		sha(b + (n & 3), n, 0, d1);
		sha(b + (n & 3), n, 1, d2);
		bad += memcmp(d1, d2, 32) != 0;
	}
	sha(b, sizeof(b), 0, d1);
	sha(b, sizeof(b), 1, d2);
	CHECK(!memcmp(d1, d2, 32));
	CHECK(bad == 0);
}

TEST_MAIN
