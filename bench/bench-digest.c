/* bench-digest - the purgatory's segment digests (lib/digest.c, the same
 * source the purgatory links, here built with the host's flags) over a
 * 256 MiB buffer: median MB/s of RUNS runs and the ratio to plain SHA-256.
 * usage: bench-digest [MIB] [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digest.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median seconds for one digest over buf. */
static double run(int algo, int ni, const uint8_t *buf, size_t len, size_t runs, uint8_t out[32], const char **name)
{
	double *t = calloc(runs, sizeof(*t)), med;
	size_t i;

	for (i = 0; i < runs; i++) {
		struct kx_digest_ctx c;
		double t0 = now_s();

		kx_digest_init(&c, algo, ni);
		*name = kx_digest_name(&c);
		kx_digest_update(&c, buf, len);
		kx_digest_final(&c, out);
		t[i] = now_s() - t0;
	}
	qsort(t, runs, sizeof(*t), cmp_d);
	med = t[runs / 2];
	free(t);
	return med;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 256, runs = argc > 2 ? strtoul(argv[2], NULL, 0) : 5;
	size_t len = mib << 20, i;
	uint8_t *buf = malloc(len), d[32];
	uint64_t x = 0x9E3779B97F4A7C15ull;
	double base;
	const char *name;
	struct { int algo, ni; } cases[] = { { KX_DIGEST_SHA256, 0 }, { KX_DIGEST_SHA256, 1 }, { KX_DIGEST_MIX64, 0 } };

	if (!buf || !mib || !runs)
		return 2;
	for (i = 0; i < len; i += 8) {     /* not zeros: no data-dependent shortcut to flatter anyone */
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		memcpy(buf + i, &x, 8);
	}
	base = run(KX_DIGEST_SHA256, 0, buf, len, runs, d, &name);
	printf("digest over %zu MiB, median of %zu runs\n", mib, runs);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double t;

		if (cases[i].ni && !kx_sha256_ni_supported()) {
			printf("  %-10s skipped: no SHA extensions on this CPU\n", "sha256-ni");
			continue;
		}
		t = i == 0 ? base : run(cases[i].algo, cases[i].ni, buf, len, runs, d, &name);
		printf("  %-10s %8.1f ms %9.1f MB/s  time ratio to sha256 %.3f\n", i == 0 ? "sha256" : name, t * 1e3,
		       len / t / 1e6, t / base);
	}
	free(buf);
	return 0;
}
