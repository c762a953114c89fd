/* crashdump.c - build the crash plan for `kexec -p` (kexec_load path).
 *
 * Facts from prior-art 1.9 (what kexec-tools does) and 3.1 (what the
 * kernel's kexec_file path does); the reference crash run in
 * tests/fixtures/ovmf-q35-linux6.1-crashkernel-after-crash shows the e820
 * and elfcorehdr= that kexec-tools 2.0.25 gave a 6.1 crash kernel, and the
 * tests compare against it.
 *
 * The low 640 KiB. A crash kernel needs RAM below 1 MiB (its real-mode
 * trampoline), so it is handed the first low RAM range, which it then
 * overwrites while booting. kexec-tools therefore has purgatory copy that
 * range into a "backup" segment inside the crash region at crash time and
 * points the range's PT_LOAD (p_offset) at the copy, so the dump shows the
 * first kernel's bytes. The kernel's own kexec_file path dropped this (Linux
 * 5.8): it relies on the first kernel reserving the low 1 MiB (always, since
 * 5.13), so nothing the dump needs lives there. A 6.1 kernel would work
 * either way. We keep the backup by default - it costs 636 KiB of the crash
 * region and keeps the dump faithful (firmware tables, the trampoline page
 * tables at the time of the crash), and it is what the proven reference run
 * did - and offer opts->no_backup for the kexec_file behaviour.
 *
 * Virtual addresses. The crash kernel reads p_offset; makedumpfile takes
 * phys_base and KERNELOFFSET from vmcoreinfo, and the direct-map base as
 * p_vaddr - p_paddr of the first RAM PT_LOAD below __START_KERNEL_map. So
 * the physical addresses must be right, and p_vaddr must use the real
 * page_offset_base: we take it from /proc/kcore (randomized under
 * CONFIG_RANDOMIZE_MEMORY); when kcore is unreadable we fall back, as
 * kexec-tools does, to the unrandomized base for 4- or 5-level paging and
 * say so in plan->page_offset_known. The kernel text PT_LOAD is only added
 * when kcore gives its virtual address (physical = "Kernel code"). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashdump.h"
#include "elfcore.h"

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

/* Copy an error recorded in a scratch record into the caller's. */
static int propagate(struct kx_err *err, const struct kx_err *tmp, int code)
{
	if (err && err->code == 0)
		*err = *tmp;
	return code;
}

/* /proc/iomem names of the non-RAM ranges a crash kernel must also know
 * about (prior-art 1.9), with their e820 types. The lowercase "reserved"
 * children of System RAM (efi_mem_reserve) are not e820 entries. */
static const struct {
	const char *name;
	uint32_t type;
} iomem_types[] = {
	{ "Reserved", E820_TYPE_RESERVED },
	{ "ACPI Tables", E820_TYPE_ACPI },
	{ "ACPI Non-volatile Storage", E820_TYPE_NVS },
	{ "Persistent Memory (legacy)", E820_TYPE_PRAM },
	{ "Persistent Memory", E820_TYPE_PMEM },
};

