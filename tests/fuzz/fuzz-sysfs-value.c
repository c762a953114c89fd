/* fuzz-sysfs-value.c - the sysfs/procfs value parsers: strict numbers
 * (strnum), /sys/firmware/efi/systab lines and /proc/iomem.
 * Byte 0 picks the parser, the rest is the file content, passed with its
 * exact length (no NUL) so any read past the end is an ASan report. */
#include <stdlib.h>
#include <string.h>

#include "esd.h"
#include "fuzz.h"
#include "strnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t len;
	uint64_t v;

	if (size < 1)
		return 0;
	s = (const char *)data + 1;
	len = size - 1;
	switch (data[0] % 6) {
	case 0:
		if (strnum_hex_u64(s, len, &v) == 0 && len == 0)
			abort();   /* empty input must never parse */
		break;
	case 1:
		(void)strnum_dec_u64(s, len, &v);
		break;
	case 2:
		(void)strnum_hex_digits_u64(s, len, &v);
		break;
	case 3: {
		struct systab_entry tab[16];
		size_t n = 0;

		if (esd_parse_systab(s, len, "systab", tab, 16, &n, NULL) == 0 && n > 16)
			abort();
		break;
	}
	case 4: {
		struct iomem io = { NULL, 0 };

		if (esd_parse_iomem(s, len, "iomem", &io, NULL) == 0) {
			size_t i;

			for (i = 0; i < io.n; i++)   /* parent links must stay in range */
				if (io.e[i].parent >= (int)io.n || io.e[i].parent >= (int)i)
					abort();
			esd_iomem_free(&io);
		}
		break;
	}
	case 5: {
		/* strnum_size_u64 wants a C string. */
		char *z = malloc(len + 1);

		if (!z)
			return 0;
		memcpy(z, s, len);
		z[len] = '\0';
		(void)strnum_size_u64(z, &v);
		free(z);
		break;
	}
	}
	return 0;
}
