/* config.md "Process" and its Linux parts (capabilities, rlimits, scheduler, ioPriority,
 * execCPUAffinity). */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/json.h"

static const char *const scheduler_policy_names[] = {
	"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE", NULL,
};

static const char *const scheduler_flag_names[] = {
	"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",        "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
	"SCHED_FLAG_KEEP_PARAMS",   "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX", NULL,
};

static const char *const io_priority_class_names[] = {
	"IOPRIO_CLASS_RT",
	"IOPRIO_CLASS_BE",
	"IOPRIO_CLASS_IDLE",
	NULL,
};

static int parse_user(struct spec_json *j, yajl_val process, struct spec_user *u)
{
	yajl_val obj;
	size_t mark;

	/* config.md "User": uid and gid are REQUIRED on POSIX platforms. */
	if (sj_object(j, process, "user", SJ_REQUIRED, &obj) < 0)
		return -1;
	mark = sj_push_key(j, "user");
	if (sj_u32(j, obj, "uid", SJ_REQUIRED, &u->uid, NULL) < 0 ||
	    sj_u32(j, obj, "gid", SJ_REQUIRED, &u->gid, NULL) < 0 ||
	    sj_u32(j, obj, "umask", SJ_OPTIONAL, &u->umask, &u->has_umask) < 0 ||
	    sj_u32v(j, obj, "additionalGids", &u->additional_gids, &u->n_additional_gids) < 0 ||
	    sj_string(j, obj, "username", SJ_OPTIONAL, &u->username) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_console_size(struct spec_json *j, yajl_val process, struct spec_console_size **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, process, "consoleSize", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "consoleSize");
	if (sj_u32(j, obj, "height", SJ_REQUIRED, &(*out)->height, NULL) < 0 ||
	    sj_u32(j, obj, "width", SJ_REQUIRED, &(*out)->width, NULL) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_capabilities(struct spec_json *j, yajl_val process, struct spec_capabilities **out)
{
	struct spec_capabilities *c;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, process, "capabilities", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	c = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "capabilities");
	if (sj_strv(j, obj, "bounding", SJ_OPTIONAL, NULL, &c->bounding, &c->n_bounding, &c->has_bounding) < 0 ||
	    sj_strv(j, obj, "effective", SJ_OPTIONAL, NULL, &c->effective, &c->n_effective, &c->has_effective) < 0 ||
	    sj_strv(j, obj, "inheritable", SJ_OPTIONAL, NULL, &c->inheritable, &c->n_inheritable, &c->has_inheritable) <
		0 ||
	    sj_strv(j, obj, "permitted", SJ_OPTIONAL, NULL, &c->permitted, &c->n_permitted, &c->has_permitted) < 0 ||
	    sj_strv(j, obj, "ambient", SJ_OPTIONAL, NULL, &c->ambient, &c->n_ambient, &c->has_ambient) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

/* config.md "POSIX process": type matches ^RLIMIT_[A-Z]+$. */
static bool rlimit_type_valid(const char *type)
{
	if (strncmp(type, "RLIMIT_", 7) != 0 || type[7] == '\0')
		return false;
	for (const char *p = type + 7; *p; p++)
		if (*p < 'A' || *p > 'Z')
			return false;
	return true;
}

static int parse_rlimit(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_rlimit *r = elem;

	if (sj_string(j, obj, "type", SJ_REQUIRED, &r->type) < 0)
		return -1;
	if (!rlimit_type_valid(r->type))
		return sj_fail_member(j, obj, "type", "a name matching RLIMIT_[A-Z]+");
	if (sj_u64(j, obj, "soft", SJ_REQUIRED, &r->soft, NULL) < 0 ||
	    sj_u64(j, obj, "hard", SJ_REQUIRED, &r->hard, NULL) < 0)
		return -1;
	return 0;
}

static int parse_scheduler(struct spec_json *j, yajl_val process, struct spec_scheduler **out)
{
	struct spec_scheduler *s;
	yajl_val obj;
	size_t mark;

	if (sj_object(j, process, "scheduler", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	s = *out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "scheduler");
	if (sj_enum_string(j, obj, "policy", SJ_REQUIRED, scheduler_policy_names, &s->policy) < 0 ||
	    sj_i32(j, obj, "nice", SJ_OPTIONAL, &s->nice, &s->has_nice) < 0 ||
	    sj_i32(j, obj, "priority", SJ_OPTIONAL, &s->priority, &s->has_priority) < 0 ||
	    sj_strv(j, obj, "flags", SJ_OPTIONAL, scheduler_flag_names, &s->flags, &s->n_flags, NULL) < 0 ||
	    sj_u64(j, obj, "runtime", SJ_OPTIONAL, &s->runtime, &s->has_runtime) < 0 ||
	    sj_u64(j, obj, "deadline", SJ_OPTIONAL, &s->deadline, &s->has_deadline) < 0 ||
	    sj_u64(j, obj, "period", SJ_OPTIONAL, &s->period, &s->has_period) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_io_priority(struct spec_json *j, yajl_val process, struct spec_io_priority **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, process, "ioPriority", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "ioPriority");
	if (sj_enum_string(j, obj, "class", SJ_REQUIRED, io_priority_class_names, &(*out)->class_) < 0 ||
	    sj_i32(j, obj, "priority", SJ_OPTIONAL, &(*out)->priority, NULL) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_exec_cpu_affinity(struct spec_json *j, yajl_val process, struct spec_exec_cpu_affinity **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, process, "execCPUAffinity", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "execCPUAffinity");
	if (sj_string(j, obj, "initial", SJ_OPTIONAL, &(*out)->initial) < 0 ||
	    sj_string(j, obj, "final", SJ_OPTIONAL, &(*out)->final) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static int parse_process_body(struct spec_json *j, yajl_val obj, struct spec_process *p)
{
	int32_t oom;

	/* config.md "Process": cwd is REQUIRED and MUST be an absolute path. */
	if (sj_bool(j, obj, "terminal", &p->terminal, NULL) < 0 || parse_console_size(j, obj, &p->console_size) < 0 ||
	    sj_abs_path(j, obj, "cwd", SJ_REQUIRED, &p->cwd) < 0 || parse_user(j, obj, &p->user) < 0 ||
	    sj_strv(j, obj, "args", SJ_OPTIONAL, NULL, &p->args, &p->n_args, NULL) < 0 ||
	    sj_string(j, obj, "commandLine", SJ_OPTIONAL, &p->command_line) < 0 ||
	    sj_strv(j, obj, "env", SJ_OPTIONAL, NULL, &p->env, &p->n_env, NULL) < 0 ||
	    parse_capabilities(j, obj, &p->capabilities) < 0 ||
	    sj_object_array(j, obj, "rlimits", SJ_OPTIONAL, sizeof(struct spec_rlimit), parse_rlimit,
			    (void **)&p->rlimits, &p->n_rlimits) < 0 ||
	    sj_bool(j, obj, "noNewPrivileges", &p->no_new_privileges, NULL) < 0 ||
	    sj_string(j, obj, "apparmorProfile", SJ_OPTIONAL, &p->apparmor_profile) < 0 ||
	    sj_i32(j, obj, "oomScoreAdj", SJ_OPTIONAL, &oom, &p->has_oom_score_adj) < 0 ||
	    parse_scheduler(j, obj, &p->scheduler) < 0 ||
	    sj_string(j, obj, "selinuxLabel", SJ_OPTIONAL, &p->selinux_label) < 0 ||
	    parse_io_priority(j, obj, &p->io_priority) < 0 ||
	    parse_exec_cpu_affinity(j, obj, &p->exec_cpu_affinity) < 0)
		return -1;
	if (p->has_oom_score_adj)
		p->oom_score_adj = oom;
	return 0;
}

int spec_process_parse(struct spec_json *j, yajl_val parent, struct spec_process **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, parent, "process", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "process");
	if (parse_process_body(j, obj, *out) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

static void capabilities_free(struct spec_capabilities *c)
{
	if (c == NULL)
		return;
	fy_strv_free(c->bounding);
	fy_strv_free(c->effective);
	fy_strv_free(c->inheritable);
	fy_strv_free(c->permitted);
	fy_strv_free(c->ambient);
	free(c);
}

static void scheduler_free(struct spec_scheduler *s)
{
	if (s == NULL)
		return;
	free(s->policy);
	fy_strv_free(s->flags);
	free(s);
}

void spec_process_free(struct spec_process *p)
{
	if (p == NULL)
		return;
	free(p->console_size);
	free(p->user.additional_gids);
	free(p->user.username);
	fy_strv_free(p->args);
	free(p->command_line);
	fy_strv_free(p->env);
	free(p->cwd);
	capabilities_free(p->capabilities);
	for (size_t i = 0; i < p->n_rlimits; i++)
		free(p->rlimits[i].type);
	free(p->rlimits);
	free(p->apparmor_profile);
	scheduler_free(p->scheduler);
	free(p->selinux_label);
	if (p->io_priority)
		free(p->io_priority->class_);
	free(p->io_priority);
	if (p->exec_cpu_affinity) {
		free(p->exec_cpu_affinity->initial);
		free(p->exec_cpu_affinity->final);
	}
	free(p->exec_cpu_affinity);
	free(p);
}
