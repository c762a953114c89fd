/* crc32.c - CRC-32 (reflected 0xEDB88320, init and final ~0) as EFI table
 * headers use it. Bitwise rather than table-driven: it runs over a few
 * hundred bytes of table headers, and a freestanding file with no static
 * table initialisation is simpler for purgatory. */
#include "crc32.h"

uint32_t kx_crc32(const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	uint32_t crc = 0xFFFFFFFFu;
	unsigned k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}
