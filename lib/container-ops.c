/* The operations on an existing container: state, kill, delete, list. */
#include "config.h"

#include "lib/container.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/container-internal.h"
#include "lib/error.h"
#include "lib/hooks.h"
#include "lib/sys.h"
#include "lib/util.h"
#include "spec/state.h"

int container_load(const char *root, const char *id, bool lock, struct loaded_container *lc, struct fy_error **err)
{
	memset(lc, 0, sizeof *lc);
	lc->dirfd = fy_state_dir_open(root, id, lock, err);
	if (lc->dirfd < 0)
		return -1;
	lc->state = fy_state_read(lc->dirfd, err);
	if (lc->state == NULL) {
		/* A create killed before its first state write left an empty directory. */
		fy_error_free(err);
		lc->state = xzalloc(sizeof *lc->state);
		lc->state->id = xstrdup(id);
		lc->status = FY_STATUS_STOPPED;
		return 0;
	}
	if (lc->state->cgroup_path && *lc->state->cgroup_path) {
		lc->cgroup = cgroup_load(NULL, lc->state->cgroup_manager, lc->state->cgroup_path, err);
		if (lc->cgroup == NULL)
			return fy_error_wrap(err, "container \"%s\"", id);
	}
	lc->status = fy_state_status(lc->dirfd, lc->state);
	bool frozen = false;
	if (lc->status == FY_STATUS_RUNNING && lc->cgroup && cgroup_is_frozen(lc->cgroup, &frozen, NULL) == 0 && frozen)
		lc->status = FY_STATUS_PAUSED;
	return 0;
}

void container_unload(struct loaded_container *lc)
{
	if (lc->dirfd >= 0)
		close(lc->dirfd);
	lc->dirfd = -1;
	fy_state_free(lc->state);
	lc->state = NULL;
	cgroup_free(lc->cgroup);
	lc->cgroup = NULL;
}

char *container_oci_state(const struct fy_state *s, enum fy_status status, bool pretty)
{
	struct spec_state st = {
		.oci_version = FY_SPEC_VERSION,
		.id = s->id,
		.status = (char *)fy_status_name(status),
		.pid = status == FY_STATUS_STOPPED ? 0 : s->pid,
		.bundle = s->bundle,
		.rootfs = s->rootfs,
		.created = s->created,
		.owner = s->owner,
		.annotations = s->annotations,
		.n_annotations = s->n_annotations,
	};
	return spec_state_to_json(&st, pretty, NULL);
}

struct spec_config *container_read_snapshot(int dirfd, struct fy_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (fy_read_file_at(dirfd, FY_CONFIG_SNAPSHOT, &text, &len, err) < 0)
		return NULL;
	return spec_config_parse(text, len, "config.json", err);
}

char *container_state_json(const char *root, const char *id, struct fy_error **err)
{
	struct loaded_container lc;

	if (container_load(root, id, false, &lc, err) < 0) {
		container_unload(&lc);
		return NULL;
	}
	char *json = container_oci_state(lc.state, lc.status, true);
	container_unload(&lc);
	return json;
}

int container_parse_signal(const char *name)
{
	long num;

	if (fy_parse_long(name, &num) == 0)
		return num > 0 && num < NSIG ? (int)num : -1;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *abbrev = sigabbrev_np(sig);
		if (abbrev && strcasecmp(abbrev, name) == 0)
			return sig;
	}
	if (strncasecmp(name, "RTMIN+", 6) == 0 && fy_parse_long(name + 6, &num) == 0 && SIGRTMIN + num <= SIGRTMAX)
		return (int)(SIGRTMIN + num);
	if (strncasecmp(name, "RTMAX-", 6) == 0 && fy_parse_long(name + 6, &num) == 0 && SIGRTMAX - num >= SIGRTMIN)
		return (int)(SIGRTMAX - num);
	return -1;
}

/* Signals the init without racing pid reuse: the pidfd is taken, then the start time
 * checked again, so a signal never reaches a process that merely inherited the pid. */
static int signal_init(const struct fy_state *s, int signal, struct fy_error **err)
{
	_cleanup_close_ int pidfd = fy_pidfd_open(s->pid, 0);
	if (pidfd < 0 || !fy_process_alive(s->pid, s->pid_start_time))
		return fy_error_set(err, 0, FY_MSG_NOT_RUNNING);
	if (fy_pidfd_send_signal(pidfd, signal) < 0) {
		if (errno == ESRCH)
			return fy_error_set(err, 0, FY_MSG_NOT_RUNNING);
		return fy_error_sys(err, "send signal %d to container \"%s\"", signal, s->id);
	}
	return 0;
}

