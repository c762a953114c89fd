/* kaslr.c - slot computation and the uniform pick for physical KASLR on
 * kexec_load (kaslr.h; spec kaslr-after-kexec.md 7). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "kaslr.h"

/* The kernel's memparse(): number (0x hex, 0 octal, decimal) and an
 * optional K/M/G/T/P/E suffix. *end is past what was used. */
static uint64_t memparse(const char *s, const char **end)
{
	char *e;
	uint64_t v = strtoull(s, &e, 0);
	unsigned shift = 0;

	switch (*e) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; e++; break;
	default: break;
	}
	*end = e;
	if (shift && v > (UINT64_MAX >> shift))
		return UINT64_MAX;
	return v << shift;
}

/* Past KASLR_MAX_MEMMAP regions: not an error (the placement without KASLR
 * never looked at them), but no random slot either. */
static int add_range(struct kaslr_cmdline *c, struct range *r, size_t *n, uint64_t start, uint64_t size)
{
	if (*n == KASLR_MAX_MEMMAP) {
		c->off = "off (too many memmap=/crashkernel=@ regions)";
		return 0;
	}
	r[*n].start = start;
	r[*n].end = size > UINT64_MAX - start ? UINT64_MAX : start + size;
	(*n)++;
	return 0;
}

/* One memmap= value: comma-separated items (admin-guide kernel-parameters). */
static int parse_memmap(const char *v, size_t len, struct kaslr_cmdline *c)
{
	char buf[512];
	char *item, *save = NULL;
	int r = 0;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	for (item = strtok_r(buf, ",", &save); item && !r; item = strtok_r(NULL, ",", &save)) {
		const char *e;
		uint64_t size, start;

		if (!strcmp(item, "exactmap")) {
			c->exactmap = true;
			continue;
		}
		size = memparse(item, &e);
		if (e == item)
			continue;
		switch (*e) {
		case '@':
			start = memparse(e + 1, &e);
			r = add_range(c, c->usable, &c->nusable, start, size);
			break;
		case '#': case '$': case '!': case '%':
			/* reserved, ACPI, persistent, retyped: not for the kernel */
			start = memparse(e + 1, &e);
			r = add_range(c, c->avoid, &c->navoid, start, size);
			break;
		case '\0':
			if (size && size < c->mem_limit)
				c->mem_limit = size;
			break;
		default:
			break;
		}
	}
	return r;
}

/* crashkernel=X@Y, or the range form "A-B:X,C-:Z@Y": the region the next
 * kernel will reserve at Y. For the range form the largest size is taken. */
static int parse_crashkernel(const char *v, size_t len, struct kaslr_cmdline *c)
{
	const char *at = memchr(v, '@', len), *p = v, *e;
	uint64_t size = 0, start;

	if (!at)
		return 0;
	if (memchr(v, ':', (size_t)(at - v))) {
		while (p < at) {
			const char *colon = memchr(p, ':', (size_t)(at - p));
			uint64_t s;

			if (!colon)
				break;
			s = memparse(colon + 1, &e);
			if (s > size)
				size = s;
			p = e;
			p = memchr(p, ',', (size_t)(at - p));
			if (!p)
				break;
			p++;
		}
	} else {
		size = memparse(v, &e);
	}
	start = memparse(at + 1, &e);
	if (!size)
		return 0;
	return add_range(c, c->avoid, &c->navoid, start, size);
}

int kaslr_parse_cmdline(const char *s, struct kaslr_cmdline *c)
{
	const char *p = s;
	int r = 0;

	memset(c, 0, sizeof(*c));
	c->mem_limit = UINT64_MAX;
	while (*p && !r) {
		const char *w, *end;
		size_t wl;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		end = p;
		wl = (size_t)(end - w);
		if (!wl)
			break;
		if (wl == 7 && !memcmp(w, "nokaslr", 7)) {
			c->nokaslr = true;
		} else if (wl == 12 && !memcmp(w, "movable_node", 12)) {
			/* the decompressor would keep to SRAT's non-hotpluggable ranges */
			c->off = "off (movable_node: hot-pluggable ranges are not modelled)";
		} else if (wl == 17 && !memcmp(w, "kernelcore=mirror", 17)) {
			c->off = "off (kernelcore=mirror: mirrored ranges are not modelled)";
		} else if (wl == 13 && !memcmp(w, "hugepagesz=1G", 13)) {
			/* it would keep 1 GiB-aligned blocks free for the pages */
			c->off = "off (hugepagesz=1G: gigantic page reservations are not modelled)";
		} else if (wl > 4 && !memcmp(w, "mem=", 4)) {
			const char *e;
			uint64_t v = memparse(w + 4, &e);

			if (e != w + 4 && v && v < c->mem_limit)
				c->mem_limit = v;
		} else if (wl > 7 && !memcmp(w, "memmap=", 7)) {
			r = parse_memmap(w + 7, wl - 7, c);
		} else if (wl > 12 && !memcmp(w, "crashkernel=", 12)) {
			r = parse_crashkernel(w + 12, wl - 12, c);
		}
	}
	return r;
}

