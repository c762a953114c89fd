/* dump.h - printers shared by `dump` on a sysroot and `dump --memory-image`.
 * Text output is an aligned table for people; JSON keys are stable and
 * documented in man/efi-setup-data.8 (section JSON OUTPUT). */
#ifndef ESD_CLI_DUMP_H
#define ESD_CLI_DUMP_H

#include "cli.h"
#include "json.h"

void dp_bp_text(const char *title, const struct bp_decoded *bp);
void dp_bp_json(struct json_writer *w, const struct bp_decoded *bp);

/* with_addr: the chain came from memory, so header addresses are known. */
void dp_chain_text(const char *title, const struct setup_data_chain *c, bool with_addr);
void dp_chain_json(struct json_writer *w, const struct setup_data_chain *c, bool with_addr);

/* `dump --memory-image FILE --phys-base ADDR [--boot-params ADDR] [--json]`. */
int dump_memory_image(const char *file, uint64_t base, uint64_t bp_addr, bool have_bp_addr,
		      bool json);

#endif
