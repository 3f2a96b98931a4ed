/* Inside the cgroup module: the handle, the manager table each backend fills, and the
 * file helpers the backends share.  Not for use outside lib/cgroup*.c and unit tests. */
#ifndef FOUNDRY_CGROUP_INTERNAL_H
#define FOUNDRY_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/cgroup-plan.h"
#include "lib/cgroup.h"

struct fy_error;
struct fy_cgroup;

/* One table per backend: cgroup-v1.c (also hybrid hosts), cgroup-v2.c, cgroup-none.c.
 * Chosen once, in cgroup_create()/cgroup_load(), from the host layout and the manager. */
struct cgroup_backend {
	const char *name;
	/* Makes the directories (recording each one made in cg->created). */
	int (*create)(struct fy_cgroup *cg, struct fy_error **err);
	int (*enter)(struct fy_cgroup *cg, pid_t pid, struct fy_error **err);
	/* Removes the directories; the caller has already killed what was inside. */
	int (*remove)(struct fy_cgroup *cg, struct fy_error **err);
	/* The directory whose cgroup.procs lists the container's processes. */
	const char *(*procs_dir)(const struct fy_cgroup *cg);
};

extern const struct cgroup_backend cgroup_backend_v1;
extern const struct cgroup_backend cgroup_backend_v2;
extern const struct cgroup_backend cgroup_backend_none;

struct fy_cgroup {
	const struct cgroup_backend *ops;
	enum cgroup_layout layout;
	char *manager; /* as recorded in state.json */
	char *path;    /* "/foundry/web" */
	char *fs_root;
	struct cgroup_placement placement;
	/* Absolute directory of the container's cgroup for each controller that has one
	 * (v1: <root>/<controller><path>; v2: the leaf), NULL otherwise. */
	char *dirs[CG_CONTROLLER_COUNT];
	/* The v2 leaf (v2 and hybrid hosts), NULL on v1. */
	char *unified;
	/* The distinct v1 directories (cpu and cpuacct may share one mount). */
	char **v1_dirs;
	size_t n_v1_dirs;
	int unified_fd; /* O_PATH of the leaf for CLONE_INTO_CGROUP (pure v2 only) */
	/* Directories this handle made, outermost first, for rollback on a failed create. */
	char **created;
	size_t n_created;
	/* OOM notification (cgroup_oom_event_fd). */
	int oom_fd;
	int oom_control_fd;
	uint64_t oom_seen;
};

/* Computes where each controller lives on this host (see cgroup_placement). */
int cgroup_probe_placement(const char *fs_root, enum cgroup_layout layout, struct cgroup_placement *out);

/* Applies a plan: each write into its controller's directory; then the v2 device
 * program when the devices controller is v2.  Errors name the resource and the file. */
int cgroup_apply_plan(struct fy_cgroup *cg, const struct cgroup_plan *plan, struct fy_error **err);

/* v2 helpers the v1 backend also uses for the unified side of hybrid hosts
 * (cgroup-v2.c).  only: enable just the controllers placed on v2 (NULL: all). */
int cgroup_v2_enable_controllers(const char *dir, const struct cgroup_placement *only);
int cgroup_v2_make_leaf(struct fy_cgroup *cg, const char *root, const struct cgroup_placement *only,
			struct fy_error **err);

/* ---- file helpers (cgroup-fs.c) ----------------------------------------------------- */

/* One write(2) of value to dir/file (cgroup files take one value per write). */
int cgroup_fs_write(const char *dir, const char *file, const char *value, struct fy_error **err);
/* Reads dir/file, trailing newline stripped.  NULL with errno set on failure. */
char *cgroup_fs_read(const char *dir, const char *file);
int cgroup_fs_read_u64(const char *dir, const char *file, uint64_t *out);
/* "key value" lines (memory.stat, cpu.stat, memory.events): the value of key. */
int cgroup_fs_read_keyed(const char *dir, const char *file, const char *key, uint64_t *out);
bool cgroup_fs_exists(const char *dir, const char *file);
/* mkdir -p of root + path, recording each new directory in cg->created. */
int cgroup_fs_mkdir_path(struct fy_cgroup *cg, const char *root, const char *path, struct fy_error **err);
/* rmdir of dir and its sub-cgroups, children first, retrying EBUSY a while (the
 * kernel frees a cgroup asynchronously after its last task exits).  ENOENT is fine. */
int cgroup_fs_rmdir_tree(const char *dir, struct fy_error **err);
/* The pids in dir/cgroup.procs and in every sub-cgroup, sorted, unique. */
int cgroup_fs_read_pids(const char *dir, pid_t **pids, size_t *n, struct fy_error **err);
/* Writes pid into dir/cgroup.procs. */
int cgroup_fs_enter(const char *dir, pid_t pid, struct fy_error **err);

/* Freezer: v1 freezer.state, v2 cgroup.freeze / cgroup.events. */
int cgroup_fs_freeze_v1(const char *dir, bool frozen, struct fy_error **err);
int cgroup_fs_freeze_v2(const char *dir, bool frozen, struct fy_error **err);
int cgroup_fs_is_frozen_v1(const char *dir, bool *frozen, struct fy_error **err);
int cgroup_fs_is_frozen_v2(const char *dir, bool *frozen, struct fy_error **err);

/* ---- statistics (cgroup-stats.c) ------------------------------------------------------ */
char *cgroup_stats_build(const struct fy_cgroup *cg, struct fy_error **err);

#endif
