/* ranges.h - sets of physical address ranges and the hole finder that
 * places segments in them. Pure: no I/O. Ranges are [start, end) here
 * (sysfs and iomem are inclusive; readers convert at the boundary). */
#ifndef KX_RANGES_H
#define KX_RANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct range {
	uint64_t start, end;     /* [start, end) */
};

struct range_set {
	struct range *r;         /* sorted, disjoint, non-adjacent after normalize */
	size_t n, cap;
};

void range_set_init(struct range_set *s);
void range_set_free(struct range_set *s);
int range_set_add(struct range_set *s, uint64_t start, uint64_t end);   /* -ENOMEM */
/* Remove [start, end) from every range. */
int range_set_subtract(struct range_set *s, uint64_t start, uint64_t end);
/* Keep only [lo, hi). */
int range_set_clip(struct range_set *s, uint64_t lo, uint64_t hi);
void range_set_normalize(struct range_set *s);
/* Keep only what is also in other. */
int range_set_intersect(struct range_set *s, const struct range_set *other);
bool range_set_contains(const struct range_set *s, uint64_t start, uint64_t end);

/* Find an aligned [addr, addr+size) inside one range of s with
 * min <= addr and addr + size <= max + 1. top_down picks the highest such
 * address, else the lowest. -ENOSPC when none. */
int range_set_find(const struct range_set *s, uint64_t size, uint64_t align, uint64_t min,
		   uint64_t max, bool top_down, uint64_t *addr);

static inline bool ranges_overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

#endif
