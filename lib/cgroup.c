/* The cgroup manager front (see cgroup.h): host layout, the handle, and the operations
 * that only depend on where each controller lives (cgroup_placement), so that a hybrid
 * host is just a v1 host whose hugetlb, freezer or devices may live on the v2 side. */
#include "config.h"

#include "lib/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "lib/cgroup-device-bpf.h"
#include "lib/cgroup-internal.h"
#include "lib/cgroup-path.h"
#include "lib/error.h"
#include "lib/util.h"

const char *cgroup_layout_name(enum cgroup_layout layout)
{
	switch (layout) {
	case CGROUP_LAYOUT_V1: return "v1";
	case CGROUP_LAYOUT_V2: return "v2";
	case CGROUP_LAYOUT_HYBRID: return "hybrid";
	default: return "none";
	}
}

static bool has_v1_controller(const char *fs_root)
{
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++) {
		const char *name = cgroup_controller_v1_name(c);
		if (name == NULL)
			continue;
		_cleanup_free_ char *dir = xasprintf("%s/%s", fs_root, name);
		if (cgroup_fs_exists(dir, "cgroup.procs"))
			return true;
	}
	return false;
}

static enum cgroup_layout probe_layout(const char *fs_root)
{
	_cleanup_free_ char *unified = xasprintf("%s/unified", fs_root);

	/* Files, not statfs magic: the same probe works on a temp dir in unit tests. */
	if (cgroup_fs_exists(fs_root, "cgroup.controllers"))
		return CGROUP_LAYOUT_V2;
	if (cgroup_fs_exists(unified, "cgroup.controllers"))
		return CGROUP_LAYOUT_HYBRID;
	if (has_v1_controller(fs_root))
		return CGROUP_LAYOUT_V1;
	return CGROUP_LAYOUT_NONE;
}

enum cgroup_layout cgroup_detect_layout(const char *fs_root)
{
	/* Probe cache: the host layout does not change under a running command. */
	static char *cached_root;
	static enum cgroup_layout cached;

	if (fs_root == NULL)
		fs_root = CGROUP_FS_ROOT;
	if (cached_root == NULL || strcmp(cached_root, fs_root) != 0) {
		free(cached_root);
		cached_root = xstrdup(fs_root);
		cached = probe_layout(fs_root);
	}
	return cached;
}

static void place_v2_controllers(const char *dir, struct cgroup_placement *out)
{
	_cleanup_free_ char *list = cgroup_fs_read(dir, "cgroup.controllers");

	for (char *save = NULL, *tok = list ? strtok_r(list, " \n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		int c = cgroup_controller_from_v2_name(tok);
		if (c >= 0 && out->where[c] == CG_ABSENT)
			out->where[c] = CG_V2;
	}
	out->where[CG_CORE] = CG_V2;
	/* v2 has no devices or freezer controller: a BPF program and cgroup.freeze. */
	if (out->where[CG_DEVICES] == CG_ABSENT)
		out->where[CG_DEVICES] = CG_V2;
	if (out->where[CG_FREEZER] == CG_ABSENT)
		out->where[CG_FREEZER] = CG_V2;
}

int cgroup_probe_placement(const char *fs_root, enum cgroup_layout layout, struct cgroup_placement *out)
{
	*out = (struct cgroup_placement){ 0 };
	if (layout == CGROUP_LAYOUT_V2) {
		place_v2_controllers(fs_root, out);
		return 0;
	}
	if (layout == CGROUP_LAYOUT_NONE)
		return 0;
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++) {
		const char *name = cgroup_controller_v1_name(c);
		if (name == NULL)
			continue;
		_cleanup_free_ char *dir = xasprintf("%s/%s", fs_root, name);
		if (cgroup_fs_exists(dir, "cgroup.procs"))
			out->where[c] = CG_V1;
	}
	if (layout == CGROUP_LAYOUT_HYBRID) {
		/* A controller that is not mounted as v1 may be bound to the v2 hierarchy
		 * (hugetlb on this kind of host). */
		_cleanup_free_ char *unified = xasprintf("%s/unified", fs_root);
		place_v2_controllers(unified, out);
	}
	return 0;
}

