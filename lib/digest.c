/* digest.c - see digest.h. */
#include "digest.h"

int kx_digest_init(struct kx_digest_ctx *c, int algo, int allow_ni)
{
	c->algo = algo;
	switch (algo) {
	case KX_DIGEST_SHA256:
		kx_sha256_init(&c->u.sha);
		if (allow_ni)
			kx_sha256_use_ni(&c->u.sha);
		return 0;
	case KX_DIGEST_MIX64:
		kx_mix64_init(&c->u.mix);
		return 0;
	default:
		return -1;
	}
}

void kx_digest_update(struct kx_digest_ctx *c, const void *data, size_t len)
{
	if (c->algo == KX_DIGEST_SHA256)
		kx_sha256_update(&c->u.sha, data, len);
	else if (c->algo == KX_DIGEST_MIX64)
		kx_mix64_update(&c->u.mix, data, len);
}

void kx_digest_final(struct kx_digest_ctx *c, uint8_t out[32])
{
	if (c->algo == KX_DIGEST_SHA256)
		kx_sha256_final(&c->u.sha, out);
	else if (c->algo == KX_DIGEST_MIX64)
		kx_mix64_final(&c->u.mix, out);
}

const char *kx_digest_name(const struct kx_digest_ctx *c)
{
	if (c->algo == KX_DIGEST_SHA256)
		return c->u.sha.ni ? "sha256-ni" : "sha256";
	if (c->algo == KX_DIGEST_MIX64)
		return "mix64";
	return "?";
}
