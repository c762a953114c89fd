#include <errno.h>
#include <string.h>

#include "policy.h"

int efi_verify_mode_parse(const char *s, enum efi_verify_mode *m)
{
	if (!s || !strcmp(s, "strict"))
		*m = EFI_VERIFY_STRICT;
	else if (!strcmp(s, "fallback"))
		*m = EFI_VERIFY_FALLBACK;
	else if (!strcmp(s, "warn"))
		*m = EFI_VERIFY_WARN;
	else
		return -EINVAL;
	return 0;
}

const char *efi_verify_mode_name(enum efi_verify_mode m)
{
	switch (m) {
	case EFI_VERIFY_STRICT: return "strict";
	case EFI_VERIFY_FALLBACK: return "fallback";
	case EFI_VERIFY_WARN: return "warn";
	default: return "default (fallback)";
	}
}

enum policy_action policy_decide(enum efi_verify_mode mode, const struct esd_findings *f)
{
	if (!f->n_fatal)
		return POLICY_HAND_OFF;
	switch (mode) {
	case EFI_VERIFY_STRICT: return POLICY_REFUSE;
	case EFI_VERIFY_WARN: return POLICY_HAND_OFF;
	default: return POLICY_DROP_EFI;
	}
}

/* Reads planned memory for the rules: a physical range inside one segment. */
static int plan_read(void *ctx, uint64_t phys, void *buf, size_t len)
{
	const struct plan *p = ctx;
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		const struct plan_segment *s = &p->seg[i];

		if (phys >= s->mem && len <= s->memsz && phys - s->mem <= s->memsz - len) {
			uint64_t off = phys - s->mem;
			size_t have = off < s->bufsz ? (size_t)(s->bufsz - off) : 0;

			if (have > len)
				have = len;
			if (have)
				memcpy(buf, (const uint8_t *)s->buf + off, have);
			memset((uint8_t *)buf + have, 0, len - have);
			return 0;
		}
	}
	return -EFAULT;
}

int policy_run_rules(const struct esd_system *sys, const struct esd_image *image,
		     const struct esd_handoff *handoff, const struct plan *plan,
		     struct esd_findings *out, struct kx_err *err)
{
	struct esd_plan_view view;
	struct esd_rule_ctx ctx;
	struct esd_handoff h;
	struct plan *mp = (struct plan *)plan;
	size_t i;

	memset(&ctx, 0, sizeof(ctx));
	ctx.sys = sys;
	ctx.image = image;
	if (handoff) {
		h = *handoff;
		if (plan && plan->memmap_addr)
			esd_handoff_set_memmap_addr(&h, plan->memmap_addr);
		ctx.handoff = &h;
	}
	if (plan) {
		memset(&view, 0, sizeof(view));
		for (i = 0; i < plan->nseg; i++) {
			mp->view_seg[i].mem = plan->seg[i].mem;
			mp->view_seg[i].memsz = plan->seg[i].memsz;
			mp->view_seg[i].role = plan->seg[i].role;
		}
		view.boot_params = plan->bp_seg;
		view.boot_params_addr = plan->bp_addr;
		view.seg = plan->view_seg;
		view.nseg = plan->nseg;
		view.e820 = plan->e820;
		view.ne820 = plan->ne820;
		view.kernel_load = plan->kernel_load;
		view.cmdline = plan->cmdline;
		view.read = plan_read;
		view.read_ctx = mp;
		view.crash = (plan->flags & KEXEC_ON_CRASH) != 0;
		ctx.plan = &view;
	}
	return esd_rules_run(&ctx, out, err);
}
