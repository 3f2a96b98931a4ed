/* The cgroup v2 backend (pure v2 hosts): one directory, controllers enabled from the
 * root down through cgroup.subtree_control ("no internal processes": only the leaf
 * holds tasks, so the runtime never enables controllers in the leaf itself). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cgroup-internal.h"
#include "lib/error.h"
#include "lib/util.h"

/* Enables in dir's children every controller dir has.  All at once first; if the
 * kernel refuses one (e.g. cpu while a realtime task sits in the parent), one by one
 * so that the others still work: a resource needing the missing one then fails
 * naming its file. */
int cgroup_v2_enable_controllers(const char *dir, const struct cgroup_placement *only)
{
	_cleanup_free_ char *list = cgroup_fs_read(dir, "cgroup.controllers");
	_cleanup_free_ char *all = xstrdup("");

	if (list == NULL)
		return -1;
	for (char *save = NULL, *tok = strtok_r(list, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save)) {
		int c = cgroup_controller_from_v2_name(tok);
		if (only && (c < 0 || only->where[c] != CG_V2))
			continue;
		char *next = xasprintf("%s%s+%s", all, *all ? " " : "", tok);
		free(all);
		all = next;
	}
	if (*all == '\0' || cgroup_fs_write(dir, "cgroup.subtree_control", all, NULL) == 0)
		return 0;
	for (char *save = NULL, *tok = strtok_r(all, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (cgroup_fs_write(dir, "cgroup.subtree_control", tok, NULL) < 0)
			fy_debug("cgroup: enable %s in %s/cgroup.subtree_control: %s", tok, dir, strerror(errno));
	return 0;
}

/* mkdir -p of root+path, enabling controllers in root and every ancestor of the leaf. */
int cgroup_v2_make_leaf(struct fy_cgroup *cg, const char *root, const struct cgroup_placement *only,
			struct fy_error **err)
{
	_cleanup_free_ char *dir = xstrdup(root);

	if (cgroup_fs_mkdir_path(cg, root, cg->path, err) < 0)
		return -1;
	for (const char *p = cg->path + 1;; p++) {
		cgroup_v2_enable_controllers(dir, only);
		p = strchr(p, '/');
		if (p == NULL)
			break;
		free(dir);
		dir = xasprintf("%s%.*s", root, (int)(p - cg->path), cg->path);
	}
	return 0;
}

static int v2_create(struct fy_cgroup *cg, struct fy_error **err)
{
	return cgroup_v2_make_leaf(cg, cg->fs_root, NULL, err);
}

static int v2_enter(struct fy_cgroup *cg, pid_t pid, struct fy_error **err)
{
	return cgroup_fs_enter(cg->unified, pid, err);
}

static int v2_remove(struct fy_cgroup *cg, struct fy_error **err)
{
	return cgroup_fs_rmdir_tree(cg->unified, err);
}

static const char *v2_procs_dir(const struct fy_cgroup *cg)
{
	return cg->unified;
}

const struct cgroup_backend cgroup_backend_v2 = {
	.name = "v2",
	.create = v2_create,
	.enter = v2_enter,
	.remove = v2_remove,
	.procs_dir = v2_procs_dir,
};