int kaslr_exclude(struct range_set *free_ram, const struct fw_blobs *blobs,
		  const struct kaslr_cmdline *c)
{
	size_t i;
	int r = 0;

	for (i = 0; blobs && i < blobs->n && !r; i++)
		r = range_set_subtract(free_ram, blobs->b[i].start, blobs->b[i].end);
	if (!c)
		return r;
	for (i = 0; i < c->navoid && !r; i++)
		r = range_set_subtract(free_ram, c->avoid[i].start, c->avoid[i].end);
	if (!r && c->mem_limit != UINT64_MAX)
		r = range_set_subtract(free_ram, c->mem_limit, UINT64_MAX);
	if (!r && c->exactmap && c->nusable) {
		struct range_set u;

		range_set_init(&u);
		for (i = 0; i < c->nusable && !r; i++)
			r = range_set_add(&u, c->usable[i].start, c->usable[i].end);
		range_set_normalize(&u);
		if (!r)
			r = range_set_intersect(free_ram, &u);
		range_set_free(&u);
	}
	return r;
}

/* First slot and slot count of one range. */
static uint64_t range_slots(const struct range *rg, uint64_t size, uint64_t align, uint64_t min,
			    uint64_t end, uint64_t *first)
{
	uint64_t lo = rg->start > min ? rg->start : min;
	uint64_t hi = rg->end < end ? rg->end : end;

	if (lo > UINT64_MAX - (align - 1))
		return 0;
	lo = (lo + align - 1) & ~(align - 1);
	if (hi <= lo || hi - lo < size)
		return 0;
	*first = lo;
	return (hi - size - lo) / align + 1;
}

static bool args_ok(uint64_t size, uint64_t align)
{
	return size && align && !(align & (align - 1));
}

uint64_t kaslr_count_slots(const struct range_set *cand, uint64_t size, uint64_t align,
			   uint64_t min, uint64_t end)
{
	uint64_t n = 0, first;
	size_t i;

	if (!args_ok(size, align))
		return 0;
	if (end > KASLR_MAX_END)
		end = KASLR_MAX_END;
	for (i = 0; i < cand->n; i++)
		n += range_slots(&cand->r[i], size, align, min, end, &first);
	return n;
}

int kaslr_slot_addr(const struct range_set *cand, uint64_t size, uint64_t align, uint64_t min,
		    uint64_t end, uint64_t index, uint64_t *addr)
{
	uint64_t first = 0, k;
	size_t i;

	if (!args_ok(size, align))
		return -EINVAL;
	if (end > KASLR_MAX_END)
		end = KASLR_MAX_END;
	/* cand is sorted (range_set_normalize), so indices run in address order. */
	for (i = 0; i < cand->n; i++) {
		k = range_slots(&cand->r[i], size, align, min, end, &first);
		if (index < k) {
			*addr = first + index * align;
			return 0;
		}
		index -= k;
	}
	return -ERANGE;
}

static int getrandom_next(void *ctx, uint64_t *v)
{
	uint8_t *b = (uint8_t *)v;
	size_t got = 0;

	(void)ctx;
	while (got < sizeof(*v)) {
		ssize_t r = getrandom(b + got, sizeof(*v) - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		got += (size_t)r;
	}
	return 0;
}

const struct kaslr_rng kaslr_rng_getrandom = { getrandom_next, NULL };

int kaslr_rng_splitmix(void *state, uint64_t *v)
{
	uint64_t *s = state, z;

	z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	*v = z ^ (z >> 31);
	return 0;
}

int kaslr_uniform(const struct kaslr_rng *rng, uint64_t n, uint64_t *out)
{
	/* Values at or above the largest multiple of n would favour low indices. */
	uint64_t lim, v;
	int r;

	if (!n)
		return -EINVAL;
	lim = UINT64_MAX - UINT64_MAX % n;
	do {
		r = rng->next(rng->ctx, &v);
		if (r < 0)
			return r;
	} while (v >= lim);
	*out = v % n;
	return 0;
}

int kaslr_pick(const struct range_set *cand, uint64_t size, uint64_t align, uint64_t min,
	       uint64_t end, const struct kaslr_rng *rng, uint64_t *addr, uint64_t *index,
	       uint64_t *nslots)
{
	uint64_t n = kaslr_count_slots(cand, size, align, min, end), i;
	int r;

	*nslots = n;
	if (!n)
		return -ENOSPC;
	r = kaslr_uniform(rng, n, &i);
	if (r < 0)
		return r;
	*index = i;
	return kaslr_slot_addr(cand, size, align, min, end, i, addr);
}
