#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/json.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"

void sj_init(struct spec_json *j, const char *filename, struct fy_error **err)
{
	memset(j, 0, sizeof *j);
	j->filename = filename ? filename : "config.json";
	j->path_cap = 64;
	j->path = xzalloc(j->path_cap);
	j->err = err;
}

void sj_release(struct spec_json *j)
{
	free(j->path);
	j->path = NULL;
}

static void path_append(struct spec_json *j, const char *s)
{
	size_t n = strlen(s);

	if (j->path_len + n + 1 > j->path_cap) {
		j->path_cap = (j->path_len + n + 1) * 2;
		j->path = xrealloc(j->path, j->path_cap);
	}
	memcpy(j->path + j->path_len, s, n + 1);
	j->path_len += n;
}

static bool is_identifier(const char *key)
{
	if (*key == '\0')
		return false;
	for (const char *p = key; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

size_t sj_push_key(struct spec_json *j, const char *key)
{
	size_t mark = j->path_len;

	/* jq's notation: .name for plain keys, ["io.kubernetes.cri.sandbox-id"] for the rest. */
	if (is_identifier(key)) {
		path_append(j, ".");
		path_append(j, key);
	} else {
		_cleanup_free_ char *quoted = xasprintf("[\"%s\"]", key);
		path_append(j, quoted);
	}
	return mark;
}

size_t sj_push_index(struct spec_json *j, size_t index)
{
	size_t mark = j->path_len;
	char buf[32];

	snprintf(buf, sizeof buf, "[%zu]", index);
	path_append(j, buf);
	return mark;
}

void sj_pop(struct spec_json *j, size_t mark)
{
	j->path_len = mark;
	j->path[mark] = '\0';
}

int sj_fail(struct spec_json *j, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (j->path_len == 0)
		return fy_error_set(j->err, 0, "%s: %s", j->filename, msg ? msg : "invalid document");
	return fy_error_set(j->err, 0, "%s: %s: %s", j->filename, j->path, msg ? msg : "invalid value");
}

/* A string is shown quoted (and cut short) when a scalar was expected, so the user sees the
 * value they wrote; when an array or object was expected its kind says enough. */
static char *describe(yajl_val v, bool show_value)
{
	if (v == NULL || YAJL_IS_NULL(v))
		return xstrdup("null");
	if (YAJL_IS_OBJECT(v))
		return xstrdup("an object");
	if (YAJL_IS_ARRAY(v))
		return xstrdup("an array");
	if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v))
		return show_value ? xstrdup(YAJL_IS_TRUE(v) ? "true" : "false") : xstrdup("a boolean");
	if (YAJL_IS_NUMBER(v))
		return show_value ? xstrdup(YAJL_GET_NUMBER(v)) : xstrdup("a number");
	if (!show_value)
		return xstrdup("a string");
	const char *s = YAJL_GET_STRING(v);
	if (strlen(s) > 80)
		return xasprintf("\"%.77s...\"", s);
	return xasprintf("\"%s\"", s);
}

int sj_fail_expected(struct spec_json *j, const char *expected, yajl_val got)
{
	bool compound = strncmp(expected, "an array", 8) == 0 || strncmp(expected, "an object", 9) == 0;
	_cleanup_free_ char *what = describe(got, !compound);

	return sj_fail(j, "expected %s, got %s", expected, what);
}

int sj_fail_member(struct spec_json *j, yajl_val obj, const char *key, const char *expected)
{
	sj_push_key(j, key);
	return sj_fail_expected(j, expected, sj_member(obj, key));
}

static void first_line(char *s)
{
	char *nl = strchr(s, '\n');
	size_t n;

	if (nl)
		*nl = '\0';
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

yajl_val sj_parse_document(struct spec_json *j, const char *json, size_t len)
{
	_cleanup_free_ char *copy = xstrndup(json, len);
	char errbuf[1024] = "";
	yajl_val tree;

	/* yajl_tree_parse reads up to the first NUL: an embedded one would hide the rest. */
	if (strlen(copy) != len) {
		sj_fail(j, "invalid JSON: NUL byte at offset %zu", strlen(copy));
		return NULL;
	}
	tree = yajl_tree_parse(copy, errbuf, sizeof errbuf);
	if (tree == NULL) {
		first_line(errbuf);
		sj_fail(j, "invalid JSON: %s", errbuf[0] ? errbuf : "parse error");
		return NULL;
	}
	if (!YAJL_IS_OBJECT(tree)) {
		sj_fail_expected(j, "an object at the top level", tree);
		yajl_tree_free(tree);
		return NULL;
	}
	return tree;
}

yajl_val sj_member(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++) {
		if (strcmp(obj->u.object.keys[i], key) == 0) {
			yajl_val v = obj->u.object.values[i];
			return YAJL_IS_NULL(v) ? NULL : v;
		}
	}
	return NULL;
}

