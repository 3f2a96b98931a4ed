/* runtime.md "State": the document `foundry state` prints and hooks read on stdin. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/state.h"

#include <stdlib.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/emit.h"
#include "spec/json.h"

/* state-schema.json's statuses, and runc's "paused" that podman and containerd read. */
static const char *const state_status_names[] = { "creating", "created", "running", "stopped", "paused", NULL };

char *spec_state_to_json(const struct spec_state *s, bool pretty, size_t *len)
{
	/* runc's `state` is json.MarshalIndent(..., "", "  "): two spaces, in this key order. */
	yajl_gen g = emit_new(pretty, "  ");

	yajl_gen_map_open(g);
	emit_kstr(g, "ociVersion", s->oci_version ? s->oci_version : FY_SPEC_VERSION);
	emit_kstr(g, "id", s->id ? s->id : "");
	if (s->pid > 0)
		emit_ki64(g, "pid", s->pid);
	emit_kstr(g, "status", s->status ? s->status : "");
	emit_kstr(g, "bundle", s->bundle ? s->bundle : "");
	emit_kstr(g, "rootfs", s->rootfs);
	emit_kstr(g, "created", s->created);
	emit_kstr(g, "owner", s->owner);
	emit_kmap(g, "annotations", s->annotations, s->n_annotations);
	yajl_gen_map_close(g);
	return emit_finish(g, len);
}

static int parse_state_body(struct spec_json *j, yajl_val doc, struct spec_state *s)
{
	int64_t pid = 0;

	if (sj_string(j, doc, "ociVersion", SJ_REQUIRED, &s->oci_version) < 0 ||
	    sj_string(j, doc, "id", SJ_REQUIRED, &s->id) < 0 ||
	    sj_enum_string(j, doc, "status", SJ_REQUIRED, state_status_names, &s->status) < 0 ||
	    sj_i64_range(j, doc, "pid", SJ_OPTIONAL, 0, INT32_MAX, &pid, NULL) < 0 ||
	    sj_string(j, doc, "bundle", SJ_REQUIRED, &s->bundle) < 0 ||
	    sj_string(j, doc, "rootfs", SJ_OPTIONAL, &s->rootfs) < 0 ||
	    sj_string(j, doc, "created", SJ_OPTIONAL, &s->created) < 0 ||
	    sj_string(j, doc, "owner", SJ_OPTIONAL, &s->owner) < 0 ||
	    sj_string_map(j, doc, "annotations", &s->annotations, &s->n_annotations) < 0)
		return -1;
	s->pid = (pid_t)pid;
	return 0;
}

struct spec_state *spec_state_parse(const char *json, size_t len, struct fy_error **err)
{
	struct spec_state *s;
	struct spec_json j;
	yajl_val doc;
	int r;

	sj_init(&j, "state", err);
	doc = sj_parse_document(&j, json, len);
	if (doc == NULL) {
		sj_release(&j);
		return NULL;
	}
	s = xzalloc(sizeof *s);
	r = parse_state_body(&j, doc, s);
	yajl_tree_free(doc);
	sj_release(&j);
	if (r < 0) {
		spec_state_free(s);
		return NULL;
	}
	return s;
}

void spec_state_free(struct spec_state *s)
{
	if (s == NULL)
		return;
	free(s->oci_version);
	free(s->id);
	free(s->status);
	free(s->bundle);
	free(s->rootfs);
	free(s->created);
	free(s->owner);
	spec_kv_free(s->annotations, s->n_annotations);
	free(s);
}
