/* kaslr.h - physical KASLR for kexec_load (spec kaslr-after-kexec.md 7, 9).
 *
 * After an EFI kexec the next kernel's decompressor finds no Conventional
 * memory in the runtime-only map we hand over, says "Physical KASLR
 * disabled" and runs where it was loaded. So the loader picks that place at
 * random: a kernel_alignment-aligned slot of RAM that nothing else uses,
 * uniformly over all slots. The hand-off itself is unchanged.
 *
 * Pure code, host-testable: the caller gives the free RAM, the config-table
 * blobs and the next command line; randomness comes through struct
 * kaslr_rng so tests can seed it. */
#ifndef KX_KASLR_H
#define KX_KASLR_H

#include <stdbool.h>
#include <stdint.h>

#include "esd.h"
#include "ranges.h"

/* The decompressor refuses a heap above 64 TiB (spec 7 rule 2). */
#define KASLR_MAX_END (1ull << 46)
#define KASLR_MAX_MEMMAP 64

/* What the next command line says about where its kernel may go. */
struct kaslr_cmdline {
	bool nokaslr;                /* "nokaslr": deterministic placement */
	const char *off;             /* a constraint not modelled here: deterministic, and why */
	bool exactmap;               /* memmap=exactmap: RAM is only the @ ranges */
	uint64_t mem_limit;          /* mem=, size-only memmap=; UINT64_MAX if none */
	struct range avoid[KASLR_MAX_MEMMAP];   /* memmap=nn#ss/$ss/!ss/%ss, crashkernel=X@Y */
	size_t navoid;
	struct range usable[KASLR_MAX_MEMMAP];  /* memmap=nn@ss (with exactmap) */
	size_t nusable;
};

/* Parse the next kernel's command line. Unknown forms are ignored (the
 * kernel ignores them too); past KASLR_MAX_MEMMAP regions `off` says so. */
int kaslr_parse_cmdline(const char *cmdline, struct kaslr_cmdline *out);

/* Remove from free (the RAM segments may use) everything the next kernel
 * or the firmware needs: every blob extent, the memmap=/crashkernel=
 * regions, RAM above the mem= limit, RAM outside the exactmap ranges. Applies
 * to every segment, random placement or not. */
int kaslr_exclude(struct range_set *free_ram, const struct fw_blobs *blobs,
		  const struct kaslr_cmdline *c);

/* Slots: A aligned to align, min <= A, A + size <= end, [A, A + size) inside
 * one range of cand. end is exclusive (at most KASLR_MAX_END). */
uint64_t kaslr_count_slots(const struct range_set *cand, uint64_t size, uint64_t align,
			   uint64_t min, uint64_t end);
/* The index-th slot in address order; -ERANGE past the last. */
int kaslr_slot_addr(const struct range_set *cand, uint64_t size, uint64_t align, uint64_t min,
		    uint64_t end, uint64_t index, uint64_t *addr);

/* A source of uniform 64-bit values; 0 or a negative errno. */
struct kaslr_rng {
	int (*next)(void *ctx, uint64_t *v);
	void *ctx;
};
extern const struct kaslr_rng kaslr_rng_getrandom;   /* getrandom(2) */
/* A seeded generator for tests (splitmix64): state is the seed. */
int kaslr_rng_splitmix(void *state, uint64_t *v);

/* Uniform in [0, n), n >= 1 (rejection sampling: no modulo bias). */
int kaslr_uniform(const struct kaslr_rng *rng, uint64_t n, uint64_t *out);

/* Pick a slot uniformly over all slots. -ENOSPC when there is none. */
int kaslr_pick(const struct range_set *cand, uint64_t size, uint64_t align, uint64_t min,
	       uint64_t end, const struct kaslr_rng *rng, uint64_t *addr, uint64_t *index,
	       uint64_t *nslots);

#endif
