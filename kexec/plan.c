#include <stdlib.h>
#include <string.h>

#include "plan.h"

void plan_free(struct plan *p)
{
	free(p->bp_seg);
	free(p->purg);
	free(p->e820);
	memset(p, 0, sizeof(*p));
}

const char *efi_outcome_str(enum efi_outcome o)
{
	switch (o) {
	case EFI_HANDOFF_PASSED: return "passed";
	case EFI_HANDOFF_NOT_EFI: return "none: not an EFI boot";
	case EFI_HANDOFF_NOEFI_OPTION: return "none: --noefi";
	case EFI_HANDOFF_IMAGE_CANNOT: return "none: the target image lacks XLF_EFI_KEXEC";
	case EFI_HANDOFF_DROPPED: return "dropped: fatal findings, fallback";
	case EFI_HANDOFF_KERNEL_BUILDS: return "built by the kernel (kexec_file_load)";
	}
	return "?";
}
