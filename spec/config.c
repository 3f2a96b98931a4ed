/* config.json: the top level, root, mounts, hooks and annotations (config.md); process and
 * linux are parsed in config-process.c and config-linux.c. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/config.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/json.h"

const char *const spec_hook_stage_names[] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop", NULL,
};

const char *const spec_namespace_names[] = {
	"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL,
};

const char *spec_hook_stage_name(enum spec_hook_stage stage)
{
	return (unsigned)stage < SPEC_HOOK_STAGE_COUNT ? spec_hook_stage_names[stage] : NULL;
}

const char *spec_namespace_type_name(enum spec_namespace_type type)
{
	return (unsigned)type < SPEC_NS_COUNT ? spec_namespace_names[type] : NULL;
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int spec_namespace_clone_flag(enum spec_namespace_type type)
{
	static const int flags[SPEC_NS_COUNT] = {
		[SPEC_NS_PID] = CLONE_NEWPID,       [SPEC_NS_NETWORK] = CLONE_NEWNET, [SPEC_NS_MOUNT] = CLONE_NEWNS,
		[SPEC_NS_IPC] = CLONE_NEWIPC,       [SPEC_NS_UTS] = CLONE_NEWUTS,     [SPEC_NS_USER] = CLONE_NEWUSER,
		[SPEC_NS_CGROUP] = CLONE_NEWCGROUP, [SPEC_NS_TIME] = CLONE_NEWTIME,
	};
	return (unsigned)type < SPEC_NS_COUNT ? flags[type] : 0;
}

/* ---- ociVersion, root, mounts ------------------------------------------------------------ */

/* config.md: ociVersion is a SemVer string; Foundry implements 1.x, so any 1.<minor> is
 * accepted (runc writes "1.0.2-dev", podman "1.0.0" or "1.2.0"). */
static bool oci_version_supported(const char *v)
{
	return strncmp(v, "1.", 2) == 0 && v[2] >= '0' && v[2] <= '9';
}

static int parse_oci_version(struct spec_json *j, yajl_val doc, char **out)
{
	if (sj_string(j, doc, "ociVersion", SJ_REQUIRED, out) < 0)
		return -1;
	if (!oci_version_supported(*out))
		return sj_fail_member(j, doc, "ociVersion", "a 1.x version");
	return 0;
}

static int parse_root(struct spec_json *j, yajl_val doc, struct spec_root **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, doc, "root", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "root");
	if (sj_string(j, obj, "path", SJ_REQUIRED, &(*out)->path) < 0 ||
	    sj_bool(j, obj, "readonly", &(*out)->readonly, NULL) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_mount(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_mount *m = elem;

	if (sj_string(j, obj, "destination", SJ_REQUIRED, &m->destination) < 0 ||
	    sj_string(j, obj, "source", SJ_OPTIONAL, &m->source) < 0 ||
	    sj_string(j, obj, "type", SJ_OPTIONAL, &m->type) < 0 ||
	    sj_strv(j, obj, "options", SJ_OPTIONAL, NULL, &m->options, &m->n_options, NULL) < 0 ||
	    sj_idmappings(j, obj, "uidMappings", &m->uid_mappings, &m->n_uid_mappings) < 0 ||
	    sj_idmappings(j, obj, "gidMappings", &m->gid_mappings, &m->n_gid_mappings) < 0)
		return -1;
	return 0;
}

static void mount_free(struct spec_mount *m)
{
	free(m->destination);
	free(m->source);
	free(m->type);
	fy_strv_free(m->options);
	free(m->uid_mappings);
	free(m->gid_mappings);
}

/* ---- hooks ------------------------------------------------------------------------------ */

static int parse_hook(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_hook *h = elem;
	int64_t timeout;

	/* config.md "POSIX-platform Hooks": path is REQUIRED and MUST be absolute; timeout,
	 * when present, MUST be greater than zero. */
	if (sj_abs_path(j, obj, "path", SJ_REQUIRED, &h->path) < 0 ||
	    sj_strv(j, obj, "args", SJ_OPTIONAL, NULL, &h->args, &h->n_args, NULL) < 0 ||
	    sj_strv(j, obj, "env", SJ_OPTIONAL, NULL, &h->env, &h->n_env, NULL) < 0 ||
	    sj_i64_range(j, obj, "timeout", SJ_OPTIONAL, 1, INT32_MAX, &timeout, &h->has_timeout) < 0)
		return -1;
	if (h->has_timeout)
		h->timeout = (int32_t)timeout;
	return 0;
}

static void hook_free(struct spec_hook *h)
{
	free(h->path);
	fy_strv_free(h->args);
	fy_strv_free(h->env);
}

static int parse_hooks(struct spec_json *j, yajl_val doc, struct spec_hooks **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, doc, "hooks", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "hooks");
	for (int s = 0; s < SPEC_HOOK_STAGE_COUNT; s++)
		if (sj_object_array(j, obj, spec_hook_stage_names[s], SJ_OPTIONAL, sizeof(struct spec_hook), parse_hook,
				    (void **)&(*out)->stage[s], &(*out)->n_stage[s]) < 0)
			return -1;
	sj_pop(j, mark);
	return 0;
}

