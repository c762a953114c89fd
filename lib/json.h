/* json.h - a small streaming JSON writer for the tools' --json output and
 * the dry-run plan. Tools own the FILE*; library code never uses this. */
#ifndef KX_JSON_H
#define KX_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer {
	FILE *f;
	int depth;
	bool need_comma[64];
	bool pretty;
};

void json_init(struct json_writer *w, FILE *f, bool pretty);
void json_begin_object(struct json_writer *w, const char *key);  /* key NULL inside arrays / at top */
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
void json_str(struct json_writer *w, const char *key, const char *v);
void json_u64(struct json_writer *w, const char *key, uint64_t v);
void json_hex(struct json_writer *w, const char *key, uint64_t v);   /* "0x..." string */
void json_i64(struct json_writer *w, const char *key, int64_t v);
void json_bool(struct json_writer *w, const char *key, bool v);
void json_null(struct json_writer *w, const char *key);
void json_end(struct json_writer *w);   /* final newline */

#endif
