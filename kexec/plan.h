/* plan.h - what a load will hand to the kernel: segments with roles, the
 * entry point, flags and the command line. Built by the planner (bzimage64),
 * judged by policy, consumed by a sink (the syscall, or a dry-run dump). */
#ifndef KX_PLAN_H
#define KX_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bootproto.h"
#include "esd.h"

struct plan_segment {
	const void *buf;         /* bytes to copy (may be NULL for zero fill) */
	size_t bufsz;
	uint64_t mem;            /* physical, page aligned */
	uint64_t memsz;          /* page multiple, >= bufsz */
	const char *role;        /* "kernel", "initrd", "boot_params", "purgatory", "elfcorehdr", ... */
	bool digest;             /* covered by the purgatory's SHA-256 */
};

/* How the EFI hand-off ended up. */
enum efi_outcome {
	EFI_HANDOFF_PASSED = 0,      /* efi_info + SETUP_EFI + descriptors */
	EFI_HANDOFF_NOT_EFI,         /* the running system did not boot through EFI */
	EFI_HANDOFF_NOEFI_OPTION,    /* --noefi */
	EFI_HANDOFF_IMAGE_CANNOT,    /* target lacks XLF_EFI_KEXEC */
	EFI_HANDOFF_DROPPED,         /* fatal findings, fallback policy */
	EFI_HANDOFF_KERNEL_BUILDS,   /* kexec_file_load: the kernel builds it */
};

struct plan {
	struct plan_segment seg[KEXEC_SEGMENT_MAX];
	size_t nseg;
	uint64_t entry;
	unsigned long flags;         /* KEXEC_ON_CRASH | KEXEC_ARCH_X86_64 */
	char cmdline[4096];          /* what the next kernel gets (before the mark) */
	uint64_t kernel_load;        /* PM kernel load address */
	uint64_t bp_addr;            /* boot_params physical address */
	uint64_t setup_efi_addr;     /* 0 when no SETUP_EFI */
	uint64_t memmap_addr;
	uint64_t cmdline_addr;
	enum efi_outcome efi;
	/* Physical KASLR: "random", or why the placement is deterministic. */
	const char *kaslr;
	uint64_t kaslr_slots;        /* slots the kernel could have taken (0 if not random) */
	uint64_t kaslr_index;        /* the one drawn, in address order */
	/* Owned buffers (freed by plan_free). */
	uint8_t *bp_seg;             /* boot_params + cmdline + setup_data + descriptors */
	size_t bp_seg_len;
	uint8_t *purg;               /* purgatory copy with its parameters */
	size_t purg_len;
	struct esd_e820 *e820;       /* the e820 handed over */
	size_t ne820;
	struct esd_segment view_seg[KEXEC_SEGMENT_MAX];   /* for the rules */
};

void plan_free(struct plan *p);
const char *efi_outcome_str(enum efi_outcome o);

#endif
