/* crash-mem.c - read the crash reservations, System RAM and the crash notes
 * of the running kernel (prior-art 1.9; efi-handoff 6.3 for /proc/iomem). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash-mem.h"
#include "strnum.h"

static int cmp_range(const void *a, const void *b)
{
	const struct crash_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

int crash_regions_from_iomem(const struct iomem *io, const char *where, struct crash_range *out,
			     size_t max, size_t *n, struct kx_err *err)
{
	size_t i, k = 0;

	for (i = 0; i < io->n; i++) {
		const struct iomem_entry *e = &io->e[i];

		if (strcmp(e->name, CRASH_IOMEM_NAME) != 0)
			continue;
		/* Without CAP_SYS_ADMIN the kernel prints every range as 0-0. */
		if (e->start == 0 && e->end == 0)
			return kx_errf(err, -EPERM, where,
				       "\"%s\" reads as 00000000-00000000: /proc/iomem hides addresses "
				       "from readers without CAP_SYS_ADMIN (run as root)", CRASH_IOMEM_NAME);
		if (e->end < e->start)
			return kx_errf(err, -EINVAL, where, "\"%s\": end 0x%llx below start 0x%llx",
				       CRASH_IOMEM_NAME, (unsigned long long)e->end,
				       (unsigned long long)e->start);
		if (k == max)
			return kx_errf(err, -E2BIG, where, "more than %zu \"%s\" ranges", max,
				       CRASH_IOMEM_NAME);
		out[k].start = e->start;
		out[k].size = e->end - e->start + 1;
		k++;
	}
	if (k == 0)
		return kx_errf(err, -ENOENT, where,
			       "no \"%s\" range: no memory is reserved for a crash kernel "
			       "(boot the running kernel with crashkernel=, e.g. crashkernel=256M)",
			       CRASH_IOMEM_NAME);
	qsort(out, k, sizeof(*out), cmp_range);
	*n = k;
	return 0;
}

/* Sort and merge overlapping ranges in place (adjacent ones stay apart:
 * they are separate resources, and kexec-tools keeps them apart too). */
static size_t merge_overlaps(struct crash_range *r, size_t n)
{
	size_t i, k = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 1; i < n; i++) {
		uint64_t end = r[k].start + r[k].size;

		if (r[i].start < end) {
			uint64_t e2 = r[i].start + r[i].size;

			if (e2 > end)
				r[k].size = e2 - r[k].start;
		} else {
			r[++k] = r[i];
		}
	}
	return k + 1;
}

int crash_ram_from_iomem(const struct iomem *io, const char *where, struct crash_range **out,
			 size_t *n, struct kx_err *err)
{
	struct crash_range *r;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	r = calloc(io->n ? io->n : 1, sizeof(*r));
	if (!r)
		return kx_errf(err, -ENOMEM, where, "out of memory");
	for (i = 0; i < io->n; i++) {
		const struct iomem_entry *e = &io->e[i];

		/* "System RAM", "System RAM (kmem)", "System RAM (virtio_mem)". */
		if (strncmp(e->name, "System RAM", 10) != 0 || e->end < e->start)
			continue;
		r[k].start = e->start;
		r[k].size = e->end - e->start + 1;
		k++;
	}
	if (k == 0) {
		free(r);
		return kx_errf(err, -ENOENT, where, "no \"System RAM\" range");
	}
	*n = merge_overlaps(r, k);
	*out = r;
	return 0;
}

int crash_kernel_code_from_iomem(const struct iomem *io, const char *where, uint64_t *start,
				 struct kx_err *err)
{
	size_t i;

	for (i = 0; i < io->n; i++) {
		if (strcmp(io->e[i].name, "Kernel code") == 0) {
			*start = io->e[i].start;
			return 0;
		}
	}
	return kx_errf(err, -ENOENT, where, "no \"Kernel code\" range");
}

int crash_read_crash_size(const struct sysroot *sr, uint64_t *size, struct kx_err *err)
{
	return sysroot_read_dec(sr, "/sys/kernel/kexec_crash_size", size, err);
}

