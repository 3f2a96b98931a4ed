/* pause, resume, update, ps, events: the container operations that are cgroup work. */
#include "config.h"

#include "lib/container.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/cgroup.h"
#include "lib/container-internal.h"
#include "lib/error.h"
#include "lib/util.h"

/* Loads id (locked when it will change) and checks it has a cgroup. */
static int load(const char *root, const char *id, bool lock, struct loaded_container *lc, struct fy_error **err)
{
	if (container_load(root, id, lock, lc, err) < 0)
		return -1;
	if (lc->status == FY_STATUS_STOPPED)
		return fy_error_set(err, 0, FY_MSG_NOT_RUNNING);
	if (lc->cgroup == NULL)
		return fy_error_set(err, ENOTSUP, "container \"%s\" has no cgroup (cgroup manager disabled)", id);
	return 0;
}

int container_pause(const char *root, const char *id, struct fy_error **err)
{
	struct loaded_container lc;
	int r = load(root, id, true, &lc, err);

	if (r == 0 && lc.status != FY_STATUS_RUNNING && lc.status != FY_STATUS_CREATED)
		r = fy_error_set(err, 0, FY_MSG_NOT_RUNNING);
	if (r == 0 && cgroup_freeze(lc.cgroup, true, err) < 0)
		r = fy_error_wrap(err, "pause container \"%s\"", id);
	container_unload(&lc);
	return r;
}

int container_resume(const char *root, const char *id, struct fy_error **err)
{
	struct loaded_container lc;
	bool frozen = false;
	int r = load(root, id, true, &lc, err);

	/* container_load reports paused only for a running init; a paused created
	 * container is found by asking the freezer directly. */
	if (r == 0 && cgroup_is_frozen(lc.cgroup, &frozen, err) < 0)
		r = -1;
	if (r == 0 && !frozen)
		r = fy_error_set(err, 0, "container not paused");
	if (r == 0 && cgroup_freeze(lc.cgroup, false, err) < 0)
		r = fy_error_wrap(err, "resume container \"%s\"", id);
	container_unload(&lc);
	return r;
}

int container_update(const char *root, const char *id, const struct spec_resources *res, struct fy_error **err)
{
	struct loaded_container lc;
	int r = load(root, id, true, &lc, err);

	if (r == 0 && cgroup_update(lc.cgroup, res, err) < 0)
		r = fy_error_wrap(err, "update container \"%s\"", id);
	container_unload(&lc);
	return r;
}

int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct fy_error **err)
{
	struct loaded_container lc;
	int r = load(root, id, false, &lc, err);

	*pids = NULL;
	*n = 0;
	if (r == 0 && cgroup_pids(lc.cgroup, pids, n, err) < 0)
		r = fy_error_wrap(err, "list the processes of container \"%s\"", id);
	container_unload(&lc);
	return r;
}

static int emit_stats(struct fy_cgroup *cg, const char *id, container_event_fn emit, void *arg, struct fy_error **err)
{
	_cleanup_free_ char *data = cgroup_stats_json(cg, err);
	if (data == NULL)
		return fy_error_wrap(err, "statistics of container \"%s\"", id);
	_cleanup_free_ char *json = xasprintf("{\"type\":\"stats\",\"id\":\"%s\",\"data\":%s}", id, data);
	return emit(json, arg) < 0 ? -1 : 0;
}

static int emit_ooms(struct fy_cgroup *cg, const char *id, container_event_fn emit, void *arg, struct fy_error **err)
{
	_cleanup_free_ char *json = xasprintf("{\"type\":\"oom\",\"id\":\"%s\"}", id);
	uint64_t kills = 0;

	if (cgroup_oom_event_read(cg, &kills, err) < 0)
		return -1;
	for (uint64_t i = 0; i < kills; i++)
		if (emit(json, arg) < 0)
			return -1;
	return 0;
}

static bool still_running(const char *root, const char *id)
{
	struct loaded_container lc;
	_cleanup_error_ struct fy_error *e = NULL;
	bool alive = container_load(root, id, false, &lc, &e) == 0 && lc.status != FY_STATUS_STOPPED;

	container_unload(&lc);
	return alive;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int container_events(const char *root, const char *id, unsigned interval_ms, bool stats_once, container_event_fn emit,
		     void *arg, struct fy_error **err)
{
	struct loaded_container lc;
	int r = load(root, id, false, &lc, err);
	int oom_fd = -1;

	if (r == 0 && stats_once)
		r = emit_stats(lc.cgroup, id, emit, arg, err);
	if (r < 0 || stats_once) {
		container_unload(&lc);
		return r;
	}
	/* OOM events are best effort: without a memory controller only stats flow. */
	_cleanup_error_ struct fy_error *oom_err = NULL;
	oom_fd = cgroup_oom_event_fd(lc.cgroup, &oom_err);
	if (oom_fd < 0)
		fy_debug("events: no OOM notification: %s", oom_err->msg);
	long long next = now_ms();
	while (r == 0) {
		struct pollfd p = { .fd = oom_fd, .events = POLLIN };
		long long wait = next - now_ms();
		bool stopped = false;
		int n = 0;
		if (wait <= 0) {
			stopped = !still_running(root, id);
			if (!stopped) {
				r = emit_stats(lc.cgroup, id, emit, arg, err);
				next = now_ms() + (interval_ms ? interval_ms : 5000);
			}
		} else {
			n = poll(&p, oom_fd >= 0 ? 1 : 0, (int)(wait > 1000 ? 1000 : wait));
			if (n < 0 && errno != EINTR)
				r = fy_error_sys(err, "events: poll");
			else if (n == 0)
				stopped = !still_running(root, id);
		}
		/* An OOM kill usually stops the container: report it before leaving. */
		if (r == 0 && oom_fd >= 0 && (n > 0 || stopped))
			r = emit_ooms(lc.cgroup, id, emit, arg, err);
		if (stopped)
			break;
	}
	container_unload(&lc);
	return r;
}
