/* iomem.c - /proc/iomem (spec 6.3): "<indent><start>-<end> : <name>", indent
 * two spaces per nesting level, bare lowercase hex, end inclusive. Each entry
 * records its depth and the index of its enclosing entry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "strnum.h"

/* Deeper than any real resource tree (PCI bridges nest a handful deep). */
#define IOMEM_MAX_DEPTH 32

static int add_entry(struct iomem *out, size_t *cap, const struct iomem_entry *e)
{
	if (out->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct iomem_entry *ne = realloc(out->e, ncap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		out->e = ne;
		*cap = ncap;
	}
	out->e[out->n++] = *e;
	return 0;
}

static int parse_line(const char *l, size_t ll, size_t line, const char *where,
		      struct iomem_entry *e, struct kx_err *err)
{
	size_t sp = 0, name_len;
	const char *dash, *sep;
	int r;

	while (sp < ll && l[sp] == ' ')
		sp++;
	if (sp % 2)
		return kx_errf(err, -EINVAL, where, "line %zu: odd indentation (%zu spaces)", line, sp);
	if (sp / 2 >= IOMEM_MAX_DEPTH)
		return kx_errf(err, -EINVAL, where, "line %zu: nested %zu levels deep", line, sp / 2);
	e->depth = (unsigned)(sp / 2);
	dash = memchr(l + sp, '-', ll - sp);
	sep = dash ? memchr(dash, ' ', ll - (size_t)(dash - l)) : NULL;
	if (!dash || !sep || ll - (size_t)(sep - l) < 3 || memcmp(sep, " : ", 3) != 0)
		return kx_errf(err, -EINVAL, where, "line %zu: not \"start-end : name\" (\"%.*s\")",
			       line, (int)(ll > 80 ? 80 : ll), l);
	r = strnum_hex_digits_u64(l + sp, (size_t)(dash - (l + sp)), &e->start);
	if (r == 0)
		r = strnum_hex_digits_u64(dash + 1, (size_t)(sep - dash - 1), &e->end);
	if (r < 0)
		return kx_errf(err, r, where, "line %zu: bad address range (\"%.*s\")", line,
			       (int)((size_t)(sep - l) - sp > 80 ? 80 : (size_t)(sep - l) - sp), l + sp);
	if (e->end < e->start)
		return kx_errf(err, -EINVAL, where, "line %zu: end 0x%llx below start 0x%llx", line,
			       (unsigned long long)e->end, (unsigned long long)e->start);
	/* Names can be long ("PCI Bus 0000:00", driver names); keep a prefix. */
	name_len = ll - (size_t)(sep + 3 - l);
	if (name_len >= sizeof(e->name))
		name_len = sizeof(e->name) - 1;
	memcpy(e->name, sep + 3, name_len);
	e->name[name_len] = '\0';
	return 0;
}

int esd_parse_iomem(const char *text, size_t len, const char *where, struct iomem *out,
		    struct kx_err *err)
{
	int stack[IOMEM_MAX_DEPTH] = { 0 };   /* index of the last entry at each depth */
	size_t pos = 0, line = 0, cap = 0;
	int r;

	out->e = NULL;
	out->n = 0;
	if (!where)
		where = "/proc/iomem";
	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		struct iomem_entry e;

		line++;
		pos += ll + (nl ? 1 : 0);
		memset(&e, 0, sizeof(e));
		r = parse_line(l, ll, line, where, &e, err);
		if (r < 0)
			goto fail;
		/* A child is one level below the entry just above it, never more. */
		if (e.depth > 0 && (out->n == 0 || e.depth > out->e[out->n - 1].depth + 1)) {
			r = kx_errf(err, -EINVAL, where, "line %zu: nested at depth %u without a parent",
				    line, e.depth);
			goto fail;
		}
		e.parent = e.depth ? stack[e.depth - 1] : -1;
		if (out->n >= (size_t)INT32_MAX) {
			r = kx_errf(err, -E2BIG, where, "line %zu: too many entries", line);
			goto fail;
		}
		stack[e.depth] = (int)out->n;
		if (add_entry(out, &cap, &e) < 0) {
			r = kx_errf(err, -ENOMEM, where, "out of memory");
			goto fail;
		}
	}
	return 0;
fail:
	esd_iomem_free(out);
	return r;
}

int esd_read_iomem(const struct sysroot *sr, struct iomem *out, struct kx_err *err)
{
	char p[4096 + 256];
	char *buf;
	size_t len;
	int r;

	out->e = NULL;
	out->n = 0;
	r = sysroot_read_file(sr, "/proc/iomem", 16u << 20, &buf, &len, err);
	if (r < 0)
		return r;
	r = esd_parse_iomem(buf, len, sysroot_display(sr, "/proc/iomem", p, sizeof(p)), out, err);
	free(buf);
	return r;
}

void esd_iomem_free(struct iomem *io)
{
	if (!io)
		return;
	free(io->e);
	io->e = NULL;
	io->n = 0;
}
