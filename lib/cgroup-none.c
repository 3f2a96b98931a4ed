/* The "disabled" manager (--cgroup-manager=disabled): the container runs in the
 * runtime's own cgroup; creating and removing succeed and do nothing, and operations
 * that need a cgroup (ps, pause, stats) report that there is none. */
#include "config.h"

#include "lib/cgroup-internal.h"

static int none_create(struct fy_cgroup *cg, struct fy_error **err)
{
	return 0;
}

static int none_enter(struct fy_cgroup *cg, pid_t pid, struct fy_error **err)
{
	return 0;
}

static int none_remove(struct fy_cgroup *cg, struct fy_error **err)
{
	return 0;
}

static const char *none_procs_dir(const struct fy_cgroup *cg)
{
	return NULL;
}

const struct cgroup_backend cgroup_backend_none = {
	.name = "none",
	.create = none_create,
	.enter = none_enter,
	.remove = none_remove,
	.procs_dir = none_procs_dir,
};
