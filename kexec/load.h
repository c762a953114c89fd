/* load.h - one load request, as the CLI assembled it, for the planner. */
#ifndef KX_LOAD_H
#define KX_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esd.h"
#include "crashdump.h"
#include "plan.h"

struct kaslr_rng;

struct load_request {
	const uint8_t *kernel;       /* the bzImage (decompressed if the file was) */
	size_t kernel_len;
	const char *kernel_name;     /* for messages */
	const uint8_t *initrd;       /* NULL: none */
	size_t initrd_len;
	const char *cmdline;         /* final command line, without the purgatory mark */
	const struct esd_system *sys;
	const struct esd_image *image;
	const struct esd_handoff *handoff;   /* NULL: no EFI hand-off */
	uint64_t mem_min, mem_max;   /* --mem-min/--mem-max (0/UINT64_MAX when unset) */
	bool skip_checks;            /* -i: purgatory skips the digest */
	int digest_algo;             /* KX_DIGEST_* (lib/digest.h) purgatory verifies; 0 = mix64 */
	bool defer_digest;           /* leave the digest to bzimage64_seal() (kexec_file_load may not need it) */
	bool efi_check;              /* purgatory checks the EFI tables before the jump */
	bool test_corrupt;           /* test builds: purgatory sees a corrupt systab */
	uint16_t serial_port;        /* purgatory messages; 0 = none */
	uint32_t serial_baud;
	const uint8_t *rng_seed;     /* 32 bytes for SETUP_RNG_SEED, NULL = none */
	const struct crash_plan *crash;      /* -p: crash regions, elfcorehdr, crash e820 */
	/* Physical KASLR (kaslr.h): the kernel's slot drawn from this source;
	 * NULL keeps the deterministic top-down placement, and kaslr_off says
	 * why (for the report). */
	const struct kaslr_rng *kaslr_rng;
	const char *kaslr_off;
};

/* Build the plan for kexec_load (x86_64 bzImage64). Errors name the field. */
int bzimage64_plan(const struct load_request *req, struct plan *out, struct kx_err *err);

/* Compute the digest the purgatory verifies into the plan's purgatory
 * parameters (bzimage64_plan does it unless req->defer_digest): a pass
 * over every verified segment's bytes, so only for a plan that will be
 * loaded with kexec_load or dumped. */
void bzimage64_seal(struct plan *p);

/* The free RAM segments may use on this system: RAM in the firmware memmap
 * (and System RAM in /proc/iomem when readable) above 1 MiB, minus every
 * runtime-map region and the crash kernel reservations. */
struct range_set;
int loader_free_ram(const struct esd_system *sys, struct range_set *out, struct kx_err *err);

#endif
