/* cmdline.h - the next kernel's command line. */
#ifndef KX_CMDLINE_H
#define KX_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Remove every word that starts with one of prefixes (e.g. "BOOT_IMAGE=").
 * In place; collapses the spaces left behind. */
void cmdline_strip(char *s, const char *const *prefixes);

/* --reuse-cmdline: the running command line minus what must not carry
 * over: BOOT_IMAGE=, initrd= (the firmware loader's), our purgatory mark,
 * and for a crash kernel crashkernel=. */
void cmdline_reuse_filter(char *s, bool crash);

/* Serial console from console=ttyS0[,baud] / ttyS1 / uart,io,0x3f8[,baud]:
 * port (0 if none) and baud. */
void cmdline_serial(const char *s, uint16_t *port, uint32_t *baud);

/* Is word (e.g. "nokaslr") a whole word of s? */
bool cmdline_has_word(const char *s, const char *word);

#endif
