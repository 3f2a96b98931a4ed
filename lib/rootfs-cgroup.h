/* Mounting a `cgroup` mount of config.json: on a cgroup v2 host a cgroup2 instance; on v1
 * and hybrid hosts a tmpfs holding one instance of each v1 hierarchy the host has (and
 * cgroup2 at unified/ on hybrid hosts), as runc lays it out. */
#ifndef FOUNDRY_ROOTFS_CGROUP_H
#define FOUNDRY_ROOTFS_CGROUP_H

#include "lib/mounts.h"

struct fy_error;

#include <stdbool.h>

/* has_cgroup_ns: new cgroup instances rooted at the container's cgroup; without one, the
 * container's own cgroup directories are bound from the host's mounts (as runc does). */
int rootfs_mount_cgroup(int rootfd, const struct mount_step *step, bool has_cgroup_ns, struct fy_error **err);

#endif
