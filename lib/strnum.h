/* strnum.h - strict number parsing for sysfs/procfs values.
 *
 * Sysfs prints "0x%llx\n"; anything else (empty, no 0x, a non-hex digit,
 * more than 64 bits, text after the number other than one newline) is
 * rejected with -EINVAL or -ERANGE, never guessed at. */
#ifndef KX_STRNUM_H
#define KX_STRNUM_H

#include <stddef.h>
#include <stdint.h>

/* "0x1f\n" or "0x1f": required 0x prefix, at least one hex digit, optional
 * single trailing '\n'. -EINVAL on format, -ERANGE on overflow. */
int strnum_hex_u64(const char *s, size_t len, uint64_t *out);

/* Hex digits only (no 0x), as in /proc/iomem; same strictness. */
int strnum_hex_digits_u64(const char *s, size_t len, uint64_t *out);

/* Decimal, e.g. fw_platform_size "64\n"; same strictness. */
int strnum_dec_u64(const char *s, size_t len, uint64_t *out);

/* Accepts 0x-hex, or decimal with optional K/M/G suffix (command-line sizes
 * such as --mem-min=16M or crashkernel=256M). NUL-terminated. */
int strnum_size_u64(const char *s, uint64_t *out);

#endif