static int cmp_e820(const void *a, const void *b)
{
	const struct esd_e820 *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

struct e820_list {
	struct esd_e820 *e;
	size_t n, cap;
};

static int e820_add(struct e820_list *l, uint64_t addr, uint64_t size, uint32_t type)
{
	if (size == 0)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct esd_e820 *ne = realloc(l->e, cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		l->e = ne;
		l->cap = cap;
	}
	l->e[l->n++] = (struct esd_e820){ addr, size, type };
	return 0;
}

/* Sort; drop entries contained in an earlier one of the same type (a
 * "Reserved" nested in a "Reserved"). */
static void e820_finish(struct e820_list *l)
{
	size_t i, k = 0;

	qsort(l->e, l->n, sizeof(*l->e), cmp_e820);
	for (i = 0; i < l->n; i++) {
		size_t j;
		bool contained = false;

		for (j = 0; j < k; j++)
			if (l->e[j].type == l->e[i].type && l->e[i].addr >= l->e[j].addr &&
			    l->e[i].addr + l->e[i].size <= l->e[j].addr + l->e[j].size)
				contained = true;
		if (!contained)
			l->e[k++] = l->e[i];
	}
	l->n = k;
}

int crash_acpi_rsdp(const struct esd_system *sys, uint64_t *rsdp)
{
	uint64_t v = 0;

	if (sys->efi_rc == 0 && sys->efi.have_systab &&
	    ((esd_systab_lookup(&sys->efi, "ACPI20", &v) == 0 && v) ||
	     (esd_systab_lookup(&sys->efi, "ACPI", &v) == 0 && v))) {
		*rsdp = v;
		return 0;
	}
	if (sys->bp_rc == 0 && sys->bp.present && sys->bp.data_len >= BP_ACPI_RSDP_ADDR + 8) {
		v = get_le64(sys->bp.data + BP_ACPI_RSDP_ADDR);
		if (v) {
			*rsdp = v;
			return 0;
		}
	}
	return -ENOENT;
}

/* Append printf output to the plan's command-line additions. */
__attribute__((format(printf, 3, 4)))
static int add_arg(struct crash_plan *p, struct kx_err *err, const char *fmt, ...)
{
	size_t used = strlen(p->cmdline_add);
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(p->cmdline_add + used, sizeof(p->cmdline_add) - used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= sizeof(p->cmdline_add) - used) {
		p->cmdline_add[used] = '\0';
		return kx_errf(err, -E2BIG, "command line", "crash additions longer than %zu bytes",
			       sizeof(p->cmdline_add) - 1);
	}
	return 0;
}

/* memmap=exactmap form of the e820 (kernel-parameters: memmap=nn[KMG]@ss
 * RAM, #ss ACPI data/NVS, $ss reserved, !ss protected/persistent). RAM is
 * rounded inwards to KiB, everything else outwards, so the crash kernel
 * never gets a byte as RAM that is not. */
static int add_memmap_args(struct crash_plan *p, struct kx_err *err)
{
	size_t i;
	int r = add_arg(p, err, " memmap=exactmap");

	for (i = 0; r == 0 && i < p->ne820; i++) {
		const struct esd_e820 *e = &p->e820[i];
		uint64_t s, end;
		char sep;

		if (e->type == E820_TYPE_RAM) {
			s = align_up(e->addr, 1024) >> 10;
			end = align_down(e->addr + e->size, 1024) >> 10;
			sep = '@';
		} else {
			s = e->addr >> 10;
			end = align_up(e->addr + e->size, 1024) >> 10;
			sep = e->type == E820_TYPE_ACPI || e->type == E820_TYPE_NVS ? '#' :
			      e->type == E820_TYPE_RESERVED ? '$' : '!';
		}
		if (end <= s)
			continue;
		r = add_arg(p, err, " memmap=%lluK%c%lluK", (unsigned long long)(end - s), sep,
			    (unsigned long long)s);
	}
	return r;
}

/* The optional inputs: kexec_crash_size, vmcoreinfo, Kernel code, kcore. */
static int read_optional(const struct esd_system *sys, const char *where, struct crash_plan *p,
			 struct kx_err *err)
{
	struct kx_err tmp;
	uint64_t addr, size;
	int r;

	kx_err_clear(&tmp);
	if (sysroot_exists(&sys->root, "/sys/kernel/kexec_crash_size")) {
		r = crash_read_crash_size(&sys->root, &p->crash_size, &tmp);
		if (r < 0)
			return propagate(err, &tmp, r);
		p->have_crash_size = true;
	}
	kx_err_clear(&tmp);
	r = crash_read_vmcoreinfo(&sys->root, &addr, &size, &tmp);
	if (r == 0) {
		p->have_vmcoreinfo = true;
		p->note[p->nnote++] = (struct crash_note){ CRASH_NOTE_VMCOREINFO, addr, size };
	} else if (r != -ENOENT) {
		return propagate(err, &tmp, r);
	}
	kx_err_clear(&tmp);
	p->have_kernel_code = crash_kernel_code_from_iomem(&sys->iomem, where, &p->kernel_code,
							   &tmp) == 0;
	kx_err_clear(&tmp);
	p->kcore_rc = kcore_read_layout(&sys->root, &p->kcore, &tmp);
	if (p->kcore_rc < 0)
		memset(&p->kcore, 0, sizeof(p->kcore));
	p->page_offset_known = p->kcore.have_page_offset;
	p->page_offset = p->kcore.have_page_offset ? p->kcore.page_offset :
			 sys->la57 ? KCORE_PAGE_OFFSET_L5 : KCORE_PAGE_OFFSET_L4;
	return 0;
}

/* PT_LOADs: the kernel text (when known), then every RAM range outside the
 * crash regions; the backed-up low range reads from backup_dst. */
static int build_loads(struct crash_plan *p, const struct crash_range *ram, size_t nram,
		       struct elfcore_load **out)
{
	struct elfcore_load *l = calloc(nram + 2, sizeof(*l));
	size_t i, k = 0;

	if (!l)
		return -ENOMEM;
	if (p->kcore.have_text && p->have_kernel_code) {
		l[k++] = (struct elfcore_load){ p->kernel_code, p->kernel_code, p->kcore.text_vaddr,
						align_up(p->kcore.text_size, CRASH_SEG_ALIGN) };
		p->have_text_load = true;
	}
	for (i = 0; i < nram; i++) {
		uint64_t s = ram[i].start, size = ram[i].size;

		if (p->backup_len && s == p->backup_src) {
			l[k++] = (struct elfcore_load){ p->backup_dst, s, p->page_offset + s,
							p->backup_len };
			s += p->backup_len;
			size -= p->backup_len;
			if (size == 0)
				continue;
		}
		l[k++] = (struct elfcore_load){ s, s, p->page_offset + s, size };
	}
	*out = l;
	p->nload = k;
	return 0;
}

static int build_e820(const struct esd_system *sys, struct crash_plan *p,
		      const struct crash_range *ram, size_t nram, struct kx_err *err)
{
	struct e820_list l = { NULL, 0, 0 };
	struct crash_range *free_r = NULL, cut[2];
	size_t i, j, nfree = 0;
	int r = 0;

	/* Low RAM for the crash kernel: the backed-up range, or (no backup)
	 * all RAM below 1 MiB as the kernel's kexec_file path gives it. */
	if (p->backup_len) {
		r = e820_add(&l, p->backup_src, p->backup_len, E820_TYPE_RAM);
	} else {
		for (i = 0; r == 0 && i < nram && ram[i].start < 0x100000; i++) {
			uint64_t end = ram[i].start + ram[i].size;

			r = e820_add(&l, ram[i].start, (end < 0x100000 ? end : 0x100000) - ram[i].start,
				     E820_TYPE_RAM);
		}
	}
	/* The crash regions, minus the elfcorehdr and backup segments: the
	 * crash kernel reserves elfcorehdr itself, and must not reuse the
	 * backup copy before it is dumped. */
	for (i = 0; i < p->nseg; i++)
		cut[i] = (struct crash_range){ p->seg[i].mem, p->seg[i].memsz };
	if (r == 0)
		r = crash_ranges_subtract(p->region, p->nregion, cut, p->nseg, &free_r, &nfree);
	for (i = 0; r == 0 && i < nfree; i++)
		r = e820_add(&l, free_r[i].start, free_r[i].size, E820_TYPE_RAM);
	free(free_r);
	for (i = 0; r == 0 && i < sys->iomem.n; i++) {
		const struct iomem_entry *e = &sys->iomem.e[i];

		for (j = 0; j < sizeof(iomem_types) / sizeof(iomem_types[0]); j++)
			if (strcmp(e->name, iomem_types[j].name) == 0 && e->end >= e->start)
				r = e820_add(&l, e->start, e->end - e->start + 1, iomem_types[j].type);
	}
	if (r < 0) {
		free(l.e);
		return kx_errf(err, r, "crash e820", "out of memory");
	}
	e820_finish(&l);
	p->e820 = l.e;
	p->ne820 = l.n;
	return 0;
}

int crash_plan_build(const struct esd_system *sys, const struct crash_opts *opts,
		     struct crash_plan *out, struct kx_err *err)
{
	static const struct crash_opts defaults;
	char where[4200];
	struct crash_note *cpu = NULL;
	struct crash_range *ram = NULL, *outside = NULL;
	struct elfcore_load *load = NULL;
	size_t ncpu = 0, nram = 0, noutside = 0, i;
	uint64_t top, elf_memsz, backup_memsz, floor;
	int r;

	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	sysroot_display(&sys->root, "/proc/iomem", where, sizeof(where));
	if (sys->iomem_rc < 0)
		return propagate(err, &sys->iomem_err, sys->iomem_rc);

	r = crash_regions_from_iomem(&sys->iomem, where, out->region, CRASH_MAX_REGIONS,
				     &out->nregion, err);
	if (r < 0)
		return r;
	r = crash_read_cpu_notes(&sys->root, &cpu, &ncpu, err);
	if (r < 0)
		return r;
	out->note = calloc(ncpu + 1, sizeof(*out->note));
	if (!out->note) {
		free(cpu);
		return kx_errf(err, -ENOMEM, "crash notes", "out of memory");
	}
	memcpy(out->note, cpu, ncpu * sizeof(*cpu));
	free(cpu);
	out->nnote = out->ncpu_note = ncpu;
	r = read_optional(sys, where, out, err);
	if (r < 0)
		goto fail;

	/* First-kernel RAM outside the crash regions: what the dump covers. */
	r = crash_ram_from_iomem(&sys->iomem, where, &ram, &nram, err);
	if (r < 0)
		goto fail;
	r = crash_ranges_subtract(ram, nram, out->region, out->nregion, &outside, &noutside);
	if (r < 0) {
		r = kx_errf(err, r, "crash ranges", "out of memory");
		goto fail;
	}
	if (!opts->no_backup) {
		for (i = 0; i < noutside; i++) {
			if (outside[i].start < CRASH_BACKUP_LIMIT) {
				uint64_t end = outside[i].start + outside[i].size;

				out->backup_src = outside[i].start;
				out->backup_len = (end < CRASH_BACKUP_LIMIT ? end : CRASH_BACKUP_LIMIT) -
						  out->backup_src;
				break;
			}
		}
	}

	/* The main reservation (crashk_res) is the only one segments may use.
	 * kexec_crash_size reports its size; with both a high and a ,low
	 * reservation it is the high one. */
	out->main_region = out->nregion - 1;
	if (out->have_crash_size) {
		size_t match = 0, at = 0;

		for (i = 0; i < out->nregion; i++)
			if (out->region[i].size == out->crash_size) {
				match++;
				at = i;
			}
		if (match == 1)
			out->main_region = at;
	}

	/* Place elfcorehdr, then the backup copy above it, at the top of the
	 * main region (where kexec-tools puts them), leaving the bottom to
	 * the loader. */
	r = build_loads(out, outside, noutside, &load);   /* counts PT_LOADs; offsets fixed below */
	if (r < 0) {
		r = kx_errf(err, r, "crash ranges", "out of memory");
		goto fail;
	}
	out->elfcorehdr_len = elfcore_size(out->nnote, out->nload);
	elf_memsz = align_up(out->elfcorehdr_len > CRASH_ELFCOREHDR_MIN ? out->elfcorehdr_len :
			     CRASH_ELFCOREHDR_MIN, CRASH_SEG_ALIGN);
	backup_memsz = align_up(out->backup_len, CRASH_SEG_ALIGN);
	{
		const struct crash_range *hi = &out->region[out->main_region];

		top = align_down(hi->start + hi->size, CRASH_SEG_ALIGN);
		floor = align_up(hi->start, CRASH_SEG_ALIGN);
		if (top < floor || top - floor < elf_memsz + backup_memsz) {
			r = kx_errf(err, -ENOSPC, where,
				    "\"%s\" 0x%llx-0x%llx: too small for the elfcorehdr (0x%llx bytes) "
				    "and the low-memory backup (0x%llx bytes)", CRASH_IOMEM_NAME,
				    (unsigned long long)hi->start,
				    (unsigned long long)(hi->start + hi->size - 1),
				    (unsigned long long)elf_memsz, (unsigned long long)backup_memsz);
			goto fail;
		}
	}
	out->backup_dst = out->backup_len ? top - backup_memsz : 0;
	out->elfcorehdr_addr = top - backup_memsz - elf_memsz;
	free(load);
	load = NULL;
	r = build_loads(out, outside, noutside, &load);   /* again, now with backup_dst */
	if (r < 0) {
		r = kx_errf(err, r, "crash ranges", "out of memory");
		goto fail;
	}
	out->elfcorehdr = calloc(1, out->elfcorehdr_len);
	if (!out->elfcorehdr) {
		r = kx_errf(err, -ENOMEM, "elfcorehdr", "out of memory");
		goto fail;
	}
	{
		struct elfcore_note *n = calloc(out->nnote, sizeof(*n));

		if (!n) {
			r = kx_errf(err, -ENOMEM, "elfcorehdr", "out of memory");
			goto fail;
		}
		for (i = 0; i < out->nnote; i++)
			n[i] = (struct elfcore_note){ out->note[i].addr, out->note[i].size };
		r = elfcore_build(n, out->nnote, load, out->nload, out->elfcorehdr,
				  out->elfcorehdr_len, err);
		free(n);
		if (r < 0)
			goto fail;
	}
	out->seg[out->nseg++] = (struct crash_segment){ "elfcorehdr", out->elfcorehdr,
							 out->elfcorehdr_len, out->elfcorehdr_addr,
							 elf_memsz };
	if (out->backup_len)
		out->seg[out->nseg++] = (struct crash_segment){ "backup", NULL, 0, out->backup_dst,
								 backup_memsz };

	/* The loader's room: the main region minus our segments. */
	{
		struct crash_range cut[2], *avail = NULL;
		size_t navail = 0;

		for (i = 0; i < out->nseg; i++)
			cut[i] = (struct crash_range){ out->seg[i].mem, out->seg[i].memsz };
		r = crash_ranges_subtract(&out->region[out->main_region], 1, cut, out->nseg, &avail,
					  &navail);
		if (r < 0 || navail > CRASH_MAX_AVAIL) {
			free(avail);
			r = kx_errf(err, r < 0 ? r : -E2BIG, "crash ranges", "cannot compute free ranges");
			goto fail;
		}
		memcpy(out->avail, avail, navail * sizeof(*avail));
		out->navail = navail;
		free(avail);
	}

	r = build_e820(sys, out, outside, noutside, err);
	if (r < 0)
		goto fail;

	if (opts->pass_memmap_cmdline) {
		r = add_memmap_args(out, err);
		if (r < 0)
			goto fail;
	}
	/* kexec-tools' form; the kernel parses memparse() so K is exact for
	 * our page-aligned address. */
	r = add_arg(out, err, " elfcorehdr=%lluK", (unsigned long long)(out->elfcorehdr_addr >> 10));
	if (r == 0 && !opts->efi_handed_over && crash_acpi_rsdp(sys, &out->acpi_rsdp) == 0)
		r = add_arg(out, err, " acpi_rsdp=0x%llx", (unsigned long long)out->acpi_rsdp);
	if (r < 0)
		goto fail;

	free(load);
	free(ram);
	free(outside);
	return 0;
fail:
	free(load);
	free(ram);
	free(outside);
	crash_plan_free(out);
	return r;
}

void crash_plan_free(struct crash_plan *plan)
{
	free(plan->note);
	free(plan->elfcorehdr);
	free(plan->e820);
	memset(plan, 0, sizeof(*plan));
}

int crash_cmdline_append(char *cmdline, size_t bufsize, size_t cmdline_size,
			 const struct crash_plan *plan, struct kx_err *err)
{
	size_t have = strlen(cmdline), add = strlen(plan->cmdline_add);
	size_t limit = cmdline_size < bufsize ? cmdline_size : bufsize;

	/* cmdline_size counts the terminating NUL (boot protocol 2.06+). */
	if (have + add + 1 > limit)
		return kx_errf(err, -E2BIG, "command line",
			       "command line overflow: %zu bytes with the crash additions "
			       "(\"%s\"), the limit is %zu", have + add, plan->cmdline_add, limit - 1);
	memcpy(cmdline + have, plan->cmdline_add, add + 1);
	return 0;
}
