/* FIPS 180-4 example vectors for SHA-256, split updates, and CRC-32 check values. */
#include "crc32.h"
#include "sha256.h"
#include "test.h"

static void hex(const uint8_t *d, char *out)
{
	static const char x[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[64] = 0;
}

TEST(sha256_vectors)
{
	uint8_t d[32];
	char h[65];

	kx_sha256("abc", 3, d);
	hex(d, h);
	CHECK(strcmp(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	kx_sha256("", 0, d);
	hex(d, h);
	CHECK(strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	kx_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex(d, h);
	CHECK(strcmp(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
}

TEST(sha256_million_a_in_odd_chunks)
{
	struct kx_sha256_ctx c;
	uint8_t buf[997], d[32];
	size_t left = 1000000;
	char h[65];

	memset(buf, 'a', sizeof(buf));
	kx_sha256_init(&c);
	while (left) {
		size_t n = left < sizeof(buf) ? left : sizeof(buf);

		kx_sha256_update(&c, buf, n);
		left -= n;
	}
	kx_sha256_final(&c, d);
	hex(d, h);
	CHECK(strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
}

TEST(crc32_check_value)
{
	CHECK_EQ_U64(kx_crc32("123456789", 9), 0xCBF43926u);
	CHECK_EQ_U64(kx_crc32("", 0), 0);
	CHECK(kx_crc32("123456788", 9) != 0xCBF43926u);
}

TEST_MAIN
