#include <errno.h>
#include <string.h>

#include "strnum.h"

static size_t trim_newline(const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '\n')
		len--;
	return len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int strnum_hex_digits_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	len = trim_newline(s, len);
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int d = hexval(s[i]);

		if (d < 0)
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | (uint64_t)d;
	}
	*out = v;
	return 0;
}

int strnum_hex_u64(const char *s, size_t len, uint64_t *out)
{
	size_t l = trim_newline(s, len);

	if (l < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	/* strnum_hex_digits_u64 trims a newline too: pass it the one we
	 * trimmed (if any) so "0x10\n\n" is not accepted. */
	return strnum_hex_digits_u64(s + 2, len - 2, out);
}

int strnum_dec_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	len = trim_newline(s, len);
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int strnum_size_u64(const char *s, uint64_t *out)
{
	size_t len = strlen(s);
	unsigned shift = 0;
	uint64_t v;
	int r;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return strnum_hex_u64(s, len, out);
	if (len > 0) {
		switch (s[len - 1]) {
		case 'k': case 'K': shift = 10; len--; break;
		case 'm': case 'M': shift = 20; len--; break;
		case 'g': case 'G': shift = 30; len--; break;
		default: break;
		}
	}
	r = strnum_dec_u64(s, len, &v);
	if (r < 0)
		return r;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}