static void hooks_free(struct spec_hooks *hooks)
{
	if (hooks == NULL)
		return;
	for (int s = 0; s < SPEC_HOOK_STAGE_COUNT; s++) {
		for (size_t i = 0; i < hooks->n_stage[s]; i++)
			hook_free(&hooks->stage[s][i]);
		free(hooks->stage[s]);
	}
	free(hooks);
}

/* ---- the document ------------------------------------------------------------------------- */

static int parse_document(struct spec_json *j, yajl_val doc, struct spec_config *c)
{
	if (parse_oci_version(j, doc, &c->oci_version) < 0 || parse_root(j, doc, &c->root) < 0 ||
	    sj_object_array(j, doc, "mounts", SJ_OPTIONAL, sizeof(struct spec_mount), parse_mount, (void **)&c->mounts,
			    &c->n_mounts) < 0 ||
	    spec_process_parse(j, doc, &c->process) < 0 ||
	    sj_string(j, doc, "hostname", SJ_OPTIONAL, &c->hostname) < 0 ||
	    sj_string(j, doc, "domainname", SJ_OPTIONAL, &c->domainname) < 0 || parse_hooks(j, doc, &c->hooks) < 0 ||
	    sj_string_map(j, doc, "annotations", &c->annotations, &c->n_annotations) < 0 ||
	    spec_linux_parse(j, doc, &c->linux_) < 0)
		return -1;
	return 0;
}

struct spec_config *spec_config_parse(const char *json, size_t len, const char *filename, struct fy_error **err)
{
	_cleanup_config_ struct spec_config *config = NULL;
	struct spec_config *ret;
	struct spec_json j;
	yajl_val doc;
	int r;

	sj_init(&j, filename, err);
	doc = sj_parse_document(&j, json, len);
	if (doc == NULL) {
		sj_release(&j);
		return NULL;
	}
	config = xzalloc(sizeof *config);
	r = parse_document(&j, doc, config);
	yajl_tree_free(doc);
	sj_release(&j);
	if (r < 0)
		return NULL;
	ret = config;
	config = NULL;
	return ret;
}

struct spec_config *spec_config_load(const char *bundle, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/config.json", bundle);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;

	if (fy_read_file(path, &data, &len, err) < 0) {
		fy_error_wrap(err, "load the bundle's configuration");
		return NULL;
	}
	return spec_config_parse(data, len, "config.json", err);
}

void spec_config_free(struct spec_config *c)
{
	if (c == NULL)
		return;
	free(c->oci_version);
	if (c->root)
		free(c->root->path);
	free(c->root);
	for (size_t i = 0; i < c->n_mounts; i++)
		mount_free(&c->mounts[i]);
	free(c->mounts);
	spec_process_free(c->process);
	free(c->hostname);
	free(c->domainname);
	hooks_free(c->hooks);
	spec_kv_free(c->annotations, c->n_annotations);
	spec_linux_free(c->linux_);
	free(c);
}

void spec_config_freep(struct spec_config **config)
{
	spec_config_free(*config);
	*config = NULL;
}

const struct spec_namespace *spec_config_namespace(const struct spec_config *config, enum spec_namespace_type type)
{
	if (config == NULL || config->linux_ == NULL)
		return NULL;
	for (size_t i = 0; i < config->linux_->n_namespaces; i++)
		if (config->linux_->namespaces[i].type == type)
			return &config->linux_->namespaces[i];
	return NULL;
}

const char *spec_config_annotation(const struct spec_config *config, const char *key)
{
	if (config == NULL)
		return NULL;
	for (size_t i = 0; i < config->n_annotations; i++)
		if (strcmp(config->annotations[i].key, key) == 0)
			return config->annotations[i].value;
	return NULL;
}
