/* rules-image.c - the target image (spec 8.1). */
#include <stdio.h>
#include <string.h>

#include "rules-internal.h"

void rules_image(struct rule_state *st)
{
	const struct esd_image *im = st->ctx->image;
	const struct esd_plan_view *pv = st->ctx->plan;
	const char *w = "bzImage";

	if (im->header_magic != HDR_MAGIC)
		rule_add(st, "8.1.1", 0, w, "no \"HdrS\" at 0x202 (0x%08x)", im->header_magic);
	if (im->boot_flag != HDR_BOOT_FLAG_MAGIC)
		rule_add(st, "8.1.1", 0, w, "boot_flag 0x%04x, expected 0xaa55", im->boot_flag);
	if (im->version < BOOT_PROTO_MIN_64)
		rule_add(st, "8.1.1", 0, w, "boot protocol 0x%04x < 0x020c", im->version);
	if (!(im->loadflags & LOADFLAG_LOADED_HIGH))
		rule_add(st, "8.1.1", 0, w, "loadflags 0x%02x lacks LOADED_HIGH", im->loadflags);
	if (!(im->xloadflags & XLF_KERNEL_64))
		rule_add(st, "8.1.1", 0, w, "xloadflags 0x%04x lacks XLF_KERNEL_64", im->xloadflags);
	if (im->file_size < 1024 || im->file_size <= im->setup_size)
		rule_add(st, "8.1.1", 0, w, "file of %zu bytes is shorter than its setup (%zu bytes)",
			 im->file_size, im->setup_size);
	if (st->sys->la57 && !(im->xloadflags & XLF_5LEVEL))
		rule_add(st, "8.1.2", 0, w, "5-level paging is active but xloadflags 0x%04x lacks XLF_5LEVEL", im->xloadflags);
	if (st->sys->efi.present && !(im->xloadflags & XLF_EFI_KEXEC))
		rule_add(st, "8.1.3", 0, w, "xloadflags 0x%04x lacks XLF_EFI_KEXEC: the target cannot take the EFI hand-off",
			 im->xloadflags);
	if (pv && pv->cmdline && im->cmdline_size && strlen(pv->cmdline) > im->cmdline_size)
		rule_add(st, "8.1.4", 0, "cmdline", "%zu bytes, the target accepts %u", strlen(pv->cmdline), im->cmdline_size);
	if (im->have_setup_type_max && (im->setup_type_max & ~SETUP_INDIRECT) < SETUP_RNG_SEED)
		rule_add(st, "8.1.5", 0, w, "setup_type_max 0x%x: SETUP_RNG_SEED (9) is newer than this kernel", im->setup_type_max);
	if (im->kver_major) {
		unsigned v = im->kver_major * 100 + im->kver_minor;

		if (v <= 506)
			rule_add(st, "8.1.6", 0, w, "kernel %u.%u <= 5.6: SETUP_EFI.runtime and System Table coverage are mandatory",
				 im->kver_major, im->kver_minor);
		if (v >= 500 && v <= 502)
			rule_add(st, "8.1.6", 0, w, "kernel %u.%u: acpi_rsdp_addr is mandatory", im->kver_major, im->kver_minor);
	}
}
