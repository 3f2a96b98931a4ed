#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/emit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

yajl_gen emit_new(bool pretty, const char *indent)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g == NULL)
		abort();
	if (pretty) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, indent);
	}
	return g;
}

char *emit_finish(yajl_gen g, size_t *len)
{
	const unsigned char *buf;
	size_t n;
	char *out;

	yajl_gen_get_buf(g, &buf, &n);
	out = xmalloc(n + 2);
	memcpy(out, buf, n);
	/* yajl's beautifier already ends the document with a newline. */
	out[n] = '\0';
	if (len)
		*len = n;
	yajl_gen_free(g);
	return out;
}

void emit_key(yajl_gen g, const char *key)
{
	yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

void emit_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

void emit_u64(yajl_gen g, uint64_t x)
{
	char buf[32];

	/* yajl_gen_integer takes a long long: go through the text for the top half of uint64. */
	snprintf(buf, sizeof buf, "%" PRIu64, x);
	yajl_gen_number(g, buf, strlen(buf));
}

void emit_i64(yajl_gen g, int64_t x)
{
	yajl_gen_integer(g, (long long)x);
}

/* yajl_gen_number writes its text verbatim as one value, with the separators and
 * indentation of a value: the one way to get a compact empty container out of yajl. */
void emit_empty_array(yajl_gen g)
{
	yajl_gen_number(g, "[]", 2);
}

void emit_empty_object(yajl_gen g)
{
	yajl_gen_number(g, "{}", 2);
}

void emit_kstr(yajl_gen g, const char *key, const char *s)
{
	if (s == NULL)
		return;
	emit_key(g, key);
	emit_str(g, s);
}

void emit_kbool(yajl_gen g, const char *key, bool b)
{
	emit_key(g, key);
	yajl_gen_bool(g, b);
}

void emit_ku64(yajl_gen g, const char *key, uint64_t x)
{
	emit_key(g, key);
	emit_u64(g, x);
}

void emit_ki64(yajl_gen g, const char *key, int64_t x)
{
	emit_key(g, key);
	emit_i64(g, x);
}

void emit_kstrv(yajl_gen g, const char *key, char *const *v, size_t n)
{
	emit_key(g, key);
	if (n == 0) {
		emit_empty_array(g);
		return;
	}
	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++)
		emit_str(g, v[i]);
	yajl_gen_array_close(g);
}

void emit_kmap(yajl_gen g, const char *key, const struct spec_kv *kv, size_t n)
{
	if (n == 0)
		return;
	emit_key(g, key);
	yajl_gen_map_open(g);
	for (size_t i = 0; i < n; i++)
		emit_kstr(g, kv[i].key, kv[i].value);
	yajl_gen_map_close(g);
}