/* Parse a decimal CPU number at *p (no sign, at most 6 digits). */
static int cpu_number(const char **p, const char *end, unsigned *out)
{
	unsigned v = 0;
	int digits = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		if (++digits > 6)
			return -ERANGE;
		v = v * 10 + (unsigned)(**p - '0');
		(*p)++;
	}
	if (digits == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int crash_parse_cpulist(const char *text, size_t len, const char *where, unsigned **cpus,
			size_t *n, struct kx_err *err)
{
	const char *p = text, *end = text + len;
	unsigned *v = NULL;
	size_t k = 0, cap = 0;

	if (len && end[-1] == '\n')
		end--;
	*cpus = NULL;
	*n = 0;
	if (p == end)
		return kx_errf(err, -EINVAL, where, "cpulist: empty");
	while (p < end) {
		unsigned lo, hi, c;

		if (cpu_number(&p, end, &lo) < 0)
			goto bad;
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (cpu_number(&p, end, &hi) < 0 || hi < lo)
				goto bad;
		}
		if (p < end) {
			if (*p != ',' || p + 1 == end)
				goto bad;
			p++;
		}
		for (c = lo; c <= hi; c++) {
			if (k && c <= v[k - 1])
				goto bad;   /* not ascending: not what the kernel prints */
			if (k == cap) {
				unsigned *nv;

				cap = cap ? cap * 2 : 16;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					free(v);
					return kx_errf(err, -ENOMEM, where, "out of memory");
				}
				v = nv;
			}
			v[k++] = c;
		}
	}
	*cpus = v;
	*n = k;
	return 0;
bad:
	free(v);
	return kx_errf(err, -EINVAL, where, "cpulist: not a CPU list (\"%.*s\")",
		       (int)(text + len - (len && text[len - 1] == '\n') - text), text);
}

/* Read a small text file; -ENOENT passes through without recording, so the
 * caller decides whether absence is an error. */
static int read_small(const struct sysroot *sr, const char *abs, char *buf, size_t buflen,
		      struct kx_err *err)
{
	if (!sysroot_exists(sr, abs))
		return -ENOENT;
	return sysroot_read_text(sr, abs, buf, buflen, err);
}

int crash_read_cpu_notes(const struct sysroot *sr, struct crash_note **notes, size_t *n,
			 struct kx_err *err)
{
	const char *possible = "/sys/devices/system/cpu/possible";
	char buf[256], path[128], shown[4200];
	struct crash_note *out = NULL;
	unsigned *cpus = NULL;
	size_t ncpu, i, k = 0;
	int r;

	*notes = NULL;
	*n = 0;
	r = read_small(sr, possible, buf, sizeof(buf), err);
	if (r == -ENOENT)
		return kx_errf(err, r, sysroot_display(sr, possible, shown, sizeof(shown)),
			       "missing: cannot tell which CPUs have crash notes");
	if (r < 0)
		return r;
	r = crash_parse_cpulist(buf, (size_t)r, sysroot_display(sr, possible, shown, sizeof(shown)),
				&cpus, &ncpu, err);
	if (r < 0)
		return r;
	out = calloc(ncpu, sizeof(*out));
	if (!out) {
		free(cpus);
		return kx_errf(err, -ENOMEM, possible, "out of memory");
	}
	for (i = 0; i < ncpu; i++) {
		uint64_t addr, size = CRASH_NOTE_DEFAULT_SIZE;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes", cpus[i]);
		r = read_small(sr, path, buf, sizeof(buf), err);
		if (r == -ENOENT)
			continue;   /* possible but not present */
		if (r < 0)
			goto fail;
		/* Printed with "%llx": hex digits, no 0x (drivers/base/cpu.c). */
		if (strnum_hex_digits_u64(buf, (size_t)r, &addr) < 0 || addr == 0) {
			buf[strcspn(buf, "\n")] = '\0';
			r = kx_errf(err, -EINVAL, sysroot_display(sr, path, shown, sizeof(shown)),
				    "crash_notes: not a nonzero hex address (\"%s\")", buf);
			goto fail;
		}
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/crash_notes_size",
			 cpus[i]);
		if (sysroot_exists(sr, path)) {
			r = sysroot_read_dec(sr, path, &size, err);
			if (r < 0)
				goto fail;
			if (size == 0 || size > (1u << 20)) {
				r = kx_errf(err, -EINVAL, sysroot_display(sr, path, shown, sizeof(shown)),
					    "crash_notes_size: implausible size %llu",
					    (unsigned long long)size);
				goto fail;
			}
		}
		out[k].cpu = cpus[i];
		out[k].addr = addr;
		out[k].size = size;
		k++;
	}
	free(cpus);
	if (k == 0) {
		free(out);
		return kx_errf(err, -ENOENT, "/sys/devices/system/cpu",
			       "no cpuN/crash_notes for any possible CPU (kernel without CONFIG_CRASH_DUMP?)");
	}
	*notes = out;
	*n = k;
	return 0;
