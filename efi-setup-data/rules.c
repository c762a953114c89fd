/* rules.c - the rule table (stable ids = spec section 8 numbers) and the
 * engine that runs the rule files and sorts their findings. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules-internal.h"

static const struct esd_rule_info table[] = {
	{ "8.1.1", "image-header", ESD_FATAL, "bzImage header: HdrS, 0xAA55, protocol >= 2.12, LOADED_HIGH, XLF_KERNEL_64, size", "Documentation/arch/x86/boot.rst; kexec-bzimage64.c" },
	{ "8.1.2", "five-level", ESD_FATAL, "5-level paging is on: the target needs XLF_5LEVEL", "kexec-bzimage64.c" },
	{ "8.1.3", "efi-kexec-capable", ESD_FATAL, "SETUP_EFI only for a target with XLF_EFI_KEXEC", "boot/header.S; platform/efi/efi.c" },
	{ "8.1.4", "cmdline-size", ESD_FATAL, "command line fits the target's cmdline_size", "Documentation/arch/x86/boot.rst" },
	{ "8.1.5", "setup-type-max", ESD_WARN, "setup_data types used are <= kernel_info.setup_type_max", "boot/compressed/kernel_info.S" },
	{ "8.1.6", "version-gates", ESD_WARN, "target version needs stricter hand-off (<= 5.6, memattr 4.10-6.13, RSDP 5.0-5.2)", "platform/efi/efi.c, firmware/efi/memattr.c" },
	{ "8.2.1", "sentinel-header", ESD_FATAL, "boot_params built from zero, header copied, sentinel 0", "asm/bootparam_utils.h" },
	{ "8.2.2", "loader-type", ESD_FATAL, "type_of_loader is set", "kernel/setup.c early_reserve_initrd" },
	{ "8.2.3", "initrd-cmdline", ESD_FATAL, "cmdline and initrd pointers consistent and under their limits", "Documentation/arch/x86/boot.rst" },
	{ "8.2.4", "kernel-window", ESD_FATAL, "the kernel run window [load, load+init_size) overlaps nothing", "boot/compressed/head_64.S" },
	{ "8.2.5", "runtime-not-ram", ESD_FATAL, "EFI runtime regions are not RAM in the e820 handed over; <= 128 entries in boot_params", "platform/efi/quirks.c" },
	{ "8.2.6", "acpi-rsdp", ESD_WARN, "acpi_rsdp_addr is filled", "boot/compressed/acpi.c" },
	{ "8.2.7", "efi-signature", ESD_FATAL, "efi_info signature is EL64", "kernel/setup.c, platform/efi/efi.c" },
	{ "8.2.8", "efi-systab", ESD_FATAL, "efi_systab non-zero, 8-aligned, equal to the running kernel's", "firmware/efi/efi.c efi_systab_check_header" },
	{ "8.2.9", "memmap-descriptor", ESD_FATAL, "desc version 1, size >= 40 and 8-aligned, memmap size n x size, within 256 KiB", "platform/efi/efi.c; mm/early_ioremap.c" },
	{ "8.2.10", "memmap-buffer", ESD_FATAL, "the descriptor array lies in a planned segment, outside the kernel window", "platform/efi/efi.c efi_memblock_x86_reserve_range" },
	{ "8.2.11", "secure-boot", ESD_WARN, "secure_boot copied from the running kernel", "include/linux/efi.h" },
	{ "8.2.12", "segment-over-runtime", ESD_FATAL, "no segment overlaps an EFI runtime-map region", "NOTES 8.7; platform/efi/efi_64.c" },
	{ "8.2.13", "segment-over-fw-blob", ESD_FATAL, "no segment covers an EFI config-table blob of the efi: boot line (MEMATTR, INITRD, TPM log, ...)", "firmware/efi/efi.c efi_config_parse_tables" },
	{ "8.3.1", "setup-efi-node", ESD_FATAL, "exactly one SETUP_EFI node, len 96, in an acyclic chain", "kernel/setup.c parse_setup_data" },
	{ "8.3.2", "fw-vendor", ESD_FATAL, "fw_vendor physical, equal to sysfs, inside a descriptor", "firmware/efi/efi.c efi_systab_init" },
	{ "8.3.3", "config-tables", ESD_FATAL, "tables physical, equal to sysfs config_table, inside a descriptor", "firmware/efi/efi.c efi_config_init" },
	{ "8.3.4", "runtime-physical", ESD_FATAL, "runtime is the physical Runtime Services table (targets <= 5.6 use it)", "platform/efi/efi.c (5.4-5.6)" },
	{ "8.3.5", "smbios", ESD_WARN, "smbios equals SMBIOS= of systab", "platform/efi/quirks.c efi_reuse_config" },
	{ "8.3.6", "reserved-zero", ESD_WARN, "reserved[8] are zero", "asm/setup_data.h" },
	{ "8.4.1", "descriptor-count", ESD_FATAL, "n >= 1 and equal to the runtime-map entries", "firmware/efi/runtime-map.c" },
	{ "8.4.2", "descriptor-sane", ESD_FATAL, "4 KiB aligned, pages >= 1, no overflow, phys end <= 2^47", "platform/efi/efi.c efi_memmap_entry_valid" },
	{ "8.4.3", "virt-window", ESD_FATAL, "virt range inside the EFI VA window", "platform/efi/efi_64.c efi_sync_low_kernel_mappings" },
	{ "8.4.4", "overlap", ESD_FATAL, "no two descriptors overlap in phys or in virt", "platform/efi/efi_64.c" },
	{ "8.4.5", "virt-congruence", ESD_WARN, "virt = phys mod 2 MiB; VAs monotonic in index order", "platform/efi/efi_64.c efi_map_region" },
	{ "8.4.6", "type-attribute", ESD_FATAL, "RUNTIME attribute set; no Conventional/Unaccepted/Loader types", "platform/efi/quirks.c; boot/compressed/kaslr.c" },
	{ "8.4.7", "matches-running", ESD_FATAL, "type and attribute equal to the running kernel's runtime map", "platform/efi/efi_64.c __map_region" },
	{ "8.4.8", "coverage", ESD_FATAL, "System Table, fw_vendor, tables and RuntimeServices inside descriptors", "platform/efi/efi.c (BUG_ON <= 5.6)" },
	{ "8.4.9", "memory-attributes-table", ESD_WARN, "EFI_MEMORY_ATTRIBUTES_TABLE not in RAM of the new e820 (4.10-6.13)", "firmware/efi/memattr.c" },
	{ "8.4.10", "mapped-size", ESD_WARN, "total mapped size <= 64 GiB", "asm/pgtable_64_types.h" },
	{ "8.5.0", "sysfs-readable", ESD_FATAL, "every file of the hand-off is readable and well formed", "efi-setup-data readers" },
	{ "8.5.1", "runtime-map-present", ESD_FATAL, "/sys/firmware/efi/runtime-map exists and is not empty", "CONFIG_EFI_RUNTIME_MAP" },
	{ "8.5.2", "platform-size", ESD_FATAL, "fw_platform_size is 64", "platform/efi/efi.c (mixed mode)" },
	{ "8.5.3", "old-map", ESD_FATAL, "first kernel not on efi=old_map / UV1 map", "platform/efi/efi_64.c" },
	{ "8.5.4", "running-boot-params", ESD_FATAL, "running boot_params: EL64, memmap size != 0, desc version 1, 4096 bytes", "kexec-bzimage64.c setup_efi_state" },
	{ "8.5.5", "chained-kexec", ESD_WARN, "running kernel was kexec-booted: runtime is a VA", "firmware/efi/efi.c (5.7+)" },
	{ "8.5.6", "fw-blob-line", ESD_WARN, "the efi: config-table line is in the kernel log (or the tree's efi-boot-line.txt)", "firmware/efi/efi.c match_config_table" },
};

const struct esd_rule_info *esd_rules_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

static const struct esd_rule_info *rule_lookup(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].id, id))
			return &table[i];
	return NULL;
}

__attribute__((format(printf, 5, 0)))
static int finding_vadd(struct esd_findings *f, const struct esd_rule_info *ri, enum esd_severity sev,
			const char *where, const char *fmt, va_list ap)
{
	struct esd_finding *x;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		struct esd_finding *nf = realloc(f->f, cap * sizeof(*nf));

		if (!nf)
			return -ENOMEM;
		f->f = nf;
		f->cap = cap;
	}
	x = &f->f[f->n++];
	memset(x, 0, sizeof(*x));
	x->id = ri ? ri->id : "?";
	x->name = ri ? ri->name : "unknown";
	x->sev = sev;
	snprintf(x->where, sizeof(x->where), "%s", where ? where : "");
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	if (sev == ESD_FATAL)
		f->n_fatal++;
	else
		f->n_warn++;
	return 0;
}

int esd_finding_add(struct esd_findings *f, const char *id, enum esd_severity sev,
		    const char *where, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = finding_vadd(f, rule_lookup(id), sev, where, fmt, ap);
	va_end(ap);
	return r;
}

int rule_add(struct rule_state *st, const char *id, enum esd_severity sev, const char *where,
	     const char *fmt, ...)
{
	const struct esd_rule_info *ri = rule_lookup(id);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = finding_vadd(st->out, ri, sev ? sev : (ri ? ri->sev : ESD_FATAL), where, fmt, ap);
	va_end(ap);
	return r;
}

void esd_findings_free(struct esd_findings *f)
{
	free(f->f);
	memset(f, 0, sizeof(*f));
}

/* "8.4.10" after "8.4.9": compare the dotted numbers as numbers. */
static int cmp_id(const char *a, const char *b)
{
	while (*a && *b) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
	}
	return (*a != 0) - (*b != 0);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct esd_finding *a = pa, *b = pb;
	int c;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	c = cmp_id(a->id, b->id);
	if (c)
		return c;
	return strcmp(a->where, b->where);
}

