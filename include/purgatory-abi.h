/* purgatory-abi.h - the contract between kexec (the loader) and the
 * purgatory blob it embeds.
 *
 * The purgatory is a flat, position-independent binary (RIP-relative code
 * only, no relocations), so the loader copies it to any page-aligned address
 * without an ELF relocator — unlike kexec-tools' relocatable-object
 * purgatory, there is no relocation code in the loader to get wrong. It
 * starts with struct purgatory_header; the loader fills struct
 * purgatory_params at header.params_offset and enters at load address +
 * header.entry_offset (kexec_load's entry point). The kernel's
 * relocate_kernel jumps there in 64-bit mode with an identity map of RAM.
 * Freestanding: only stdint, and the numbers below are usable from assembly. */
#ifndef KX_PURGATORY_ABI_H
#define KX_PURGATORY_ABI_H

#define PURGATORY_MAGIC        0x3130475255505846  /* "FXPURG01" */
#define PURGATORY_ABI_VERSION  2
#define PURGATORY_MAX_REGIONS  16

/* Offsets the assembly entry needs (checked against the struct in checks.c). */
#define PURGATORY_PARAMS_SIZE  392
#define PP_ENTRY_RIP           304
#define PP_ENTRY_RSI           312

#define PURG_F_SKIP_CHECKS   (1u << 0)  /* -i: no digest check */
#define PURG_F_SERIAL        (1u << 1)  /* print to serial_port */
#define PURG_F_EFI_CHECK     (1u << 2)  /* check the EFI tables before the jump */
#define PURG_F_TEST_CORRUPT  (1u << 3)  /* test builds only: see the System Table as corrupt */

/* digest_algo: which digest params.digest holds (lib/digest.h numbers).
 * Purgatory halts on any other value. */
#define PURG_DIGEST_SHA256   1u  /* FIPS 180-4; the SHA extensions when CPUID has them */
#define PURG_DIGEST_MIX64    2u  /* lib/mix64.h: corruption check, the default */

/* Outcome codes written to status (also readable in a dump). */
#define PURG_STATUS_NONE          0u
#define PURG_STATUS_OK            1u
#define PURG_STATUS_EFI_DROPPED   2u

/* The mark purgatory leaves in the reserved command-line space (mark_addr,
 * mark_len: spaces the loader appended to the command line):
 * "kexec_efi.purgatory=ok" when every check passed,
 * "kexec_efi.purgatory=efi-dropped:REASON" when the EFI hand-off was removed
 * before the jump. REASON is one of systab-signature, systab-revision,
 * systab-header-size, systab-crc, runtime-signature, runtime-header-size,
 * runtime-crc, setup-efi-unlinked, setup-data-chain, test-corrupt.
 * The booted kernel's /proc/cmdline shows it. */
#define PURG_MARK_MIN_LEN    64u

#ifndef __ASSEMBLER__
#include <stdint.h>

struct purgatory_header {
	uint8_t  jump[8];        /* entry trampoline bytes (unused by the loader) */
	uint64_t magic;          /* PURGATORY_MAGIC */
	uint32_t abi_version;    /* PURGATORY_ABI_VERSION */
	uint32_t entry_offset;   /* entry point, from the blob start */
	uint32_t params_offset;  /* struct purgatory_params, from the blob start */
	uint32_t image_size;     /* bytes to reserve (blob + bss + stack), page multiple */
};

struct purgatory_region {
	uint64_t start, len;
};

struct purgatory_params {
	uint64_t magic;                  /* PURGATORY_MAGIC, set by the loader */
	uint32_t flags;                  /* PURG_F_* */
	uint32_t nregions;
	struct purgatory_region region[PURGATORY_MAX_REGIONS];
	uint8_t  digest[32];             /* digest_algo over the regions, in order */
	uint64_t entry_rip;              /* kernel load address + 0x200 */
	uint64_t entry_rsi;              /* boot_params physical address */
	uint16_t serial_port;            /* 0x3f8; 0 = none */
	uint16_t digest_algo;            /* PURG_DIGEST_* */
	uint32_t serial_baud;
	/* EFI pre-jump check */
	uint64_t efi_systab;             /* physical System Table */
	uint64_t efi_runtime;            /* physical Runtime Services table, 0 = unknown */
	uint64_t setup_efi_node;         /* physical address of our SETUP_EFI node */
	uint64_t mark_addr;              /* physical address of reserved cmdline space */
	uint32_t mark_len;               /* bytes reserved there (spaces) */
	uint32_t status;                 /* PURG_STATUS_*, written by purgatory */
	/* kdump: copy of low memory at crash time */
	uint64_t backup_src, backup_dst, backup_len;
};
#endif /* !__ASSEMBLER__ */

#endif
