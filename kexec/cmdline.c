#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

void cmdline_strip(char *s, const char *const *prefixes)
{
	char *out = s, *p = s;

	while (*p) {
		char *w, *e;
		size_t n;
		bool drop = false;
		const char *const *pre;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		w = p;
		/* a quoted value keeps its spaces */
		for (e = p; *e && *e != ' ' && *e != '\t' && *e != '\n'; e++) {
			if (*e == '"') {
				char *q = strchr(e + 1, '"');

				if (!q)
					break;
				e = q;
			}
		}
		n = (size_t)(e - w);
		for (pre = prefixes; *pre; pre++)
			if (strncmp(w, *pre, strlen(*pre)) == 0)
				drop = true;
		if (!drop) {
			if (out != s)
				*out++ = ' ';
			memmove(out, w, n);
			out += n;
		}
		p = e;
	}
	*out = '\0';
}

void cmdline_reuse_filter(char *s, bool crash)
{
	static const char *const normal[] = { "BOOT_IMAGE=", "initrd=", "kexec_efi.purgatory=", NULL };
	static const char *const kdump[] = { "BOOT_IMAGE=", "initrd=", "kexec_efi.purgatory=",
					     "crashkernel=", NULL };

	cmdline_strip(s, crash ? kdump : normal);
}

bool cmdline_has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p = s;

	while ((p = strstr(p, word)) != NULL) {
		bool start = p == s || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == '=' || p[n] == '\n';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

void cmdline_serial(const char *s, uint16_t *port, uint32_t *baud)
{
	const char *p = s;

	*port = 0;
	*baud = 115200;
	while ((p = strstr(p, "console=")) != NULL) {
		const char *v = p + 8;

		if (p == s || p[-1] == ' ') {
			if (strncmp(v, "ttyS", 4) == 0 && v[4] >= '0' && v[4] <= '3') {
				static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };

				*port = ports[v[4] - '0'];
				if (v[5] == ',')
					*baud = (uint32_t)strtoul(v + 6, NULL, 10);
			} else if (strncmp(v, "uart,io,", 8) == 0 || strncmp(v, "uart8250,io,", 12) == 0) {
				char *e;

				v = strchr(v, ',') + 4;
				*port = (uint16_t)strtoul(v, &e, 16);
				if (*e == ',')
					*baud = (uint32_t)strtoul(e + 1, NULL, 10);
			}
		}
		p = v;
	}
	if (*baud == 0 || *baud > 115200)
		*baud = 115200;
}
