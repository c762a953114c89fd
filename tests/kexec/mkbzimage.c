/* mkbzimage OUT [no-efi-kexec|truncated|bad-magic] - write a synthetic
 * bzImage for the dry-run CLI tests. */
#include <stdio.h>

#include "mkbzimage.h"

int main(int argc, char **argv)
{
	static uint8_t buf[MKBZ_LEN];
	size_t len = MKBZ_LEN;
	FILE *f;

	if (argc < 2)
		return 2;
	mkbzimage(buf, argc > 2 && !strcmp(argv[2], "no-efi-kexec"));
	if (argc > 2 && !strcmp(argv[2], "truncated"))
		len = 0x230;
	if (argc > 2 && !strcmp(argv[2], "bad-magic"))
		buf[HDR_HEADER] = 'X';
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		return 1;
	return 0;
}
