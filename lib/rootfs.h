/* Applying the mount plan and switching root.  Every path inside the container is
 * resolved with fy_open_in_root (openat2 RESOLVE_IN_ROOT), and mounts target the
 * resolved fd through /proc/self/fd/N, so a symlink planted in the image cannot send a
 * mount, a device node or a mask onto the host. */
#ifndef FOUNDRY_ROOTFS_H
#define FOUNDRY_ROOTFS_H

#include <stdbool.h>

#include "lib/mounts.h"
#include "spec/config.h"

struct fy_error;

/* mkdir -p of path inside the root; returns an O_PATH fd of the last directory. */
int rootfs_mkdir_in_root(int rootfd, const char *path, struct fy_error **err);
/* Returns an O_PATH fd of path inside the root, creating it (a directory, or an empty
 * file when is_dir is false) and its parents when missing. */
int rootfs_create_in_root(int rootfd, const char *path, bool is_dir, struct fy_error **err);

struct rootfs_options {
	const char *rootfs; /* absolute path on the host */
	const struct mount_plan *plan;
	const struct spec_config *config;
	bool in_user_ns;
	bool has_cgroup_ns;
};

/* Before pivot_root: makes the mount tree private to the container (rslave, or the
 * configured rootfsPropagation), binds the rootfs onto itself, applies the plan,
 * creates /dev.  Runs in the container's mount namespace. */
int rootfs_prepare(const struct rootfs_options *opts, struct fy_error **err);
/* pivot_root (or MS_MOVE + chroot with no_pivot), then rootfsPropagation on "/". */
int rootfs_switch(const char *rootfs, bool no_pivot, unsigned long root_propagation, struct fy_error **err);
/* After the switch: masked paths, read-only paths, and root.readonly. */
int rootfs_finalize(const struct spec_config *config, struct fy_error **err);

#endif
