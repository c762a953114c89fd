/* crash-mem.h - what `kexec -p` reads about the running kernel's memory:
 * the "Crash kernel" reservations, System RAM, the per-CPU crash notes and
 * the vmcoreinfo note (prior-art 1.9, efi-handoff 6.3).
 *
 * Library code: no printing, no exit. Every function returns 0 or a
 * negative errno and fills a struct kx_err naming the file, the field and
 * the value. Files are read through lib/paths.h (the sysroot). */
#ifndef KX_CRASH_MEM_H
#define KX_CRASH_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "esd.h"
#include "paths.h"

/* A physical range [start, start + size). Half-open with a size, so that
 * arithmetic never needs the inclusive "end" of /proc/iomem. */
struct crash_range {
	uint64_t start, size;
};

/* Room for the high and the ,low reservation and then some. */
#define CRASH_MAX_REGIONS 8u

/* The name the kernel gives both reservations (kernel/crash_reserve.c). */
#define CRASH_IOMEM_NAME "Crash kernel"

/* A crash-time note: where the first kernel keeps it, how big it is. */
struct crash_note {
	unsigned cpu;            /* CPU number; CRASH_NOTE_VMCOREINFO for vmcoreinfo */
	uint64_t addr, size;
};
#define CRASH_NOTE_VMCOREINFO (~0u)

/* crash_notes_size exists since Linux 4.x; older kernels get the size
 * kexec-tools assumed, which is larger than any x86_64 note_buf_t (368
 * bytes in 6.1) - the crash kernel stops at the empty note that ends the
 * buffer, so reserving too much is harmless, too little is not. */
#define CRASH_NOTE_DEFAULT_SIZE 1024u

/* "Crash kernel" entries of /proc/iomem at any depth, sorted by address.
 * -ENOENT (message suggests crashkernel=) when there are none; -EPERM when
 * they read as zero (/proc/iomem without CAP_SYS_ADMIN); -E2BIG past max. */
int crash_regions_from_iomem(const struct iomem *io, const char *where, struct crash_range *out,
			     size_t max, size_t *n, struct kx_err *err);

/* Every "System RAM*" entry (top level, and nested ones such as
 * "System RAM (kmem)"), overlaps merged, sorted. *out is malloc'ed. */
int crash_ram_from_iomem(const struct iomem *io, const char *where, struct crash_range **out,
			 size_t *n, struct kx_err *err);

/* Start of "Kernel code" (the physical load address of the running
 * kernel's text). -ENOENT when absent. */
int crash_kernel_code_from_iomem(const struct iomem *io, const char *where, uint64_t *start,
				 struct kx_err *err);

/* /sys/kernel/kexec_crash_size (decimal bytes; only the high reservation). */
int crash_read_crash_size(const struct sysroot *sr, uint64_t *size, struct kx_err *err);

/* A cpulist such as "0-3,5\n" (Documentation/admin-guide/cputopology).
 * *cpus is malloc'ed, ascending. */
int crash_parse_cpulist(const char *text, size_t len, const char *where, unsigned **cpus,
			size_t *n, struct kx_err *err);

/* One note per possible CPU that has /sys/devices/system/cpu/cpuN/crash_notes
 * ("%llx\n", hex without 0x) and crash_notes_size ("%zu\n"). A possible but
 * absent CPU is skipped, as the kernel only creates cpuN for present CPUs;
 * none at all is -ENOENT. *notes is malloc'ed. */
int crash_read_cpu_notes(const struct sysroot *sr, struct crash_note **notes, size_t *n,
			 struct kx_err *err);

/* /sys/kernel/vmcoreinfo: "<addr> <size>\n", both hex; the kernel prints the
 * address with %pa (0x, zero padded) and the size with %x; a bare-hex
 * address is accepted too. -ENOENT when the file does not exist. */
int crash_parse_vmcoreinfo(const char *text, size_t len, const char *where, uint64_t *addr,
			   uint64_t *size, struct kx_err *err);
int crash_read_vmcoreinfo(const struct sysroot *sr, uint64_t *addr, uint64_t *size,
			  struct kx_err *err);

/* Range helpers (pure). Subtract every cut from ranges; result sorted.
 * *out is malloc'ed (may be NULL with *nout 0). */
int crash_ranges_subtract(const struct crash_range *r, size_t n, const struct crash_range *cut,
			  size_t ncut, struct crash_range **out, size_t *nout);

#endif
