/* fuzz-image.c - the bzImage setup-header parser (esd_image_parse): any
 * file, any length; a success must describe fields inside the file. */
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct esd_image img;
	struct kx_err err = { 0 };

	if (esd_image_parse(data, size, "fuzz", &img, &err) == 0) {
		if (img.file_size != size || img.hdr_end > size)
			abort();
		if (strnlen(img.kernel_version, sizeof(img.kernel_version)) == sizeof(img.kernel_version))
			abort();   /* must be NUL-terminated */
	} else if (err.code == 0) {
		abort();
	}
	return 0;
}
