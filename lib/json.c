#include <inttypes.h>

#include "json.h"

void json_init(struct json_writer *w, FILE *f, bool pretty)
{
	w->f = f;
	w->depth = 0;
	w->need_comma[0] = false;
	w->pretty = pretty;
}

static void indent(struct json_writer *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void key(struct json_writer *w, const char *k)
{
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	w->need_comma[w->depth] = true;
	if (w->depth > 0)
		indent(w);
	if (k) {
		put_string(w->f, k);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void open_(struct json_writer *w, const char *k, char c)
{
	key(w, k);
	fputc(c, w->f);
	if (w->depth < 63)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_(struct json_writer *w, char c)
{
	bool had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		indent(w);
	fputc(c, w->f);
}

void json_begin_object(struct json_writer *w, const char *k) { open_(w, k, '{'); }
void json_end_object(struct json_writer *w) { close_(w, '}'); }
void json_begin_array(struct json_writer *w, const char *k) { open_(w, k, '['); }
void json_end_array(struct json_writer *w) { close_(w, ']'); }

void json_str(struct json_writer *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		put_string(w->f, v);
	else
		fputs("null", w->f);
}

void json_u64(struct json_writer *w, const char *k, uint64_t v)
{
	key(w, k);
	fprintf(w->f, "%" PRIu64, v);
}

void json_hex(struct json_writer *w, const char *k, uint64_t v)
{
	key(w, k);
	fprintf(w->f, "\"0x%" PRIx64 "\"", v);
}

void json_i64(struct json_writer *w, const char *k, int64_t v)
{
	key(w, k);
	fprintf(w->f, "%" PRId64, v);
}

void json_bool(struct json_writer *w, const char *k, bool v)
{
	key(w, k);
	fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *k)
{
	key(w, k);
	fputs("null", w->f);
}

void json_end(struct json_writer *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}
