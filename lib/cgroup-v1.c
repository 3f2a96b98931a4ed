/* The cgroup v1 backend, which also serves hybrid hosts: one directory per mounted
 * controller (<root>/<controller><path>) and, on hybrid hosts, the container's cgroup in
 * the v2 hierarchy at <root>/unified<path> too, holding the controllers bound there
 * (hugetlb on some hosts) and giving cgroup.events / cgroup.freeze to tools that look
 * for the container on the v2 side.  crun refuses hybrid hosts; Foundry does not. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cgroup-internal.h"
#include "lib/error.h"
#include "lib/util.h"

/* A new v1 cpuset starts with empty cpus and mems, and a task cannot join it until
 * both are set: copy them down from the parent at every level of the path. */
static int init_cpuset(const char *mount, const char *path, struct fy_error **err)
{
	_cleanup_free_ char *parent = xstrdup(mount);

	for (const char *p = path + 1;; p++) {
		p = strchrnul(p, '/');
		_cleanup_free_ char *dir = xasprintf("%s%.*s", mount, (int)(p - path), path);
		static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
		for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
			_cleanup_free_ char *mine = cgroup_fs_read(dir, files[i]);
			if (mine && *mine)
				continue;
			_cleanup_free_ char *value = cgroup_fs_read(parent, files[i]);
			if (value == NULL)
				return fy_error_sys(err, "read %s/%s", parent, files[i]);
			if (cgroup_fs_write(dir, files[i], value, err) < 0)
				return -1;
		}
		free(parent);
		parent = xstrdup(dir);
		if (*p == '\0')
			return 0;
	}
}

static int v1_create(struct fy_cgroup *cg, struct fy_error **err)
{
	for (size_t i = 0; i < cg->n_v1_dirs; i++) {
		const char *dir = cg->v1_dirs[i];
		_cleanup_free_ char *mount = xstrndup(dir, strlen(dir) - strlen(cg->path));
		if (cgroup_fs_mkdir_path(cg, mount, cg->path, err) < 0)
			return -1;
		if (cg->dirs[CG_CPUSET] && strcmp(dir, cg->dirs[CG_CPUSET]) == 0 &&
		    init_cpuset(mount, cg->path, err) < 0)
			return fy_error_wrap(err, "initialise cpuset cgroup %s", dir);
	}
	if (cg->unified) {
		_cleanup_free_ char *root = xasprintf("%s/unified", cg->fs_root);
		if (cgroup_v2_make_leaf(cg, root, &cg->placement, err) < 0)
			return -1;
	}
	return 0;
}

static int v1_enter(struct fy_cgroup *cg, pid_t pid, struct fy_error **err)
{
	for (size_t i = 0; i < cg->n_v1_dirs; i++)
		if (cgroup_fs_enter(cg->v1_dirs[i], pid, err) < 0)
			return -1;
	if (cg->unified && cgroup_fs_enter(cg->unified, pid, err) < 0)
		return -1;
	return 0;
}

static int v1_remove(struct fy_cgroup *cg, struct fy_error **err)
{
	int r = 0;

	/* Try every hierarchy even when one fails, then report the first failure. */
	for (size_t i = 0; i < cg->n_v1_dirs; i++)
		if (cgroup_fs_rmdir_tree(cg->v1_dirs[i], r < 0 ? NULL : err) < 0)
			r = -1;
	if (cg->unified && cgroup_fs_rmdir_tree(cg->unified, r < 0 ? NULL : err) < 0)
		r = -1;
	return r;
}

static const char *v1_procs_dir(const struct fy_cgroup *cg)
{
	static const enum cgroup_controller order[] = { CG_PIDS, CG_FREEZER, CG_MEMORY, CG_CPU, CG_DEVICES };

	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (cg->placement.where[order[i]] == CG_V1)
			return cg->dirs[order[i]];
	return cg->n_v1_dirs ? cg->v1_dirs[0] : cg->unified;
}

const struct cgroup_backend cgroup_backend_v1 = {
	.name = "v1",
	.create = v1_create,
	.enter = v1_enter,
	.remove = v1_remove,
	.procs_dir = v1_procs_dir,
};