/* ---- scalar values at the current path --------------------------------------------- */

int sj_value_string(struct spec_json *j, yajl_val v, char **out)
{
	if (!YAJL_IS_STRING(v))
		return sj_fail_expected(j, "a string", v);
	free(*out);
	*out = xstrdup(YAJL_GET_STRING(v));
	return 0;
}

/* yajl keeps the number's text: parse it ourselves so that uint64 values above INT64_MAX
 * and exact range checks work (yajl's own integer is a long long). */
static bool integer_text(yajl_val v)
{
	const char *p;

	if (!YAJL_IS_NUMBER(v))
		return false;
	p = YAJL_GET_NUMBER(v);
	if (*p == '-')
		p++;
	if (*p == '\0')
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	return true;
}

int sj_value_signed(struct spec_json *j, yajl_val v, int64_t min, int64_t max, int64_t *out)
{
	long long x;

	if (!integer_text(v))
		return sj_fail_expected(j, "an integer", v);
	errno = 0;
	x = strtoll(YAJL_GET_NUMBER(v), NULL, 10);
	if (errno == ERANGE || x < min || x > max)
		return sj_fail(j, "expected an integer in %" PRId64 "..%" PRId64 ", got %s", min, max,
			       YAJL_GET_NUMBER(v));
	*out = x;
	return 0;
}

int sj_value_unsigned(struct spec_json *j, yajl_val v, uint64_t max, uint64_t *out)
{
	const char *text;
	unsigned long long x;

	if (!integer_text(v))
		return sj_fail_expected(j, "an integer", v);
	text = YAJL_GET_NUMBER(v);
	errno = 0;
	x = strtoull(text, NULL, 10);
	/* "-0" is zero; any other minus sign is out of range (strtoull would negate it). */
	bool negative = text[0] == '-' && strspn(text + 1, "0") != strlen(text + 1);
	if (negative || errno == ERANGE || x > max)
		return sj_fail(j, "expected an integer in 0..%" PRIu64 ", got %s", max, text);
	*out = x;
	return 0;
}

/* ---- members of an object ------------------------------------------------------------ */

/* Looks up `key`, pushing it onto the path.  Returns 1 when present, 0 when absent and
 * optional, -1 (error set) when absent and required. */
