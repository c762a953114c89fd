/* mkbzimage.h - a synthetic bzImage for loader tests: a valid setup header
 * with the fields a test wants, then payload bytes. */
#ifndef KX_MKBZIMAGE_H
#define KX_MKBZIMAGE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootproto.h"

#define MKBZ_SETUP_SECTS 4u
#define MKBZ_LEN         (64u * 1024u)

/* Fills buf (MKBZ_LEN bytes): 6.x-like header, XLF_EFI_KEXEC unless no_efi_kexec. */
static inline void mkbzimage(uint8_t *buf, int no_efi_kexec)
{
	unsigned i;

	memset(buf, 0, MKBZ_LEN);
	buf[HDR_SETUP_SECTS] = MKBZ_SETUP_SECTS;
	put_le16(buf + HDR_BOOT_FLAG, HDR_BOOT_FLAG_MAGIC);
	buf[HDR_JUMP] = 0xEB;
	buf[HDR_JUMP + 1] = 0x66;              /* header ends at 0x268 */
	put_le32(buf + HDR_HEADER, HDR_MAGIC);
	put_le16(buf + HDR_VERSION, 0x020F);
	buf[HDR_LOADFLAGS] = LOADFLAG_LOADED_HIGH;
	put_le32(buf + HDR_KERNEL_ALIGNMENT, 0x200000);
	buf[HDR_RELOCATABLE_KERNEL] = 1;
	buf[HDR_MIN_ALIGNMENT] = 21;
	put_le16(buf + HDR_XLOADFLAGS, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G | XLF_5LEVEL |
		 (no_efi_kexec ? 0 : XLF_EFI_KEXEC));
	put_le32(buf + HDR_CMDLINE_SIZE, 2047);
	put_le32(buf + HDR_INITRD_ADDR_MAX, 0x7fffffff);
	put_le64(buf + HDR_PREF_ADDRESS, 0x1000000);
	put_le32(buf + HDR_INIT_SIZE, 0x1000000);
	for (i = (MKBZ_SETUP_SECTS + 1) * 512; i < MKBZ_LEN; i++)
		buf[i] = (uint8_t)(i * 7);
}

#endif
