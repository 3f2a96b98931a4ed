/* spec_config_to_json: the C structs back to config.json, in runc's key order, so that
 * `foundry spec` writes what `runc spec` writes and parse(emit(x)) gives x back.
 * Booleans that default to false are left out when false, as runc's omitempty does. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/emit.h"

static void emit_user(yajl_gen g, const struct spec_user *u)
{
	emit_key(g, "user");
	yajl_gen_map_open(g);
	emit_ku64(g, "uid", u->uid);
	emit_ku64(g, "gid", u->gid);
	if (u->has_umask)
		emit_ku64(g, "umask", u->umask);
	if (u->additional_gids) {
		emit_key(g, "additionalGids");
		if (u->n_additional_gids == 0)
			emit_empty_array(g);
		else
			yajl_gen_array_open(g);
		for (size_t i = 0; i < u->n_additional_gids; i++)
			emit_u64(g, u->additional_gids[i]);
		if (u->n_additional_gids > 0)
			yajl_gen_array_close(g);
	}
	emit_kstr(g, "username", u->username);
	yajl_gen_map_close(g);
}

static void emit_capabilities(yajl_gen g, const struct spec_capabilities *c)
{
	if (c == NULL)
		return;
	emit_key(g, "capabilities");
	yajl_gen_map_open(g);
	if (c->has_bounding)
		emit_kstrv(g, "bounding", c->bounding, c->n_bounding);
	if (c->has_effective)
		emit_kstrv(g, "effective", c->effective, c->n_effective);
	if (c->has_inheritable)
		emit_kstrv(g, "inheritable", c->inheritable, c->n_inheritable);
	if (c->has_permitted)
		emit_kstrv(g, "permitted", c->permitted, c->n_permitted);
	if (c->has_ambient)
		emit_kstrv(g, "ambient", c->ambient, c->n_ambient);
	yajl_gen_map_close(g);
}

static void emit_rlimits(yajl_gen g, const struct spec_process *p)
{
	if (p->rlimits == NULL)
		return;
	emit_key(g, "rlimits");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < p->n_rlimits; i++) {
		yajl_gen_map_open(g);
		emit_kstr(g, "type", p->rlimits[i].type);
		emit_ku64(g, "hard", p->rlimits[i].hard);
		emit_ku64(g, "soft", p->rlimits[i].soft);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_scheduler(yajl_gen g, const struct spec_scheduler *s)
{
	if (s == NULL)
		return;
	emit_key(g, "scheduler");
	yajl_gen_map_open(g);
	emit_kstr(g, "policy", s->policy);
	if (s->has_nice)
		emit_ki64(g, "nice", s->nice);
	if (s->has_priority)
		emit_ki64(g, "priority", s->priority);
	if (s->flags)
		emit_kstrv(g, "flags", s->flags, s->n_flags);
	if (s->has_runtime)
		emit_ku64(g, "runtime", s->runtime);
	if (s->has_deadline)
		emit_ku64(g, "deadline", s->deadline);
	if (s->has_period)
		emit_ku64(g, "period", s->period);
	yajl_gen_map_close(g);
}

static void emit_process_extras(yajl_gen g, const struct spec_process *p)
{
	if (p->io_priority) {
		emit_key(g, "ioPriority");
		yajl_gen_map_open(g);
		emit_kstr(g, "class", p->io_priority->class_);
		emit_ki64(g, "priority", p->io_priority->priority);
		yajl_gen_map_close(g);
	}
	if (p->exec_cpu_affinity) {
		emit_key(g, "execCPUAffinity");
		yajl_gen_map_open(g);
		emit_kstr(g, "initial", p->exec_cpu_affinity->initial);
		emit_kstr(g, "final", p->exec_cpu_affinity->final);
		yajl_gen_map_close(g);
	}
}

static void emit_process(yajl_gen g, const struct spec_process *p)
{
	if (p == NULL)
		return;
	emit_key(g, "process");
	yajl_gen_map_open(g);
	if (p->terminal)
		emit_kbool(g, "terminal", true);
	if (p->console_size) {
		emit_key(g, "consoleSize");
		yajl_gen_map_open(g);
		emit_ku64(g, "height", p->console_size->height);
		emit_ku64(g, "width", p->console_size->width);
		yajl_gen_map_close(g);
	}
	emit_user(g, &p->user);
	if (p->args)
		emit_kstrv(g, "args", p->args, p->n_args);
	emit_kstr(g, "commandLine", p->command_line);
	if (p->env)
		emit_kstrv(g, "env", p->env, p->n_env);
	emit_kstr(g, "cwd", p->cwd);
	emit_capabilities(g, p->capabilities);
	emit_rlimits(g, p);
	if (p->no_new_privileges)
		emit_kbool(g, "noNewPrivileges", true);
	emit_kstr(g, "apparmorProfile", p->apparmor_profile);
	if (p->has_oom_score_adj)
		emit_ki64(g, "oomScoreAdj", p->oom_score_adj);
	emit_scheduler(g, p->scheduler);
	emit_kstr(g, "selinuxLabel", p->selinux_label);
	emit_process_extras(g, p);
	yajl_gen_map_close(g);
}

void spec_emit_idmappings(yajl_gen g, const char *key, const struct spec_id_mapping *m, size_t n)
{
	if (m == NULL)
		return;
	emit_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		yajl_gen_map_open(g);
		emit_ku64(g, "containerID", m[i].container_id);
		emit_ku64(g, "hostID", m[i].host_id);
		emit_ku64(g, "size", m[i].size);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_mounts(yajl_gen g, const struct spec_config *c)
{
	if (c->mounts == NULL)
		return;
	emit_key(g, "mounts");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct spec_mount *m = &c->mounts[i];
		yajl_gen_map_open(g);
		emit_kstr(g, "destination", m->destination);
		emit_kstr(g, "type", m->type);
		emit_kstr(g, "source", m->source);
		if (m->options)
			emit_kstrv(g, "options", m->options, m->n_options);
		spec_emit_idmappings(g, "uidMappings", m->uid_mappings, m->n_uid_mappings);
		spec_emit_idmappings(g, "gidMappings", m->gid_mappings, m->n_gid_mappings);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void emit_hooks(yajl_gen g, const struct spec_hooks *hooks)
{
	if (hooks == NULL)
		return;
	emit_key(g, "hooks");
	yajl_gen_map_open(g);
	for (int s = 0; s < SPEC_HOOK_STAGE_COUNT; s++) {
		if (hooks->stage[s] == NULL)
			continue;
		emit_key(g, spec_hook_stage_names[s]);
		yajl_gen_array_open(g);
		for (size_t i = 0; i < hooks->n_stage[s]; i++) {
			const struct spec_hook *h = &hooks->stage[s][i];
			yajl_gen_map_open(g);
			emit_kstr(g, "path", h->path);
			if (h->args)
				emit_kstrv(g, "args", h->args, h->n_args);
			if (h->env)
				emit_kstrv(g, "env", h->env, h->n_env);
			if (h->has_timeout)
				emit_ki64(g, "timeout", h->timeout);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
}

char *spec_config_to_json(const struct spec_config *c, bool pretty, size_t *len)
{
	/* `runc spec` indents with a tab. */
	yajl_gen g = emit_new(pretty, "\t");

	yajl_gen_map_open(g);
	emit_kstr(g, "ociVersion", c->oci_version);
	emit_process(g, c->process);
	if (c->root) {
		emit_key(g, "root");
		yajl_gen_map_open(g);
		emit_kstr(g, "path", c->root->path);
		if (c->root->readonly)
			emit_kbool(g, "readonly", true);
		yajl_gen_map_close(g);
	}
	emit_kstr(g, "hostname", c->hostname);
	emit_kstr(g, "domainname", c->domainname);
	emit_mounts(g, c);
	emit_hooks(g, c->hooks);
	emit_kmap(g, "annotations", c->annotations, c->n_annotations);
	spec_emit_linux(g, c->linux_);
	yajl_gen_map_close(g);
	return emit_finish(g, len);
}

int spec_config_write_new(const char *bundle, const struct spec_config *c, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/config.json", bundle ? bundle : ".");
	_cleanup_free_ char *json = NULL;
	_cleanup_close_ int fd = -1;
	size_t len;

	/* O_EXCL: never overwrite a config someone wrote, even one that appears meanwhile. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST)
		return fy_error_set(err, 0, "File config.json exists. Remove it first");
	if (fd < 0)
		return fy_error_sys(err, "create \"%s\"", path);
	json = spec_config_to_json(c, true, &len);
	if (fy_write_all(fd, json, len) < 0) {
		int saved = errno;
		unlink(path);
		return fy_error_set(err, saved, "write \"%s\"", path);
	}
	return 0;
}