static int member_enter(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *expected,
			yajl_val *v, size_t *mark)
{
	*v = sj_member(obj, key);
	*mark = sj_push_key(j, key);
	if (*v != NULL)
		return 1;
	if (p == SJ_OPTIONAL) {
		sj_pop(j, *mark);
		return 0;
	}
	/* A null in place of a required value is a type error, not a missing property. */
	for (size_t i = 0; YAJL_IS_OBJECT(obj) && i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return sj_fail_expected(j, expected, NULL);
	return sj_fail(j, "required property missing");
}

/* The presence check and path handling shared by every typed member getter. */
#define MEMBER_BEGIN(expected)                                      \
	yajl_val v;                                                 \
	size_t mark;                                                \
	int r_ = member_enter(j, obj, key, p, expected, &v, &mark); \
	if (r_ <= 0)                                                \
	return r_

int sj_object(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, yajl_val *out)
{
	*out = NULL;
	MEMBER_BEGIN("an object");
	if (!YAJL_IS_OBJECT(v))
		return sj_fail_expected(j, "an object", v);
	sj_pop(j, mark);
	*out = v;
	return 0;
}

int sj_array(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, yajl_val *out)
{
	*out = NULL;
	MEMBER_BEGIN("an array");
	if (!YAJL_IS_ARRAY(v))
		return sj_fail_expected(j, "an array", v);
	sj_pop(j, mark);
	*out = v;
	return 0;
}

int sj_string(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, char **out)
{
	MEMBER_BEGIN("a string");
	if (sj_value_string(j, v, out) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

int sj_abs_path(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, char **out)
{
	MEMBER_BEGIN("an absolute path");
	if (!YAJL_IS_STRING(v) || YAJL_GET_STRING(v)[0] != '/')
		return sj_fail_expected(j, "an absolute path", v);
	free(*out);
	*out = xstrdup(YAJL_GET_STRING(v));
	sj_pop(j, mark);
	return 0;
}

int sj_bool(struct spec_json *j, yajl_val obj, const char *key, bool *out, bool *has)
{
	enum sj_presence p = SJ_OPTIONAL;

	if (has)
		*has = false;
	MEMBER_BEGIN("a boolean");
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return sj_fail_expected(j, "a boolean", v);
	*out = YAJL_IS_TRUE(v);
	if (has)
		*has = true;
	sj_pop(j, mark);
	return 0;
}

static int member_unsigned(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint64_t max,
			   uint64_t *out, bool *has)
{
	if (has)
		*has = false;
	MEMBER_BEGIN("an integer");
	if (sj_value_unsigned(j, v, max, out) < 0)
		return -1;
	if (has)
		*has = true;
	sj_pop(j, mark);
	return 1;
}

int sj_i64_range(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int64_t min, int64_t max,
		 int64_t *out, bool *has)
{
	if (has)
		*has = false;
	MEMBER_BEGIN("an integer");
	if (sj_value_signed(j, v, min, max, out) < 0)
		return -1;
	if (has)
		*has = true;
	sj_pop(j, mark);
	return 1;
}

int sj_u16(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint16_t *out, bool *has)
{
	uint64_t x;
	int r = member_unsigned(j, obj, key, p, UINT16_MAX, &x, has);

	if (r > 0)
		*out = (uint16_t)x;
	return r < 0 ? -1 : 0;
}

int sj_u32(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint32_t *out, bool *has)
{
	uint64_t x;
	int r = member_unsigned(j, obj, key, p, UINT32_MAX, &x, has);

	if (r > 0)
		*out = (uint32_t)x;
	return r < 0 ? -1 : 0;
}

int sj_u64(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, uint64_t *out, bool *has)
{
	return member_unsigned(j, obj, key, p, UINT64_MAX, out, has) < 0 ? -1 : 0;
}

int sj_i32(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int32_t *out, bool *has)
{
	int64_t x;
	int r = sj_i64_range(j, obj, key, p, INT32_MIN, INT32_MAX, &x, has);

	if (r > 0)
		*out = (int32_t)x;
	return r < 0 ? -1 : 0;
}

int sj_i64(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, int64_t *out, bool *has)
{
	return sj_i64_range(j, obj, key, p, INT64_MIN, INT64_MAX, out, has) < 0 ? -1 : 0;
}

/* ---- enumerations ------------------------------------------------------------------------ */

static int enum_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int fail_enum(struct spec_json *j, const char *const *names, yajl_val v)
{
	size_t len = 0;

	for (int i = 0; names[i]; i++)
		len += strlen(names[i]) + 2;
	_cleanup_free_ char *expected = xzalloc(len + 16);
	strcpy(expected, "one of ");
	for (int i = 0; names[i]; i++) {
		if (i > 0)
			strcat(expected, ", ");
		strcat(expected, names[i]);
	}
	return sj_fail_expected(j, expected, v);
}

/* The value at the current path must be one of `names`. */
static int value_enum(struct spec_json *j, yajl_val v, const char *const *names, int *out)
{
	int i = YAJL_IS_STRING(v) ? enum_index(names, YAJL_GET_STRING(v)) : -1;

	if (i < 0)
		return fail_enum(j, names, v);
	*out = i;
	return 0;
}

int sj_enum(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names, int *out,
	    bool *has)
{
	if (has)
		*has = false;
	MEMBER_BEGIN("a string");
	if (value_enum(j, v, names, out) < 0)
		return -1;
	if (has)
		*has = true;
	sj_pop(j, mark);
	return 0;
}

int sj_enum_string(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names,
		   char **out)
{
	int i;
	bool has;

	if (sj_enum(j, obj, key, p, names, &i, &has) < 0)
		return -1;
	if (has) {
		free(*out);
		*out = xstrdup(names[i]);
	}
	return 0;
}

/* ---- arrays and maps ----------------------------------------------------------------------- */

int sj_strv(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, const char *const *names,
	    char ***out, size_t *n, bool *has)
{
	if (has)
		*has = false;
	MEMBER_BEGIN("an array of strings");
	if (!YAJL_IS_ARRAY(v))
		return sj_fail_expected(j, "an array of strings", v);
	size_t count = v->u.array.len;
	fy_strv_free(*out);
	*out = xzalloc((count + 1) * sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < count; i++) {
		yajl_val item = v->u.array.values[i];
		size_t m = sj_push_index(j, i);
		int idx;
		if (!YAJL_IS_STRING(item))
			return sj_fail_expected(j, "a string", item);
		if (names && value_enum(j, item, names, &idx) < 0)
			return -1;
		(*out)[i] = xstrdup(YAJL_GET_STRING(item));
		(*n)++;
		sj_pop(j, m);
	}
	if (has)
		*has = true;
	sj_pop(j, mark);
	return 0;
}

int sj_u32v(struct spec_json *j, yajl_val obj, const char *key, uint32_t **out, size_t *n)
{
	enum sj_presence p = SJ_OPTIONAL;

	MEMBER_BEGIN("an array of integers");
	if (!YAJL_IS_ARRAY(v))
		return sj_fail_expected(j, "an array of integers", v);
	free(*out);
	*out = xzalloc((v->u.array.len + 1) * sizeof(uint32_t));
	*n = 0;
	for (size_t i = 0; i < v->u.array.len; i++) {
		size_t m = sj_push_index(j, i);
		uint64_t x;
		if (sj_value_unsigned(j, v->u.array.values[i], UINT32_MAX, &x) < 0)
			return -1;
		(*out)[(*n)++] = (uint32_t)x;
		sj_pop(j, m);
	}
	sj_pop(j, mark);
	return 0;
}

int sj_string_map(struct spec_json *j, yajl_val obj, const char *key, struct spec_kv **out, size_t *n)
{
	enum sj_presence p = SJ_OPTIONAL;

	MEMBER_BEGIN("an object");
	if (!YAJL_IS_OBJECT(v))
		return sj_fail_expected(j, "an object", v);
	spec_kv_free(*out, *n);
	*out = xzalloc((v->u.object.len + 1) * sizeof(struct spec_kv));
	*n = 0;
	for (size_t i = 0; i < v->u.object.len; i++) {
		size_t m = sj_push_key(j, v->u.object.keys[i]);
		yajl_val item = v->u.object.values[i];
		if (!YAJL_IS_STRING(item))
			return sj_fail_expected(j, "a string", item);
		(*out)[*n].key = xstrdup(v->u.object.keys[i]);
		(*out)[*n].value = xstrdup(YAJL_GET_STRING(item));
		(*n)++;
		sj_pop(j, m);
	}
	sj_pop(j, mark);
	return 0;
}

int sj_value_idmapping(struct spec_json *j, yajl_val v, struct spec_id_mapping *out)
{
	if (!YAJL_IS_OBJECT(v))
		return sj_fail_expected(j, "an object", v);
	if (sj_u32(j, v, "containerID", SJ_REQUIRED, &out->container_id, NULL) < 0 ||
	    sj_u32(j, v, "hostID", SJ_REQUIRED, &out->host_id, NULL) < 0 ||
	    sj_u32(j, v, "size", SJ_REQUIRED, &out->size, NULL) < 0)
		return -1;
	return 0;
}

int sj_idmappings(struct spec_json *j, yajl_val obj, const char *key, struct spec_id_mapping **out, size_t *n)
{
	enum sj_presence p = SJ_OPTIONAL;

	MEMBER_BEGIN("an array");
	if (!YAJL_IS_ARRAY(v))
		return sj_fail_expected(j, "an array", v);
	free(*out);
	*out = xzalloc((v->u.array.len + 1) * sizeof(struct spec_id_mapping));
	*n = v->u.array.len;
	for (size_t i = 0; i < v->u.array.len; i++) {
		size_t m = sj_push_index(j, i);
		if (sj_value_idmapping(j, v->u.array.values[i], &(*out)[i]) < 0)
			return -1;
		sj_pop(j, m);
	}
	sj_pop(j, mark);
	return 0;
}

void spec_kv_free(struct spec_kv *kv, size_t n)
{
	for (size_t i = 0; kv && i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

int sj_object_array(struct spec_json *j, yajl_val obj, const char *key, enum sj_presence p, size_t elem_size,
		    sj_item_fn item, void **out, size_t *n)
{
	MEMBER_BEGIN("an array");
	if (!YAJL_IS_ARRAY(v))
		return sj_fail_expected(j, "an array", v);
	*out = xzalloc((v->u.array.len + 1) * elem_size);
	*n = v->u.array.len;
	for (size_t i = 0; i < v->u.array.len; i++) {
		size_t m = sj_push_index(j, i);
		yajl_val it = v->u.array.values[i];
		if (!YAJL_IS_OBJECT(it))
			return sj_fail_expected(j, "an object", it);
		if (item(j, it, (char *)*out + i * elem_size) < 0)
			return -1;
		sj_pop(j, m);
	}
	sj_pop(j, mark);
	return 0;
}

int sj_object_map(struct spec_json *j, yajl_val obj, const char *key, size_t elem_size, sj_entry_fn entry, void **out,
		  size_t *n)
{
	enum sj_presence p = SJ_OPTIONAL;

	MEMBER_BEGIN("an object");
	if (!YAJL_IS_OBJECT(v))
		return sj_fail_expected(j, "an object", v);
	*out = xzalloc((v->u.object.len + 1) * elem_size);
	*n = v->u.object.len;
	for (size_t i = 0; i < v->u.object.len; i++) {
		size_t m = sj_push_key(j, v->u.object.keys[i]);
		yajl_val it = v->u.object.values[i];
		if (!YAJL_IS_OBJECT(it))
			return sj_fail_expected(j, "an object", it);
		if (entry(j, v->u.object.keys[i], it, (char *)*out + i * elem_size) < 0)
			return -1;
		sj_pop(j, m);
	}
	sj_pop(j, mark);
	return 0;
}
