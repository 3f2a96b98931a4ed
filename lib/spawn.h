/* Cloning the container's init: clone3 with the new namespaces (and CLONE_INTO_CGROUP
 * when the cgroup is v2, so init never runs a single instruction outside it), with a
 * fallback to clone(2); then the id maps, written by the parent. */
#ifndef FOUNDRY_SPAWN_H
#define FOUNDRY_SPAWN_H

#include <sys/types.h>

#include "lib/init.h"

struct fy_error;

/* Returns the child's pid.  *into_cgroup tells whether CLONE_INTO_CGROUP placed it (when
 * cgroup_fd >= 0); when false the caller joins the cgroup itself before GO. */
pid_t spawn_init(const struct init_context *ctx, int cgroup_fd, bool *into_cgroup, struct fy_error **err);

/* Writes /proc/<pid>/uid_map and gid_map from linux.uidMappings/gidMappings. */
int spawn_write_id_maps(pid_t pid, const struct spec_linux *linux_, struct fy_error **err);

#endif
