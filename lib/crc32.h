/* crc32.h - the CRC32 of EFI table headers (IEEE 802.3, reflected, as the
 * UEFI spec's CalculateCrc32). Freestanding. */
#ifndef KX_CRC32_H
#define KX_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t kx_crc32(const void *data, size_t len);

#endif
