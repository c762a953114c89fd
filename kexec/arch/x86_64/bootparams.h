/* bootparams.h - the boot_params ("zero page") kexec hands over (spec 1, 8.2). */
#ifndef KX_BOOTPARAMS_H
#define KX_BOOTPARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "esd.h"

/* Fill a zeroed 4096-byte page from the image's setup header and the
 * running system: header bytes [0x1F1, 0x202 + byte[0x201]) copied, sentinel
 * 0, type_of_loader 0xD0, screen_info/secure_boot/hardware_subarch from the
 * running boot_params, acpi_rsdp_addr, e820 (first 128 entries; *n_ext gets
 * how many more need a SETUP_E820_EXT node), alt_mem_k/ext_mem_k. */
int bp_fill_base(uint8_t *bp, const uint8_t *kernel, size_t kernel_len,
		 const struct esd_system *sys, const struct esd_e820 *e820, size_t ne820,
		 size_t *n_ext, struct kx_err *err);

/* The e820 handed to a normal kexec: the firmware memmap (spec 6.2). */
int bp_e820_from_memmap(const struct esd_system *sys, struct esd_e820 **out, size_t *n,
			struct kx_err *err);

/* ACPI RSDP: the running boot_params' value, else ACPI20= / ACPI= of systab. */
uint64_t bp_acpi_rsdp(const struct esd_system *sys);

void bp_set_cmdline(uint8_t *bp, uint64_t addr);
void bp_set_initrd(uint8_t *bp, uint64_t addr, uint64_t len);

#endif
