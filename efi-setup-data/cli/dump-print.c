/* dump-print.c - boot_params and setup_data printers (text and JSON). */
#include <inttypes.h>
#include <string.h>

#include "dump.h"

#define X64 "0x%016" PRIx64

void dp_bp_text(const char *title, const struct bp_decoded *bp)
{
	const struct efi_info *e = &bp->efi;
	uint64_t systab = (uint64_t)e->systab_hi << 32 | e->systab;
	uint64_t memmap = (uint64_t)e->memmap_hi << 32 | e->memmap;

	printf("%s\n", title);
	/* efi_info first: it is what the hand-off is about (spec 1.2). */
	printf("  %-32s 0x%08" PRIx32 " (%s)\n", "efi_info.efi_loader_signature",
	       e->loader_signature, cli_signature_name(e->loader_signature));
	printf("  %-32s " X64 "\n", "efi_info.efi_systab", systab);
	printf("  %-32s %" PRIu32 "\n", "efi_info.efi_memdesc_size", e->memdesc_size);
	printf("  %-32s %" PRIu32 "\n", "efi_info.efi_memdesc_version", e->memdesc_version);
	printf("  %-32s " X64 "\n", "efi_info.efi_memmap", memmap);
	printf("  %-32s %" PRIu32 "\n", "efi_info.efi_memmap_size", e->memmap_size);
	printf("  %-32s " X64 "\n", "acpi_rsdp_addr", bp->acpi_rsdp_addr);
	printf("  %-32s %u\n", "secure_boot", bp->secure_boot);
	printf("  %-32s %u\n", "e820_entries", bp->e820_entries);
	printf("  %-32s 0x%02x\n", "sentinel", bp->sentinel);
	printf("  %-32s 0x%04x\n", "hdr.boot_flag", bp->boot_flag);
	printf("  %-32s 0x%08" PRIx32 "\n", "hdr.header", bp->header_magic);
	printf("  %-32s 0x%04x\n", "hdr.version", bp->version);
	printf("  %-32s 0x%02x\n", "hdr.type_of_loader", bp->type_of_loader);
	printf("  %-32s 0x%02x\n", "hdr.loadflags", bp->loadflags);
	printf("  %-32s 0x%04x\n", "hdr.xloadflags", bp->xloadflags);
	printf("  %-32s " X64 "\n", "hdr.setup_data", bp->setup_data);
	printf("  %-32s " X64 "\n", "cmdline (cmd_line_ptr|ext)", bp->cmdline_addr);
	printf("  %-32s %" PRIu32 "\n", "hdr.cmdline_size", bp->cmdline_size);
	printf("  %-32s " X64 "\n", "ramdisk (ramdisk_image|ext)", bp->ramdisk_addr);
	printf("  %-32s %" PRIu64 "\n", "ramdisk size (ramdisk_size|ext)", bp->ramdisk_len);
	printf("  %-32s 0x%08" PRIx32 "\n", "hdr.kernel_alignment", bp->kernel_alignment);
	printf("  %-32s %u\n", "hdr.relocatable_kernel", bp->relocatable_kernel);
	printf("  %-32s " X64 "\n", "hdr.pref_address", bp->pref_address);
	printf("  %-32s 0x%08" PRIx32 "\n", "hdr.init_size", bp->init_size);
}

