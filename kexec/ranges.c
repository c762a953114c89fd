#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ranges.h"

void range_set_init(struct range_set *s)
{
	memset(s, 0, sizeof(*s));
}

void range_set_free(struct range_set *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

int range_set_add(struct range_set *s, uint64_t start, uint64_t end)
{
	if (end <= start)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct range *r = realloc(s->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		s->r = r;
		s->cap = cap;
	}
	s->r[s->n].start = start;
	s->r[s->n].end = end;
	s->n++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void range_set_normalize(struct range_set *s)
{
	size_t i, o = 0;

	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (i = 0; i < s->n; i++) {
		if (o && s->r[i].start <= s->r[o - 1].end) {
			if (s->r[i].end > s->r[o - 1].end)
				s->r[o - 1].end = s->r[i].end;
			continue;
		}
		s->r[o++] = s->r[i];
	}
	s->n = o;
}

int range_set_subtract(struct range_set *s, uint64_t start, uint64_t end)
{
	size_t i, n = s->n;

	if (end <= start)
		return 0;
	for (i = 0; i < n; i++) {
		struct range *r = &s->r[i];

		if (!ranges_overlap(r->start, r->end, start, end))
			continue;
		if (start > r->start && end < r->end) {
			uint64_t tail_start = end, tail_end = r->end;

			r->end = start;
			if (range_set_add(s, tail_start, tail_end) < 0)
				return -ENOMEM;
		} else if (start <= r->start && end >= r->end) {
			r->end = r->start;   /* emptied; dropped by normalize */
		} else if (start <= r->start) {
			r->start = end;
		} else {
			r->end = start;
		}
	}
	/* drop empty ranges */
	{
		size_t o = 0;

		for (i = 0; i < s->n; i++)
			if (s->r[i].end > s->r[i].start)
				s->r[o++] = s->r[i];
		s->n = o;
	}
	range_set_normalize(s);
	return 0;
}

int range_set_clip(struct range_set *s, uint64_t lo, uint64_t hi)
{
	int r = 0;

	if (lo > 0)
		r = range_set_subtract(s, 0, lo);
	if (!r && hi < UINT64_MAX)
		r = range_set_subtract(s, hi, UINT64_MAX);
	return r;
}

int range_set_intersect(struct range_set *s, const struct range_set *other)
{
	struct range_set out;
	size_t i, j;

	range_set_init(&out);
	for (i = 0; i < s->n; i++)
		for (j = 0; j < other->n; j++) {
			uint64_t a = s->r[i].start > other->r[j].start ? s->r[i].start : other->r[j].start;
			uint64_t b = s->r[i].end < other->r[j].end ? s->r[i].end : other->r[j].end;

			if (a < b && range_set_add(&out, a, b) < 0) {
				range_set_free(&out);
				return -ENOMEM;
			}
		}
	range_set_normalize(&out);
	free(s->r);
	*s = out;
	return 0;
}

bool range_set_contains(const struct range_set *s, uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->r[i].start <= start && end <= s->r[i].end)
			return true;
	return false;
}

int range_set_find(const struct range_set *s, uint64_t size, uint64_t align, uint64_t min,
		   uint64_t max, bool top_down, uint64_t *addr)
{
	bool found = false;
	uint64_t best = 0;
	size_t i;

	if (!align)
		align = 1;
	if (size == 0)
		return -EINVAL;
	for (i = 0; i < s->n; i++) {
		uint64_t lo = s->r[i].start > min ? s->r[i].start : min;
		uint64_t hi = s->r[i].end;       /* exclusive */
		uint64_t cand;

		if (max < UINT64_MAX && hi > max + 1)
			hi = max + 1;
		if (hi <= lo || hi - lo < size)
			continue;
		if (top_down) {
			cand = (hi - size) & ~(align - 1);
			if (cand < lo)
				continue;
			if (!found || cand > best)
				best = cand;
		} else {
			if (lo > UINT64_MAX - (align - 1))
				continue;
			cand = (lo + align - 1) & ~(align - 1);
			if (cand < lo || cand > hi || hi - cand < size)
				continue;
			if (!found || cand < best)
				best = cand;
		}
		found = true;
	}
	if (!found)
		return -ENOSPC;
	*addr = best;
	return 0;
}