/* ---- the handle ------------------------------------------------------------------- */

static void add_v1_dir(struct fy_cgroup *cg, const char *mount, const char *dir)
{
	char real[PATH_MAX];
	const char *key = realpath(mount, real) ? real : mount;

	/* cpu and cpuacct (net_cls and net_prio) are often one mount with two names. */
	for (size_t i = 0; i < cg->n_v1_dirs; i++) {
		char other[PATH_MAX];
		_cleanup_free_ char *other_mount = xstrndup(cg->v1_dirs[i], strlen(cg->v1_dirs[i]) - strlen(cg->path));
		if (realpath(other_mount, other) && strcmp(other, key) == 0)
			return;
	}
	cg->v1_dirs = xrealloc(cg->v1_dirs, (cg->n_v1_dirs + 1) * sizeof(char *));
	cg->v1_dirs[cg->n_v1_dirs++] = xstrdup(dir);
}

static struct fy_cgroup *cgroup_new(const char *fs_root, const char *manager, const char *path,
				    enum cgroup_layout layout)
{
	struct fy_cgroup *cg = xzalloc(sizeof(*cg));

	cg->fs_root = xstrdup(fs_root);
	cg->manager = xstrdup(manager);
	cg->path = xstrdup(path);
	cg->layout = layout;
	cg->unified_fd = -1;
	cg->oom_fd = -1;
	cg->oom_control_fd = -1;
	if (strcmp(manager, "disabled") == 0 || layout == CGROUP_LAYOUT_NONE) {
		cg->ops = &cgroup_backend_none;
		return cg;
	}
	cgroup_probe_placement(fs_root, layout, &cg->placement);
	if (layout == CGROUP_LAYOUT_V2)
		cg->unified = xasprintf("%s%s", fs_root, path);
	else if (layout == CGROUP_LAYOUT_HYBRID)
		cg->unified = xasprintf("%s/unified%s", fs_root, path);
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++) {
		if (cg->placement.where[c] == CG_V2) {
			cg->dirs[c] = xstrdup(cg->unified);
		} else if (cg->placement.where[c] == CG_V1) {
			_cleanup_free_ char *mount = xasprintf("%s/%s", fs_root, cgroup_controller_v1_name(c));
			cg->dirs[c] = xasprintf("%s%s", mount, path);
			add_v1_dir(cg, mount, cg->dirs[c]);
		}
	}
	cg->ops = layout == CGROUP_LAYOUT_V2 ? &cgroup_backend_v2 : &cgroup_backend_v1;
	return cg;
}

void cgroup_free(struct fy_cgroup *cg)
{
	if (cg == NULL)
		return;
	for (int c = 0; c < CG_CONTROLLER_COUNT; c++)
		free(cg->dirs[c]);
	for (size_t i = 0; i < cg->n_v1_dirs; i++)
		free(cg->v1_dirs[i]);
	for (size_t i = 0; i < cg->n_created; i++)
		free(cg->created[i]);
	if (cg->unified_fd >= 0)
		close(cg->unified_fd);
	if (cg->oom_fd >= 0)
		close(cg->oom_fd);
	if (cg->oom_control_fd >= 0)
		close(cg->oom_control_fd);
	free(cg->v1_dirs);
	free(cg->created);
	free(cg->unified);
	free(cg->fs_root);
	free(cg->manager);
	free(cg->path);
	free(cg);
}

void cgroup_freep(struct fy_cgroup **cg)
{
	cgroup_free(*cg);
	*cg = NULL;
}

const char *cgroup_manager_name(const struct fy_cgroup *cg)
{
	return cg->manager;
}

const char *cgroup_path(const struct fy_cgroup *cg)
{
	return cg->path;
}

enum cgroup_layout cgroup_layout_of(const struct fy_cgroup *cg)
{
	return cg->layout;
}

int cgroup_clone_fd(const struct fy_cgroup *cg)
{
	return cg->unified_fd;
}

static const char *manager_or_default(const char *manager)
{
	return manager && *manager ? manager : "cgroupfs";
}

