/* rules-blobs.c - the EFI configuration-table blobs named on the kernel's
 * boot line (fw-blobs.c): no planned segment may cover one (8.2.13), and a
 * system whose line cannot be found is one where no loader can keep clear of
 * them (8.5.6). Several of these tables (MEMATTR, the TPM log, the
 * LINUX_EFI_INITRD table) are System RAM to /proc/iomem and the firmware
 * memmap, so the runtime-map rule (8.2.12) does not see them (spec
 * kaslr-after-kexec.md 3, 7). */
#include <stdio.h>

#include "rules-internal.h"

void rules_fw_blobs(struct rule_state *st)
{
	const struct esd_system *sys = st->sys;
	const struct esd_plan_view *pv = st->ctx->plan;
	size_t i, j;
	char where[64];

	if (!sys->efi.present)
		return;
	if (sys->blobs_rc < 0) {
		rule_add(st, "8.5.6", 0, sys->blobs_err.where, "%s: loaders cannot keep segments off the EFI config-table blobs",
			 sys->blobs_err.msg);
		return;
	}
	if (!pv)
		return;
	for (j = 0; j < sys->blobs.n; j++) {
		const struct fw_blob *b = &sys->blobs.b[j];

		for (i = 0; i < pv->nseg; i++) {
			const struct esd_segment *s = &pv->seg[i];

			if (!s->memsz || s->mem >= b->end || b->start >= s->mem + s->memsz)
				continue;
			snprintf(where, sizeof(where), "segment %s", s->role ? s->role : "?");
			rule_add(st, "8.2.13", 0, where, "[0x%llx, +0x%llx) covers %s=0x%llx (kept clear: [0x%llx, 0x%llx))",
				 (unsigned long long)s->mem, (unsigned long long)s->memsz, b->name,
				 (unsigned long long)b->addr, (unsigned long long)b->start, (unsigned long long)b->end);
		}
	}
}