int container_kill(const char *root, const char *id, int signal, bool all, struct fy_error **err)
{
	struct loaded_container lc;
	int ret;

	if (container_load(root, id, false, &lc, err) < 0) {
		container_unload(&lc);
		return -1;
	}
	if (lc.status == FY_STATUS_STOPPED)
		ret = fy_error_set(err, 0, FY_MSG_NOT_RUNNING);
	else if (all && lc.cgroup)
		ret = cgroup_kill(lc.cgroup, signal, err);
	else
		ret = signal_init(lc.state, signal, err);
	container_unload(&lc);
	return ret;
}

/* Waits (at most about 10 s) for the init to be gone after SIGKILL. */
static void wait_for_exit(const struct fy_state *s)
{
	for (int i = 0; i < 1000 && fy_process_alive(s->pid, s->pid_start_time); i++) {
		struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int container_destroy(const char *root, struct loaded_container *lc, const struct spec_hooks *hooks,
		      struct fy_error **err)
{
	_cleanup_config_ struct spec_config *snapshot = NULL;
	struct fy_state *s = lc->state;

	if (hooks == NULL && s->has_poststop_hooks) {
		_cleanup_error_ struct fy_error *snap_err = NULL;
		snapshot = container_read_snapshot(lc->dirfd, &snap_err);
		if (snapshot == NULL)
			fy_warn("poststop hooks of \"%s\" skipped: %s", s->id, snap_err->msg);
		else
			hooks = snapshot->hooks;
	}
	fy_debug("container \"%s\": destroying", s->id);
	if (s->pid > 0 && fy_process_alive(s->pid, s->pid_start_time)) {
		signal_init(s, SIGKILL, NULL);
		wait_for_exit(s);
	}
	if (lc->cgroup && cgroup_destroy(lc->cgroup, err) < 0)
		return fy_error_wrap(err, "delete container \"%s\"", s->id);
	if (hooks && hooks->n_stage[SPEC_HOOK_POSTSTOP]) {
		_cleanup_free_ char *json = container_oci_state(s, FY_STATUS_STOPPED, false);
		hooks_run_stage_warn(hooks, SPEC_HOOK_POSTSTOP, json);
	}
	return fy_state_dir_remove(root, s->id, err);
}

int container_delete(const char *root, const char *id, bool force, struct fy_error **err)
{
	struct loaded_container lc;
	int ret = -1;

	if (container_load(root, id, true, &lc, err) < 0) {
		container_unload(&lc);
		return -1;
	}
	if (lc.status != FY_STATUS_STOPPED && !force)
		ret = fy_error_set(err, 0, "cannot delete container \"%s\" that is not stopped: %s", id,
				   fy_status_name(lc.status));
	else
		ret = container_destroy(root, &lc, NULL, err);
	container_unload(&lc);
	return ret;
}

int container_list(const char *root, struct container_summary **list, size_t *n, struct fy_error **err)
{
	_cleanup_strv_ char **ids = fy_state_list_ids(root, err);

	if (ids == NULL)
		return -1;
	*n = 0;
	*list = xzalloc((fy_strv_len(ids) + 1) * sizeof **list);
	for (size_t i = 0; ids[i]; i++) {
		struct loaded_container lc;
		_cleanup_error_ struct fy_error *one = NULL;
		/* A container deleted while we list is simply not listed. */
		if (container_load(root, ids[i], false, &lc, &one) == 0) {
			struct container_summary *c = &(*list)[(*n)++];
			c->id = xstrdup(lc.state->id);
			c->pid = lc.status == FY_STATUS_STOPPED ? 0 : lc.state->pid;
			c->status = xstrdup(fy_status_name(lc.status));
			c->bundle = xstrdup(lc.state->bundle);
			c->created = xstrdup(lc.state->created);
			c->owner = xstrdup(lc.state->owner);
		}
		container_unload(&lc);
	}
	return 0;
}

void container_list_free(struct container_summary *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].id);
		free(list[i].status);
		free(list[i].bundle);
		free(list[i].created);
		free(list[i].owner);
	}
	free(list);
}
