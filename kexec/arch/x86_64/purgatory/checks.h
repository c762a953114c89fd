/* checks.h - what purgatory decides, as plain C over a memory view.
 *
 * Purgatory runs this with an identity view of physical memory; the host
 * unit tests run the very same functions over a malloc'ed buffer standing
 * for physical memory (struct purg_mem). Freestanding: no libc. */
#ifndef KX_PURGATORY_CHECKS_H
#define KX_PURGATORY_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "purgatory-abi.h"

/* Physical address p is reachable at (void *)(p + offset) when
 * lo <= p and p + len <= hi. Purgatory: offset 0, lo 0, hi ~0. */
struct purg_mem {
	uintptr_t offset;
	uint64_t lo, hi;
	int simd_ok;     /* SSE is enabled: SHA-256 may use the SHA extensions */
};

/* Where messages go (the serial port in purgatory, a buffer in tests). */
struct purg_out {
	void (*putc)(void *ctx, char c);
	void *ctx;
};

/* params.digest_algo over the regions; 0 when it matches params.digest,
 * -1 when it does not, -2 when a region lies outside the memory view, -3
 * for an unknown digest_algo. out gets the digest computed; *name (when
 * not NULL) the digest's name as printed. */
int purg_verify_digest(const struct purgatory_params *pp, const struct purg_mem *m,
		       uint8_t out[32], const char **name);

/* The pre-jump EFI check; NULL when the tables are sound, else the reason
 * token of purgatory-abi.h. */
const char *purg_efi_check(const struct purgatory_params *pp, const struct purg_mem *m);

/* Remove the EFI hand-off: unlink the SETUP_EFI node (or clear the whole
 * chain when it cannot be walked), zero efi_info; acpi_rsdp_addr stays. */
void purg_efi_drop(const struct purgatory_params *pp, const struct purg_mem *m, const char *reason);

/* Write text into the reserved command-line space, padding with spaces. */
void purg_write_mark(const struct purgatory_params *pp, const struct purg_mem *m, const char *text);

/* The whole sequence before the jump. Returns 0 to jump, -1 to halt
 * (digest mismatch or a region outside memory). */
int purg_run(struct purgatory_params *pp, const struct purg_mem *m, const struct purg_out *o);

/* Freestanding byte helpers (purgatory has no libc). */
void purg_copy(void *dst, const void *src, size_t n);
void purg_fill(void *dst, int c, size_t n);

#endif
