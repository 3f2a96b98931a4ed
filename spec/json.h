/* Typed getters over a yajl tree that produce Foundry's parse errors.
 *
 * Every getter knows the JSON path of the value it reads, so a bad document is reported
 * as the file, the path and what was expected (design.md, "Errors and exit codes"):
 *   config.json: .process.args: expected an array of strings, got a string
 *   config.json: .linux.resources.memory.limit: expected an integer, got "1G"
 *   config.json: .mounts[2].destination: required property missing
 *
 * A JSON null is treated as an absent optional property (Go runtimes write `null` for nil
 * slices and maps) and as a type error for a required one.  Getters return 0 when the value
 * was read or was optional and absent, and -1 with the error set otherwise.
 */
#ifndef FOUNDRY_SPEC_JSON_H
#define FOUNDRY_SPEC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

#include "spec/config.h"

struct fy_error;

struct spec_json {
	const char *filename; /* names the document in errors: "config.json" */
	char *path;           /* the path being read: ".linux.namespaces[0]" */
	size_t path_len;
	size_t path_cap;
	struct fy_error **err;
};

enum sj_presence { SJ_OPTIONAL, SJ_REQUIRED };

void sj_init(struct spec_json *j, const char *filename, struct fy_error **err);
void sj_release(struct spec_json *j);

/* Parses a whole document; its top level must be an object.  yajl's message is kept to
 * its first line: "config.json: invalid JSON: parse error: premature EOF". */
yajl_val sj_parse_document(struct spec_json *j, const char *json, size_t len);

/* The path grows as the walk descends; a push returns a mark that pop restores. */
size_t sj_push_key(struct spec_json *j, const char *key);
size_t sj_push_index(struct spec_json *j, size_t index);
void sj_pop(struct spec_json *j, size_t mark);

/* "<file>: <path>: <message>" (the path is left out when empty). */
int sj_fail(struct spec_json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "<file>: <path>: expected <expected>, got <what v is>". */
int sj_fail_expected(struct spec_json *j, const char *expected, yajl_val got);

/* The same, for the member `key` of obj (pushed onto the path): for checks made after the
 * typed read, e.g. a pattern the value must match. */
int sj_fail_member(struct spec_json *j, yajl_val obj, const char *key, const char *expected);

/* The member `key` of an object; NULL when absent or null. */
yajl_val sj_member(yajl_val obj, const char *key);

/* Values at the current path. */
int sj_value_string(struct spec_json *j, yajl_val v, char **out);
int sj_value_signed(struct spec_json *j, yajl_val v, int64_t min, int64_t max, int64_t *out);
int sj_value_unsigned(struct spec_json *j, yajl_val v, uint64_t max, uint64_t *out);
int sj_value_idmapping(struct spec_json *j, yajl_val v, struct spec_id_mapping *out);

/* Members of an object.  `has` may be NULL; it is set to whether the member was there. */
int sj_object(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, yajl_val *out);
int sj_array(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, yajl_val *out);
int sj_string(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, char **out);
int sj_abs_path(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, char **out);
int sj_bool(struct spec_json *j, yajl_val obj, const char *key, bool *out, bool *has);
int sj_u16(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint16_t *out, bool *has);
int sj_u32(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint32_t *out, bool *has);
int sj_u64(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint64_t *out, bool *has);
int sj_i32(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int32_t *out, bool *has);
int sj_i64(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int64_t *out, bool *has);
/* An integer in [min, max]: "expected an integer in 1..2147483647, got 0". */
int sj_i64_range(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int64_t min, int64_t max,
		 int64_t *out, bool *has);
/* A string that must be one of `names` (NULL-terminated); *out is its index. */
int sj_enum(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names, int *out,
	    bool *has);
/* Same, keeping the string itself. */
int sj_enum_string(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names,
		   char **out);
/* An array of strings: "expected an array of strings, got a string".  When `names` is not
 * NULL every element must be one of them. */
int sj_strv(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names,
	    char ***out, size_t *n, bool *has);
int sj_u32v(struct spec_json *j, yajl_val obj, const char *key, uint32_t **out, size_t *n);
/* A map of strings (annotations, sysctl, unified), in document order. */
int sj_string_map(struct spec_json *j, yajl_val obj, const char *key, struct spec_kv **out, size_t *n);
int sj_idmappings(struct spec_json *j, yajl_val obj, const char *key, struct spec_id_mapping **out, size_t *n);

/* An array of objects: allocates *n zeroed elements of elem_size (so a free function can
 * run over a half-filled array) and calls `item` for each with the path at "[i]". */
typedef int (*sj_item_fn)(struct spec_json *j, yajl_val item, void *elem);
int sj_object_array(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, size_t elem_size,
		    sj_item_fn item, void **out, size_t *n);
/* A map of objects (linux.netDevices, resources.rdma): `item` gets the key as well. */
typedef int (*sj_entry_fn)(struct spec_json *j, const char *key, yajl_val item, void *elem);
int sj_object_map(struct spec_json *j, yajl_val obj, const char *key, size_t elem_size, sj_entry_fn entry, void **out,
		  size_t *n);

/* Frees helpers shared by the section parsers. */
void spec_kv_free(struct spec_kv *kv, size_t n);

#endif