fail:
	free(cpus);
	free(out);
	return r;
}

int crash_parse_vmcoreinfo(const char *text, size_t len, const char *where, uint64_t *addr,
			   uint64_t *size, struct kx_err *err)
{
	const char *sp = memchr(text, ' ', len);
	size_t alen, slen;
	int r;

	if (!sp)
		return kx_errf(err, -EINVAL, where, "not \"<address> <size>\" (\"%.*s\")",
			       (int)strcspn(text, "\n"), text);
	alen = (size_t)(sp - text);
	slen = len - alen - 1;
	if (alen > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		r = strnum_hex_u64(text, alen, addr);
	else
		r = strnum_hex_digits_u64(text, alen, addr);
	if (r < 0 || *addr == 0)
		return kx_errf(err, -EINVAL, where, "address: not a nonzero hex number (\"%.*s\")",
			       (int)alen, text);
	if (strnum_hex_digits_u64(sp + 1, slen, size) < 0 || *size == 0 || *size > (1u << 20))
		return kx_errf(err, -EINVAL, where, "size: not a plausible hex size (\"%.*s\")",
			       (int)strcspn(sp + 1, "\n"), sp + 1);
	return 0;
}

int crash_read_vmcoreinfo(const struct sysroot *sr, uint64_t *addr, uint64_t *size,
			  struct kx_err *err)
{
	const char *abs = "/sys/kernel/vmcoreinfo";
	char buf[128], shown[4200];
	int r = read_small(sr, abs, buf, sizeof(buf), err);

	if (r == -ENOENT)
		return kx_errf(err, r, sysroot_display(sr, abs, shown, sizeof(shown)), "missing");
	if (r < 0)
		return r;
	return crash_parse_vmcoreinfo(buf, (size_t)r, sysroot_display(sr, abs, shown, sizeof(shown)),
				      addr, size, err);
}

int crash_ranges_subtract(const struct crash_range *r, size_t n, const struct crash_range *cut,
			  size_t ncut, struct crash_range **out, size_t *nout)
{
	/* Each cut splits at most one piece in two: n + ncut pieces at most. */
	size_t cap = n + ncut + 1, k = 0, i, j;
	struct crash_range *o = calloc(cap, sizeof(*o));

	*out = NULL;
	*nout = 0;
	if (!o)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		o[k++] = r[i];
	for (j = 0; j < ncut; j++) {
		uint64_t cs = cut[j].start, ce = cut[j].start + cut[j].size;

		for (i = 0; i < k; i++) {
			uint64_t s = o[i].start, e = o[i].start + o[i].size;

			if (ce <= s || cs >= e)
				continue;
			if (cs > s && ce < e) {          /* split in two */
				if (k == cap) {
					free(o);
					return -EOVERFLOW;
				}
				o[k].start = ce;
				o[k].size = e - ce;
				k++;
				o[i].size = cs - s;
			} else if (cs > s) {             /* cut the tail */
				o[i].size = cs - s;
			} else if (ce < e) {             /* cut the head */
				o[i].start = ce;
				o[i].size = e - ce;
			} else {                         /* gone */
				o[i] = o[--k];
				i--;
			}
		}
	}
	qsort(o, k, sizeof(*o), cmp_range);
	*out = o;
	*nout = k;
	return 0;
}
