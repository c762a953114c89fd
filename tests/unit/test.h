/* test.h - a tiny TAP producer for unit tests (header only).
 *
 * Each TEST(name) is a function registered at startup; TEST_MAIN runs them
 * all and prints "ok N - name" / "not ok N - name". Every CHECK is an
 * assertion that can fail; a test with no CHECK that ran fails too, so a
 * test that asserts nothing cannot pass. */
#ifndef KX_TEST_H
#define KX_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kx_test {
	const char *name;
	void (*fn)(void);
};

#define KX_TEST_MAX 512
extern struct kx_test kx_tests[KX_TEST_MAX];
extern int kx_ntests, kx_checks, kx_fails;
extern const char *kx_skip;

/* A test that cannot run here (a CPU feature missing): reported as
 * "# SKIP reason", never as a pass; it must return without any CHECK. */
#define TEST_SKIP(reason) do { kx_skip = (reason); return; } while (0)

#define TEST(name)                                                          \
	static void test_##name(void);                                      \
	__attribute__((constructor)) static void reg_##name(void)           \
	{                                                                   \
		if (kx_ntests < KX_TEST_MAX)                                \
			kx_tests[kx_ntests++] = (struct kx_test){ #name, test_##name }; \
	}                                                                   \
	static void test_##name(void)

#define CHECK(cond)                                                         \
	do {                                                                \
		kx_checks++;                                                \
		if (!(cond)) {                                              \
			kx_fails++;                                         \
			printf("# %s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                           \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                  \
	do {                                                                \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);            \
		kx_checks++;                                                \
		if (_a != _b) {                                             \
			kx_fails++;                                         \
			printf("# %s:%d: %s == 0x%llx, expected %s == 0x%llx\n", __FILE__, __LINE__, \
			       #a, (unsigned long long)_a, #b, (unsigned long long)_b); \
		}                                                           \
	} while (0)

#define CHECK_STR_CONTAINS(hay, needle)                                     \
	do {                                                                \
		const char *_h = (hay), *_n = (needle);                     \
		kx_checks++;                                                \
		if (!_h || !strstr(_h, _n)) {                               \
			kx_fails++;                                         \
			printf("# %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, \
			       _h ? _h : "(null)", _n);                     \
		}                                                           \
	} while (0)

#define TEST_MAIN                                                           \
	struct kx_test kx_tests[KX_TEST_MAX];                               \
	int kx_ntests, kx_checks, kx_fails;                                 \
	const char *kx_skip;                                                \
	int main(int argc, char **argv)                                     \
	{                                                                   \
		int i, failed = 0;                                          \
		const char *only = argc > 1 ? argv[1] : NULL;               \
		printf("1..%d\n", kx_ntests);                               \
		for (i = 0; i < kx_ntests; i++) {                           \
			int c0 = kx_checks, f0 = kx_fails;                  \
			if (only && strcmp(only, kx_tests[i].name) != 0) {  \
				printf("ok %d - %s # SKIP not selected\n", i + 1, kx_tests[i].name); \
				continue;                                   \
			}                                                   \
			kx_skip = NULL;                                     \
			kx_tests[i].fn();                                   \
			if (kx_skip && kx_checks == c0 && kx_fails == f0) { \
				printf("ok %d - %s # SKIP %s\n", i + 1, kx_tests[i].name, kx_skip); \
				continue;                                   \
			}                                                   \
			if (kx_checks == c0) {                              \
				printf("# %s asserted nothing\n", kx_tests[i].name); \
				kx_fails++;                                 \
			}                                                   \
			if (kx_fails != f0) {                               \
				failed++;                                   \
				printf("not ok %d - %s\n", i + 1, kx_tests[i].name); \
			} else {                                            \
				printf("ok %d - %s\n", i + 1, kx_tests[i].name); \
			}                                                   \
		}                                                           \
		return failed ? 1 : 0;                                      \
	}

#endif
