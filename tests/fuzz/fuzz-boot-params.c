/* fuzz-boot-params.c - the boot_params decoder, the efi_info decoder and
 * the descriptor-array decoder. The input is a boot_params page (any
 * length: short pages must be refused, not read past); when it is long
 * enough, the bytes after it are decoded as the descriptor array with the
 * stride and version the page's efi_info claims. */
#include <stdlib.h>

#include "esd.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bp_decoded bp;
	struct kx_err err = { 0 };
	int r;

	r = esd_boot_params_decode(data, size, "fuzz", &bp, &err);
	if ((r == 0) != (size >= BP_SIZE && data[BP_E820_ENTRIES] <= BP_E820_MAX))
		abort();   /* the contract in esd.h */
	if (r < 0 && err.code == 0)
		abort();
	if (r == 0) {
		struct runtime_map m = { NULL, 0 };
		struct efi_info ei;

		esd_efi_info_decode(data + BP_EFI_INFO, &ei);
		if (ei.loader_signature != bp.efi.loader_signature || ei.systab != bp.efi.systab)
			abort();
		if (esd_memmap_decode(data + BP_SIZE, size - BP_SIZE, ei.memdesc_size,
				      ei.memdesc_version, &m, NULL) == 0) {
			if (ei.memdesc_size && m.n > (size - BP_SIZE) / ei.memdesc_size)
				abort();
			esd_runtime_map_free(&m);
		}
	}
	return 0;
}