static void open_clone_fd(struct fy_cgroup *cg)
{
	/* Only on pure v2: with v1 controllers the child must still be moved by pid. */
	if (cg->layout == CGROUP_LAYOUT_V2 && cg->unified)
		cg->unified_fd = open(cg->unified, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Removes the directories a failed create made, innermost first. */
static void rollback(struct fy_cgroup *cg)
{
	for (size_t i = cg->n_created; i-- > 0;)
		rmdir(cg->created[i]);
}

struct fy_cgroup *cgroup_create(const struct cgroup_config *cfg, struct fy_error **err)
{
	const char *fs_root = cfg->fs_root ? cfg->fs_root : CGROUP_FS_ROOT;
	const char *manager = manager_or_default(cfg->manager);
	struct cgroup_plan plan = { 0 };
	_cleanup_free_ char *path = NULL;
	_cleanup_cgroup_ struct fy_cgroup *cg = NULL;
	enum cgroup_layout layout;
	int r;

	if (strcmp(manager, "disabled") == 0)
		return cgroup_new(fs_root, manager, "", CGROUP_LAYOUT_NONE);
	if (strcmp(manager, "cgroupfs") != 0 && strcmp(manager, "systemd") != 0) {
		fy_error_set(err, 0, "unknown cgroup manager \"%s\" (expected cgroupfs, systemd or disabled)", manager);
		return NULL;
	}
	path = cgroup_path_resolve(manager, cfg->id, cfg->cgroups_path, err);
	if (path == NULL)
		return NULL;
	if (strcmp(manager, "systemd") == 0)
		fy_warn("the systemd cgroup manager is not available: using the equivalent cgroupfs path %s", path);
	layout = cfg->force_layout ? cfg->layout : cgroup_detect_layout(fs_root);
	if (layout == CGROUP_LAYOUT_NONE) {
		fy_error_set(err, ENOENT, "create cgroup %s: no cgroup file system under %s", path, fs_root);
		return NULL;
	}
	cg = cgroup_new(fs_root, manager, path, layout);
	if (cgroup_plan_build(cfg->resources, &cg->placement, cfg->devices, cfg->n_devices, &plan, err) < 0) {
		fy_error_wrap(err, "create cgroup %s", path);
		return NULL;
	}
	r = cg->ops->create(cg, err);
	if (r == 0)
		r = cgroup_apply_plan(cg, &plan, err);
	cgroup_plan_clear(&plan);
	if (r < 0) {
		rollback(cg);
		fy_error_wrap(err, "create cgroup %s", path);
		return NULL;
	}
	open_clone_fd(cg);
	struct fy_cgroup *ret = cg;
	cg = NULL;
	return ret;
}

struct fy_cgroup *cgroup_load(const char *fs_root, const char *manager, const char *path, struct fy_error **err)
{
	struct fy_cgroup *cg;

	if (fs_root == NULL)
		fs_root = CGROUP_FS_ROOT;
	manager = manager_or_default(manager);
	if (strcmp(manager, "disabled") == 0)
		return cgroup_new(fs_root, manager, "", CGROUP_LAYOUT_NONE);
	if (path == NULL || path[0] != '/' || strcmp(path, "/") == 0 || strstr(path, "/../") ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
		fy_error_set(err, EINVAL, "load cgroup: invalid recorded path \"%s\"", path ? path : "");
		return NULL;
	}
	cg = cgroup_new(fs_root, manager, path, cgroup_detect_layout(fs_root));
	open_clone_fd(cg);
	return cg;
}

/* ---- applying a plan --------------------------------------------------------------- */

static int apply_write(struct fy_cgroup *cg, const struct cgroup_write *w, struct fy_error **err)
{
	const char *dir = cg->dirs[w->controller];

	if (dir == NULL)
		return fy_error_set(err, 0, "%s: no cgroup directory for %s", w->resource, w->file);
	if ((w->flags & CG_WRITE_OPTIONAL) && !cgroup_fs_exists(dir, w->file)) {
		fy_warn("%s: %s/%s does not exist on this kernel, ignored", w->resource, dir, w->file);
		return 0;
	}
	if (cgroup_fs_write(dir, w->file, w->value, err) < 0)
		return fy_error_wrap(err, "%s", w->resource);
	return 0;
}

int cgroup_apply_plan(struct fy_cgroup *cg, const struct cgroup_plan *plan, struct fy_error **err)
{
	for (size_t i = 0; i < plan->n_writes; i++) {
		const struct cgroup_write *w = &plan->writes[i];
		const struct cgroup_write *next = i + 1 < plan->n_writes ? &plan->writes[i + 1] : NULL;
		/* v1 wants memory.memsw >= memory.limit after every write: when raising both,
		 * memsw must go first (EINVAL otherwise). */
		if (next && strcmp(w->file, "memory.limit_in_bytes") == 0 &&
		    strcmp(next->file, "memory.memsw.limit_in_bytes") == 0) {
			_cleanup_error_ struct fy_error *first = NULL;
			if (apply_write(cg, w, &first) == 0)
				continue;
			if (first->errnum != EINVAL || apply_write(cg, next, err) < 0 || apply_write(cg, w, err) < 0) {
				if (*err == NULL) {
					*err = first;
					first = NULL;
				}
				return -1;
			}
			i++;
			continue;
		}
		if (apply_write(cg, w, err) < 0)
			return -1;
	}
	if (plan->has_devices && cg->placement.where[CG_DEVICES] == CG_V2) {
		struct cgroup_device_prog prog;
		int r;
		cgroup_device_prog_compile(plan->devices, plan->n_devices, &prog);
		r = cgroup_device_prog_attach(cg->dirs[CG_DEVICES], &prog, err);
		cgroup_device_prog_clear(&prog);
		if (r < 0)
			return fy_error_wrap(err, "linux.resources.devices");
	}
	return 0;
}

/* ---- operations ---------------------------------------------------------------------- */

int cgroup_enter(struct fy_cgroup *cg, pid_t pid, struct fy_error **err)
{
	if (cg->ops->enter(cg, pid, err) < 0)
		return fy_error_wrap(err, "move process %d into cgroup %s", (int)pid, cg->path);
	return 0;
}

int cgroup_is_frozen(struct fy_cgroup *cg, bool *frozen, struct fy_error **err)
{
	switch (cg->placement.where[CG_FREEZER]) {
	case CG_V1: return cgroup_fs_is_frozen_v1(cg->dirs[CG_FREEZER], frozen, err);
	case CG_V2: return cgroup_fs_is_frozen_v2(cg->dirs[CG_FREEZER], frozen, err);
	default:
		*frozen = false;
		return fy_error_set(err, ENOTSUP, "cgroup %s: no freezer on this host (manager %s)", cg->path,
				    cg->manager);
	}
}

int cgroup_freeze(struct fy_cgroup *cg, bool frozen, struct fy_error **err)
{
	switch (cg->placement.where[CG_FREEZER]) {
	case CG_V1: return cgroup_fs_freeze_v1(cg->dirs[CG_FREEZER], frozen, err);
	case CG_V2: return cgroup_fs_freeze_v2(cg->dirs[CG_FREEZER], frozen, err);
	default:
		return fy_error_set(err, ENOTSUP, "%s cgroup %s: no freezer on this host (manager %s)",
				    frozen ? "freeze" : "thaw", cg->path, cg->manager);
	}
}

int cgroup_pids(struct fy_cgroup *cg, pid_t **pids, size_t *n, struct fy_error **err)
{
	const char *dir = cg->ops->procs_dir(cg);

	*pids = NULL;
	*n = 0;
	if (dir == NULL)
		return fy_error_set(err, ENOTSUP, "list the processes of the container: cgroup manager %s",
				    cg->manager);
	return cgroup_fs_read_pids(dir, pids, n, err);
}

static int signal_all(struct fy_cgroup *cg, int signal, size_t *signalled, struct fy_error **err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;

	if (cgroup_pids(cg, &pids, &n, err) < 0)
		return -1;
	*signalled = 0;
	for (size_t i = 0; i < n; i++) {
		if (kill(pids[i], signal) == 0)
			(*signalled)++;
		else if (errno != ESRCH)
			return fy_error_sys(err, "send signal %d to process %d of cgroup %s", signal, (int)pids[i],
					    cg->path);
	}
	return 0;
}

int cgroup_kill(struct fy_cgroup *cg, int signal, struct fy_error **err)
{
	bool was_frozen = false, froze = false;
	size_t n;
	int r;

	if (cg->ops->procs_dir(cg) == NULL)
		return fy_error_set(err, ENOTSUP, "kill all processes: cgroup manager %s", cg->manager);
	/* cgroup.kill (5.14+) kills atomically, new forks included. */
	if (signal == SIGKILL && cg->placement.where[CG_CORE] == CG_V2 && cg->layout == CGROUP_LAYOUT_V2 &&
	    cgroup_fs_exists(cg->unified, "cgroup.kill"))
		return cgroup_fs_write(cg->unified, "cgroup.kill", "1", err);
	/* Otherwise freeze, so that nothing forks between listing and signalling. */
	if (cg->placement.where[CG_FREEZER] != CG_ABSENT && cgroup_is_frozen(cg, &was_frozen, NULL) == 0 && !was_frozen)
		froze = cgroup_freeze(cg, true, NULL) == 0;
	r = signal_all(cg, signal, &n, err);
	/* A frozen task only acts on a fatal signal once thawed (v1). */
	if (froze || (was_frozen && signal == SIGKILL))
		cgroup_freeze(cg, false, NULL);
	return r;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int cgroup_destroy(struct fy_cgroup *cg, struct fy_error **err)
{
	const char *dir = cg->ops->procs_dir(cg);
	bool frozen = false;

	if (dir && access(dir, F_OK) == 0) {
		if (cg->placement.where[CG_FREEZER] != CG_ABSENT && cgroup_is_frozen(cg, &frozen, NULL) == 0 && frozen)
			cgroup_freeze(cg, false, NULL);
		/* Processes may fork while we kill: repeat until the cgroup is empty. */
		for (int attempt = 0; attempt < 500; attempt++) {
			_cleanup_error_ struct fy_error *e = NULL;
			_cleanup_free_ pid_t *pids = NULL;
			size_t n = 0;
			if (cgroup_pids(cg, &pids, &n, &e) < 0 || n == 0)
				break;
			if (attempt % 50 == 0)
				cgroup_kill(cg, SIGKILL, NULL);
			sleep_ms(10);
		}
	}
	if (cg->ops->remove(cg, err) < 0)
		return fy_error_wrap(err, "delete cgroup %s", cg->path);
	return 0;
}

int cgroup_update(struct fy_cgroup *cg, const struct spec_resources *res, struct fy_error **err)
{
	struct spec_resources copy;
	struct cgroup_plan plan;
	int r;

	if (res == NULL)
		return 0;
	if (cg->ops == &cgroup_backend_none)
		return fy_error_set(err, ENOTSUP, "update cgroup: the cgroup manager is disabled");
	/* Device rules are fixed at create (as with runc update): a new list without the
	 * container's own device nodes would cut it off from them. */
	copy = *res;
	copy.devices = NULL;
	copy.n_devices = 0;
	if (res->memory && res->memory->has_check_before_update && res->memory->check_before_update &&
	    res->memory->has_limit && res->memory->limit > 0 && cg->dirs[CG_MEMORY]) {
		uint64_t usage = 0;
		const char *file = cg->placement.where[CG_MEMORY] == CG_V2 ? "memory.current" : "memory.usage_in_bytes";
		if (cgroup_fs_read_u64(cg->dirs[CG_MEMORY], file, &usage) == 0 && usage > (uint64_t)res->memory->limit)
			return fy_error_set(err, EBUSY,
					    "update cgroup %s: linux.resources.memory.limit %" PRId64
					    " is below the current usage %" PRIu64 " (checkBeforeUpdate)",
					    cg->path, res->memory->limit, usage);
	}
	if (cgroup_plan_build(&copy, &cg->placement, NULL, 0, &plan, err) < 0)
		return fy_error_wrap(err, "update cgroup %s", cg->path);
	r = cgroup_apply_plan(cg, &plan, err);
	cgroup_plan_clear(&plan);
	if (r < 0)
		return fy_error_wrap(err, "update cgroup %s", cg->path);
	return 0;
}

char *cgroup_stats_json(struct fy_cgroup *cg, struct fy_error **err)
{
	if (cg->ops == &cgroup_backend_none) {
		fy_error_set(err, ENOTSUP, "container statistics: the cgroup manager is disabled");
		return NULL;
	}
	return cgroup_stats_build(cg, err);
}

/* ---- OOM events ------------------------------------------------------------------------ */

static uint64_t oom_kills(struct fy_cgroup *cg, bool *known)
{
	const char *dir = cg->dirs[CG_MEMORY];
	const char *file = cg->placement.where[CG_MEMORY] == CG_V2 ? "memory.events" : "memory.oom_control";
	uint64_t v = 0;

	*known = cgroup_fs_read_keyed(dir, file, "oom_kill", &v) == 0;
	return v;
}

int cgroup_oom_event_fd(struct fy_cgroup *cg, struct fy_error **err)
{
	const char *dir = cg->dirs[CG_MEMORY];
	bool known;

	if (cg->oom_fd >= 0)
		return cg->oom_fd;
	if (dir == NULL)
		return fy_error_set(err, ENOTSUP, "watch cgroup %s for OOM kills: no memory controller", cg->path);
	if (cg->placement.where[CG_MEMORY] == CG_V2) {
		/* memory.events is a kernfs file: its changes are reported as IN_MODIFY. */
		_cleanup_close_ int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		_cleanup_free_ char *path = xasprintf("%s/memory.events", dir);
		if (fd < 0 || inotify_add_watch(fd, path, IN_MODIFY) < 0)
			return fy_error_sys(err, "watch %s", path);
		cg->oom_fd = fd;
		fd = -1;
	} else {
		/* v1: an eventfd registered on memory.oom_control through cgroup.event_control. */
		_cleanup_close_ int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		_cleanup_free_ char *path = xasprintf("%s/memory.oom_control", dir);
		_cleanup_close_ int cfd = open(path, O_RDONLY | O_CLOEXEC);
		if (efd < 0 || cfd < 0)
			return fy_error_sys(err, "open %s", path);
		_cleanup_free_ char *reg = xasprintf("%d %d", efd, cfd);
		if (cgroup_fs_write(dir, "cgroup.event_control", reg, err) < 0)
			return fy_error_wrap(err, "watch cgroup %s for OOM kills", cg->path);
		cg->oom_fd = efd;
		cg->oom_control_fd = cfd;
		efd = cfd = -1;
	}
	cg->oom_seen = oom_kills(cg, &known);
	return cg->oom_fd;
}

int cgroup_oom_event_read(struct fy_cgroup *cg, uint64_t *count, struct fy_error **err)
{
	char buf[4096];
	uint64_t events = 0, now;
	ssize_t n;
	bool known;

	*count = 0;
	if (cg->oom_fd < 0)
		return fy_error_set(err, EBADF, "read OOM events of cgroup %s: not watched", cg->path);
	while ((n = read(cg->oom_fd, buf, sizeof(buf))) > 0)
		if (cg->placement.where[CG_MEMORY] != CG_V2 && n == sizeof(uint64_t))
			memcpy(&events, buf, sizeof(events));
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return fy_error_sys(err, "read OOM events of cgroup %s", cg->path);
	now = oom_kills(cg, &known);
	/* oom_kill counts kills (4.13+); without it, the v1 eventfd counts OOM episodes. */
	if (known) {
		*count = now > cg->oom_seen ? now - cg->oom_seen : 0;
		cg->oom_seen = now;
	} else {
		/* The eventfd also fires when the cgroup is removed: not an OOM. */
		*count = access(cg->dirs[CG_MEMORY], F_OK) == 0 ? events : 0;
	}
	return 0;
}
