/* policy.h - what --efi-verify makes of the rules' findings (library side:
 * decides, never prints). */
#ifndef KX_POLICY_H
#define KX_POLICY_H

#include <stdbool.h>

#include "esd.h"
#include "plan.h"

enum efi_verify_mode {
	EFI_VERIFY_DEFAULT = 0,  /* no option: fallback, but every finding that drops EFI is printed */
	EFI_VERIFY_STRICT,       /* refuse on any fatal finding */
	EFI_VERIFY_FALLBACK,     /* load without the EFI hand-off */
	EFI_VERIFY_WARN,         /* hand off anyway */
};

int efi_verify_mode_parse(const char *s, enum efi_verify_mode *m);
const char *efi_verify_mode_name(enum efi_verify_mode m);

enum policy_action {
	POLICY_HAND_OFF,         /* load with the EFI hand-off */
	POLICY_DROP_EFI,         /* load without it */
	POLICY_REFUSE,           /* load nothing */
};

enum policy_action policy_decide(enum efi_verify_mode mode, const struct esd_findings *f);

/* Run the rules on the system, the image and (optionally) the plan.
 * handoff may be NULL (nothing handed over: only system/image rules). */
int policy_run_rules(const struct esd_system *sys, const struct esd_image *image,
		     const struct esd_handoff *handoff, const struct plan *plan,
		     struct esd_findings *out, struct kx_err *err);

#endif
