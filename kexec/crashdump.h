/* crashdump.h - the pure part of `kexec -p` with kexec_load: everything a
 * crash image needs besides the kernel, initrd, boot_params and purgatory
 * (prior-art 1.9, issue 4).
 *
 * crash_plan_build() reads the running system (through its sysroot and the
 * libesd model) and decides:
 *   - the crash regions, and the part of the main one left for the
 *     loader's own segments (kexec_load with KEXEC_ON_CRASH refuses, with
 *     -EADDRNOTAVAIL, any segment outside crashk_res - the main
 *     reservation; the ",low" one only becomes RAM of the crash kernel);
 *   - the elfcorehdr segment: its bytes, its address (top of the main
 *     crash region), its size;
 *   - the backup of the low 640 KiB: purgatory copies [backup_src,
 *     +backup_len) to backup_dst at crash time, and the elfcorehdr's PT_LOAD
 *     for that range reads from the copy (see crashdump.c for why);
 *   - the e820 table for the crash kernel's boot_params;
 *   - the command-line additions (elfcorehdr=, memmap=, acpi_rsdp=).
 *
 * How a loader wires it (kexec_load path):
 *   1. crash_plan_build(sys, &opts, &plan, &err).
 *   2. Place kernel, initrd, boot_params/cmdline/setup_data and purgatory
 *      only inside plan.avail[] (already excludes our two segments).
 *   3. Add the segments plan.seg[0..nseg) as they are: the elfcorehdr
 *      (buf = plan.elfcorehdr) and the backup (buf NULL, zero-filled).
 *   4. boot_params e820 = plan.e820 (entries past 128 go to SETUP_E820_EXT);
 *      crash_cmdline_append() onto the user's command line.
 *   5. purgatory_params.backup_src/backup_dst/backup_len = plan.backup_*.
 *   6. kexec_load(..., flags | KEXEC_ON_CRASH). kexec_file_load needs none
 *      of this: the kernel builds its own elfcorehdr (KEXEC_FILE_ON_CRASH).
 *
 * Library code: no printing, no exit; 0 or a negative errno with a
 * struct kx_err naming the file, the field and the value. */
#ifndef KX_CRASHDUMP_H
#define KX_CRASHDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crash-mem.h"
#include "esd.h"
#include "kcore.h"

/* The low memory kexec-tools backs up: the first RAM range below 640 KiB. */
#define CRASH_BACKUP_LIMIT      0xA0000ull
/* elfcorehdr: at least 16 KiB (room for CPU and memory hot-add, as
 * kexec-tools reserves), page aligned; the kernel parameter takes KiB. */
#define CRASH_ELFCOREHDR_MIN    0x4000ull
#define CRASH_SEG_ALIGN         0x1000ull
#define CRASH_CMDLINE_ADD_MAX   4096u

struct crash_opts {
	/* --pass-memmap-cmdline: also give the map as memmap=exactmap + memmap=. */
	bool pass_memmap_cmdline;
	/* SETUP_EFI is handed over: the crash kernel finds ACPI through EFI.
	 * When false, acpi_rsdp= is added. */
	bool efi_handed_over;
	/* Do not back up the low 640 KiB: the crash kernel gets low RAM below
	 * 1 MiB as usable and the dump shows what it left there, as the
	 * kernel's kexec_file path does since 5.7 (fine for kernels that
	 * reserve the first 1 MiB, 5.13+). */
	bool no_backup;
};

/* A segment the plan adds to the crash image. */
struct crash_segment {
	const char *role;        /* "elfcorehdr", "backup" */
	const uint8_t *buf;      /* NULL: zero-filled */
	size_t bufsz;
	uint64_t mem, memsz;     /* page aligned */
};

#define CRASH_MAX_AVAIL (CRASH_MAX_REGIONS + 2u)

struct crash_plan {
	/* what was read */
	struct crash_range region[CRASH_MAX_REGIONS];   /* "Crash kernel", sorted */
	size_t nregion;
	size_t main_region;                            /* crashk_res: sized kexec_crash_size, else the highest */
	bool have_crash_size;
	uint64_t crash_size;                           /* /sys/kernel/kexec_crash_size */
	struct crash_note *note;                       /* CPUs, then vmcoreinfo if known */
	size_t nnote, ncpu_note;
	bool have_vmcoreinfo;                          /* false: makedumpfile will fail */
	bool have_kernel_code;
	uint64_t kernel_code;                          /* "Kernel code" start */
	struct kcore_layout kcore;                     /* zeroed when /proc/kcore unreadable */
	int kcore_rc;                                  /* 0 or why it was not read */
	uint64_t page_offset;                          /* vaddr base of RAM PT_LOADs */
	bool page_offset_known;                        /* from kcore; else the non-KASLR default */

	/* where the loader may put its segments: the main region minus ours */
	struct crash_range avail[CRASH_MAX_AVAIL];
	size_t navail;

	/* our segments: seg[0] elfcorehdr, seg[1] backup (when backup_len) */
	struct crash_segment seg[2];
	size_t nseg;
	uint8_t *elfcorehdr;                           /* malloc'ed, elfcorehdr_len bytes */
	size_t elfcorehdr_len;
	uint64_t elfcorehdr_addr;
	size_t nload;                                  /* PT_LOADs in it */
	bool have_text_load;                           /* first PT_LOAD is the kernel text */

	uint64_t backup_src, backup_dst, backup_len;   /* for purgatory_params; len 0 = none */

	struct esd_e820 *e820;                         /* malloc'ed, sorted by address */
	size_t ne820;

	uint64_t acpi_rsdp;                            /* put in acpi_rsdp=; 0 = not added */
	char cmdline_add[CRASH_CMDLINE_ADD_MAX];        /* starts with a space */
};

/* opts may be NULL (defaults: all false). sys must have a readable
 * /proc/iomem (sys->iomem_rc == 0); the firmware tables are optional.
 * Errors: -ENOENT when no crash kernel memory is reserved (message says
 * crashkernel=), -EPERM for a /proc/iomem without addresses, -ENOSPC when
 * the reservation cannot hold our segments, read errors as they come. */
int crash_plan_build(const struct esd_system *sys, const struct crash_opts *opts,
		     struct crash_plan *out, struct kx_err *err);
void crash_plan_free(struct crash_plan *plan);

/* Append plan->cmdline_add to cmdline (a NUL-terminated string in a buffer
 * of bufsize bytes). cmdline_size is the kernel's limit including the NUL
 * (setup header cmdline_size; 2048 for old images). -E2BIG naming both
 * lengths when the result would not fit. */
int crash_cmdline_append(char *cmdline, size_t bufsize, size_t cmdline_size,
			 const struct crash_plan *plan, struct kx_err *err);

/* The ACPI RSDP the crash kernel needs when EFI is not handed over: the
 * EFI systab's ACPI20=, else ACPI=, else boot_params acpi_rsdp_addr.
 * -ENOENT when none is known. */
int crash_acpi_rsdp(const struct esd_system *sys, uint64_t *rsdp);

#endif
