/* rules-internal.h - shared by the rule files (spec section 8). Each
 * rules-*.c checks one part of the hand-off; rules.c runs them in order and
 * sorts the findings. */
#ifndef ESD_RULES_INTERNAL_H
#define ESD_RULES_INTERNAL_H

#include "esd.h"

#define RULE_VA_BITS_LOW   (1ull << 47)   /* the 1:1 map lives in the lower half */

struct rule_state {
	const struct esd_rule_ctx *ctx;
	const struct esd_system *sys;
	const struct esd_handoff *h;       /* what is (or would be) handed over; NULL if none */
	struct esd_findings *out;
	unsigned kmajor, kminor;           /* target kernel version, 0.0 unknown */
};

/* Add a finding for rule id (name and severity come from the table unless
 * sev overrides: 0 = the table's). */
int rule_add(struct rule_state *st, const char *id, enum esd_severity sev, const char *where,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Index of the descriptor whose phys (or virt) range holds addr, -1 if none.
 * The descriptors are searched through sorted index arrays (O(log n)). */
struct desc_index {
	const struct efi_desc *d;
	size_t n;
	size_t *by_phys, *by_virt;
};
int desc_index_build(struct desc_index *ix, const struct efi_desc *d, size_t n);
void desc_index_free(struct desc_index *ix);
long desc_find_phys(const struct desc_index *ix, uint64_t addr);
long desc_find_virt(const struct desc_index *ix, uint64_t addr);
uint64_t desc_bytes(const struct efi_desc *d);   /* num_pages * 4096, saturating */

void rules_system(struct rule_state *st);
void rules_image(struct rule_state *st);
void rules_descriptors(struct rule_state *st);
void rules_setup_efi(struct rule_state *st);
void rules_boot_params(struct rule_state *st);
void rules_plan(struct rule_state *st);
void rules_fw_blobs(struct rule_state *st);

#endif
