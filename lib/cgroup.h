/* A container's control groups: one manager interface over cgroup v1, cgroup v2, hybrid
 * hosts (v1 controllers plus the v2 hierarchy at <root>/unified) and "disabled".
 *
 * Life of a container's cgroup, as the runtime core drives it:
 *
 *   create:  cgroup_create()   mkdir + apply linux.resources, before the process exists
 *            cgroup_clone_fd() -> clone3(CLONE_INTO_CGROUP)  (pure v2)
 *            or cgroup_enter(pid)                            (v1, hybrid, fallback)
 *            state.json <- cgroup_manager_name(), cgroup_path()
 *   later:   cgroup_load(root, manager, path) from state.json, then
 *            kill / freeze / update / pids / stats / oom events
 *   delete:  cgroup_destroy()  thaw, SIGKILL what is left, rmdir (retrying EBUSY)
 *
 * fs_root is a parameter ("/sys/fs/cgroup") so unit tests can point it at a temp dir.
 */
#ifndef FOUNDRY_CGROUP_H
#define FOUNDRY_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

#define CGROUP_FS_ROOT "/sys/fs/cgroup"

enum cgroup_layout {
	CGROUP_LAYOUT_V1,     /* v1 controllers under <root>/<controller>, no v2 mount */
	CGROUP_LAYOUT_V2,     /* <root> itself is cgroup2 */
	CGROUP_LAYOUT_HYBRID, /* v1 controllers and a cgroup2 mount at <root>/unified */
	CGROUP_LAYOUT_NONE,   /* no cgroup file system found */
};

/* "v1", "v2", "hybrid", "none" */
const char *cgroup_layout_name(enum cgroup_layout layout);

struct cgroup_config {
	const char *fs_root;                    /* "/sys/fs/cgroup" (NULL means that) */
	const char *manager;                    /* "cgroupfs" | "systemd" | "disabled"; NULL means cgroupfs */
	const char *id;                         /* container id, for the default path */
	const char *cgroups_path;               /* linux.cgroupsPath, may be NULL */
	const struct spec_resources *resources; /* may be NULL */
	/* linux.devices: each node the container gets is also allowed in the device
	 * cgroup, as runc does (may be NULL/0). */
	const struct spec_device *devices;
	size_t n_devices;
	/* Tests: use this layout instead of probing fs_root. */
	bool force_layout;
	enum cgroup_layout layout;
};

struct fy_cgroup;

/* Makes the directories and applies the resources before any process runs; on error
 * removes what it made.  The path is "/foundry/<id>" when cgroupsPath is absent. */
struct fy_cgroup *cgroup_create(const struct cgroup_config *cfg, struct fy_error **err);
/* Rebuilds the handle of an existing cgroup from what state.json recorded. */
struct fy_cgroup *cgroup_load(const char *fs_root, const char *manager, const char *path, struct fy_error **err);
void cgroup_free(struct fy_cgroup *cg);
void cgroup_freep(struct fy_cgroup **cg);
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

/* An O_PATH|O_DIRECTORY fd of the v2 leaf for clone3(CLONE_INTO_CGROUP), owned by cg;
 * -1 when the container has v1 controllers (hybrid, v1) or no cgroup: then the caller
 * uses cgroup_enter() on the child's pid before letting it run. */
int cgroup_clone_fd(const struct fy_cgroup *cg);
/* Moves pid into the container's cgroup in every hierarchy.  Idempotent. */
int cgroup_enter(struct fy_cgroup *cg, pid_t pid, struct fy_error **err);
/* Thaws, SIGKILLs whatever is left, waits for it to go, removes the directories
 * (children first, retrying EBUSY).  A cgroup that is already gone is not an error. */
int cgroup_destroy(struct fy_cgroup *cg, struct fy_error **err);
/* Sends signal to every process in the cgroup (kill --all).  Frozen cgroups are
 * thawed after the signal is queued so that SIGKILL takes effect. */
int cgroup_kill(struct fy_cgroup *cg, int signal, struct fy_error **err);
/* Freezes (pause) or thaws (resume), and waits until the kernel reports it done. */
int cgroup_freeze(struct fy_cgroup *cg, bool frozen, struct fy_error **err);
int cgroup_is_frozen(struct fy_cgroup *cg, bool *frozen, struct fy_error **err);
/* Applies new resources (foundry update).  memory.checkBeforeUpdate is honoured. */
int cgroup_update(struct fy_cgroup *cg, const struct spec_resources *res, struct fy_error **err);
/* Host pids of every process in the cgroup (including sub-cgroups), ascending. */
int cgroup_pids(struct fy_cgroup *cg, pid_t **pids, size_t *n, struct fy_error **err);
/* The "data" object of runc's `events --stats` (cpu, memory, pids, blkio, hugetlb ...). */
char *cgroup_stats_json(struct fy_cgroup *cg, struct fy_error **err);

/* OOM notification for `events`: cgroup_oom_event_fd() returns an fd owned by cg to poll
 * for POLLIN (v1: an eventfd registered on memory.oom_control; v2: inotify on
 * memory.events).  After it polls readable, cgroup_oom_event_read() drains it and
 * returns how many OOM kills happened since the previous call (0 on spurious wakeups). */
int cgroup_oom_event_fd(struct fy_cgroup *cg, struct fy_error **err);
int cgroup_oom_event_read(struct fy_cgroup *cg, uint64_t *count, struct fy_error **err);

/* Persisted in state.json so later commands reuse the manager without flags. */
const char *cgroup_manager_name(const struct fy_cgroup *cg);
const char *cgroup_path(const struct fy_cgroup *cg);
enum cgroup_layout cgroup_layout_of(const struct fy_cgroup *cg);

/* Probed once per fs_root and cached. */
enum cgroup_layout cgroup_detect_layout(const char *fs_root);

#endif