void dp_bp_json(struct json_writer *w, const struct bp_decoded *bp)
{
	const struct efi_info *e = &bp->efi;
	unsigned i, n = bp->e820_entries < BP_E820_MAX ? bp->e820_entries : BP_E820_MAX;

	json_begin_object(w, "efi_info");
	json_hex(w, "efi_loader_signature", e->loader_signature);
	json_str(w, "signature", cli_signature_name(e->loader_signature));
	json_hex(w, "efi_systab", (uint64_t)e->systab_hi << 32 | e->systab);
	json_u64(w, "efi_memdesc_size", e->memdesc_size);
	json_u64(w, "efi_memdesc_version", e->memdesc_version);
	json_hex(w, "efi_memmap", (uint64_t)e->memmap_hi << 32 | e->memmap);
	json_u64(w, "efi_memmap_size", e->memmap_size);
	json_end_object(w);
	json_hex(w, "acpi_rsdp_addr", bp->acpi_rsdp_addr);
	json_u64(w, "secure_boot", bp->secure_boot);
	json_u64(w, "e820_entries", bp->e820_entries);
	json_hex(w, "sentinel", bp->sentinel);
	json_begin_object(w, "hdr");
	json_hex(w, "boot_flag", bp->boot_flag);
	json_hex(w, "header", bp->header_magic);
	json_hex(w, "version", bp->version);
	json_hex(w, "type_of_loader", bp->type_of_loader);
	json_hex(w, "loadflags", bp->loadflags);
	json_hex(w, "xloadflags", bp->xloadflags);
	json_hex(w, "setup_data", bp->setup_data);
	json_hex(w, "cmdline_addr", bp->cmdline_addr);
	json_u64(w, "cmdline_size", bp->cmdline_size);
	json_hex(w, "ramdisk_addr", bp->ramdisk_addr);
	json_u64(w, "ramdisk_len", bp->ramdisk_len);
	json_hex(w, "kernel_alignment", bp->kernel_alignment);
	json_u64(w, "relocatable_kernel", bp->relocatable_kernel);
	json_hex(w, "pref_address", bp->pref_address);
	json_hex(w, "init_size", bp->init_size);
	json_end_object(w);
	json_begin_array(w, "e820");
	for (i = 0; i < n; i++) {
		json_begin_object(w, NULL);
		json_hex(w, "addr", bp->e820[i].addr);
		json_hex(w, "size", bp->e820[i].size);
		json_u64(w, "type", bp->e820[i].type);
		json_end_object(w);
	}
	json_end_array(w);
}

static bool all_zero(const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i])
			return false;
	return true;
}

/* The SETUP_EFI payload of a node, if it is one and decodes. */
static bool node_efi(const struct setup_data_node *nd, struct efi_setup_payload *p)
{
	return (nd->type & ~SETUP_INDIRECT) == SETUP_EFI &&
	       esd_setup_efi_decode(nd->data, nd->len, p, NULL) == 0;
}

void dp_chain_text(const char *title, const struct setup_data_chain *c, bool with_addr)
{
	size_t i;

	printf("%s: %zu node%s\n", title, c->n, c->n == 1 ? "" : "s");
	if (c->n == 0)
		return;
	if (with_addr)
		printf("  %3s  %-18s  %-18s  %-10s  %-32s  %8s\n", "#", "addr", "next", "type",
		       "name", "len");
	else
		printf("  %3s  %-10s  %-32s  %8s\n", "#", "type", "name", "len");
	for (i = 0; i < c->n; i++) {
		const struct setup_data_node *nd = &c->node[i];
		struct efi_setup_payload p;

		if (with_addr)
			printf("  %3zu  " X64 "  " X64 "  0x%08" PRIx32 "  %-32s  %8zu\n", i,
			       nd->addr, nd->next, nd->type, esd_setup_data_type_name(nd->type),
			       nd->len);
		else
			printf("  %3zu  0x%08" PRIx32 "  %-32s  %8zu\n", i, nd->type,
			       esd_setup_data_type_name(nd->type), nd->len);
		if (node_efi(nd, &p)) {
			printf("       fw_vendor " X64 "  runtime " X64 "\n", p.fw_vendor, p.runtime);
			printf("       tables    " X64 "  smbios  " X64 "\n", p.tables, p.smbios);
			printf("       reserved  %s\n", all_zero(p.reserved, 8) ? "all zero" : "NOT zero");
		}
	}
}

void dp_chain_json(struct json_writer *w, const struct setup_data_chain *c, bool with_addr)
{
	size_t i, k;

	json_begin_array(w, "setup_data");
	for (i = 0; i < c->n; i++) {
		const struct setup_data_node *nd = &c->node[i];
		struct efi_setup_payload p;

		json_begin_object(w, NULL);
		json_u64(w, "index", i);
		if (with_addr) {
			json_hex(w, "addr", nd->addr);
			json_hex(w, "next", nd->next);
		}
		json_hex(w, "type", nd->type);
		json_str(w, "name", esd_setup_data_type_name(nd->type));
		json_bool(w, "indirect", nd->indirect);
		json_u64(w, "len", nd->len);
		if (node_efi(nd, &p)) {
			json_begin_object(w, "efi");
			json_hex(w, "fw_vendor", p.fw_vendor);
			json_hex(w, "runtime", p.runtime);
			json_hex(w, "tables", p.tables);
			json_hex(w, "smbios", p.smbios);
			json_begin_array(w, "reserved");
			for (k = 0; k < 8; k++)
				json_hex(w, NULL, p.reserved[k]);
			json_end_array(w);
			json_end_object(w);
		}
		json_end_object(w);
	}
	json_end_array(w);
}