int esd_rules_run(const struct esd_rule_ctx *ctx, struct esd_findings *out, struct kx_err *err)
{
	struct rule_state st;
	struct esd_handoff built;
	struct kx_err be = { 0 };
	bool have_built = false;

	memset(out, 0, sizeof(*out));
	if (!ctx || !ctx->sys)
		return kx_errf(err, -EINVAL, "rules", "no system to check");
	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.sys = ctx->sys;
	st.out = out;
	if (ctx->image) {
		st.kmajor = ctx->image->kver_major;
		st.kminor = ctx->image->kver_minor;
	}
	rules_system(&st);
	if (ctx->image)
		rules_image(&st);
	st.h = ctx->handoff;
	if (!st.h && ctx->sys->efi_rc == 0 && ctx->sys->efi.present) {
		if (esd_handoff_build(ctx->sys, &built, &be) == 0) {
			have_built = true;
			st.h = &built;
		} else if (ctx->sys->efi.have_map && ctx->sys->efi.map.n) {
			rule_add(&st, "8.5.0", 0, be.where, "cannot build the hand-off: %s", be.msg);
		}
	}
	if (st.h) {
		rules_descriptors(&st);
		rules_setup_efi(&st);
	}
	if (ctx->plan) {
		rules_boot_params(&st);
		rules_plan(&st);
	}
	rules_fw_blobs(&st);
	if (have_built)
		esd_handoff_free(&built);
	if (out->n)
		qsort(out->f, out->n, sizeof(*out->f), cmp_finding);
	return 0;
}
