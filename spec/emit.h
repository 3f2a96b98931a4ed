/* Small yajl_gen helpers for the spec/ emitters (config, state, features).  A helper given
 * a NULL string or an empty optional writes nothing, so emitters read like the document. */
#ifndef FOUNDRY_SPEC_EMIT_H
#define FOUNDRY_SPEC_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "spec/config.h"

/* `indent` is used when pretty (runc: two spaces for state, four for features, a tab for spec). */
yajl_gen emit_new(bool pretty, const char *indent);
/* Frees g and returns its output as a NUL-terminated string (with a final newline when pretty). */
char *emit_finish(yajl_gen g, size_t *len);

void emit_key(yajl_gen g, const char *key);
void emit_str(yajl_gen g, const char *s);
void emit_u64(yajl_gen g, uint64_t x);
void emit_i64(yajl_gen g, int64_t x);

/* "[]" and "{}": yajl's beautifier would spread an empty container over three lines. */
void emit_empty_array(yajl_gen g);
void emit_empty_object(yajl_gen g);

void emit_kstr(yajl_gen g, const char *key, const char *s);
void emit_kbool(yajl_gen g, const char *key, bool b);
void emit_ku64(yajl_gen g, const char *key, uint64_t x);
void emit_ki64(yajl_gen g, const char *key, int64_t x);
/* An array of strings; written even when empty (an empty list differs from none). */
void emit_kstrv(yajl_gen g, const char *key, char *const *v, size_t n);
/* A map of strings, written when it has entries. */
void emit_kmap(yajl_gen g, const char *key, const struct spec_kv *kv, size_t n);

#endif
