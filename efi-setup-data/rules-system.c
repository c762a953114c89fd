/* rules-system.c - the running system's preconditions (spec 8.5). */
#include <stdio.h>

#include "rules-internal.h"

static void unreadable(struct rule_state *st, int rc, const struct kx_err *e, const char *part)
{
	if (rc < 0)
		rule_add(st, "8.5.0", 0, e->where[0] ? e->where : part, "%s", e->msg[0] ? e->msg : "unreadable");
}

void rules_system(struct rule_state *st)
{
	const struct esd_system *sys = st->sys;
	const uint8_t *bp = sys->bp.data;
	size_t i, outside = 0;

	unreadable(st, sys->efi_rc, &sys->efi_err, "/sys/firmware/efi");
	unreadable(st, sys->bp_rc, &sys->bp_err, "/sys/kernel/boot_params");
	if (sys->efi_rc < 0)
		return;
	if (!sys->efi.present) {
		rule_add(st, "8.5.1", 0, "/sys/firmware/efi", "not an EFI boot: there is no EFI runtime to hand over");
		return;
	}
	if (!sys->efi.have_map || sys->efi.map.n == 0)
		rule_add(st, "8.5.1", 0, "/sys/firmware/efi/runtime-map",
			 sys->efi.have_map ? "the runtime map is empty" : "absent (CONFIG_EFI_RUNTIME_MAP off, noefi or efi=noruntime)");
	if (sys->efi.have_platform_size && sys->efi.fw_platform_size != 64)
		rule_add(st, "8.5.2", 0, "/sys/firmware/efi/fw_platform_size",
			 "%u-bit firmware: a kexec'ed kernel runs without EFI runtime (mixed mode)", sys->efi.fw_platform_size);
	for (i = 0; sys->efi.have_map && i < sys->efi.map.n; i++)
		if (sys->efi.map.desc[i].virt_addr < EFI_VA_END || sys->efi.map.desc[i].virt_addr >= EFI_VA_START)
			outside++;
	if (sys->efi.have_map && sys->efi.map.n && outside == sys->efi.map.n)
		rule_add(st, "8.5.3", 0, "/sys/firmware/efi/runtime-map",
			 "no descriptor has a VA in the EFI window: the running kernel used efi=old_map or the UV1 map");
	if (sys->bp_rc == 0 && sys->bp.present) {
		if (sys->bp.data_len < BP_SIZE) {
			rule_add(st, "8.5.4", 0, "/sys/kernel/boot_params/data", "truncated: %zu of %u bytes",
				 sys->bp.data_len, BP_SIZE);
		} else {
			uint32_t sig = get_le32(bp + EI_LOADER_SIGNATURE);

			if (sig != EFI64_LOADER_SIGNATURE)
				rule_add(st, "8.5.4", 0, "/sys/kernel/boot_params/data", "efi_info.efi_loader_signature 0x%08x is not \"EL64\"", sig);
			if (get_le32(bp + EI_MEMMAP_SIZE) == 0)
				rule_add(st, "8.5.4", 0, "/sys/kernel/boot_params/data", "efi_info.efi_memmap_size is 0");
			if (get_le32(bp + EI_MEMDESC_VERSION) != EFI_DESC_VERSION)
				rule_add(st, "8.5.4", 0, "/sys/kernel/boot_params/data", "efi_info.efi_memdesc_version is %u, not 1",
					 get_le32(bp + EI_MEMDESC_VERSION));
		}
	} else if (sys->bp_rc == 0) {
		rule_add(st, "8.5.4", 0, "/sys/kernel/boot_params/data", "absent: efi_info cannot be copied");
	}
	if (sys->efi.have_runtime && sys->efi.runtime >= EFI_VA_END)
		rule_add(st, "8.5.5", 0, "/sys/firmware/efi/runtime",
			 "0x%llx is a virtual address: this kernel was kexec-booted; the physical value is recomputed from the runtime map",
			 (unsigned long long)sys->efi.runtime);
}
