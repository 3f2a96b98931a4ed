#include "config.h"

#include "lib/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/devices.h"
#include "lib/error.h"
#include "lib/rootfs-cgroup.h"
#include "lib/sys.h"
#include "lib/util.h"

#define PROC_FD_PATH_MAX 64

static void proc_fd_path(char buf[PROC_FD_PATH_MAX], int fd)
{
	snprintf(buf, PROC_FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

int rootfs_mkdir_in_root(int rootfd, const char *path, struct fy_error **err)
{
	int fd = fy_open_in_root(rootfd, path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0 || errno != ENOENT) {
		if (fd < 0)
			return fy_error_sys(err, "open directory \"%s\" in the container", path);
		return fd;
	}
	/* Create the missing components one by one.  Each prefix goes back through the
	 * root-confined resolver, so a symlink component resolves inside the root. */
	_cleanup_free_ char *copy = xstrdup(path);
	for (char *end = copy + 1;; end++) {
		if (*end != '/' && *end != '\0')
			continue;
		char saved = *end;
		*end = '\0';
		_cleanup_close_ int existing = fy_open_in_root(rootfd, copy, O_PATH | O_DIRECTORY, 0);
		if (existing < 0 && errno == ENOENT) {
			char *slash = strrchr(copy, '/');
			*slash = '\0';
			_cleanup_close_ int parent =
			    fy_open_in_root(rootfd, *copy ? copy : "/", O_PATH | O_DIRECTORY, 0);
			*slash = '/';
			if (parent < 0 || (mkdirat(parent, slash + 1, 0755) < 0 && errno != EEXIST))
				return fy_error_sys(err, "create directory \"%s\" in the container", copy);
		}
		*end = saved;
		if (saved == '\0')
			break;
	}
	fd = fy_open_in_root(rootfd, path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return fy_error_sys(err, "open directory \"%s\" in the container", path);
	return fd;
}

int rootfs_create_in_root(int rootfd, const char *path, bool is_dir, struct fy_error **err)
{
	if (is_dir)
		return rootfs_mkdir_in_root(rootfd, path, err);
	int fd = fy_open_in_root(rootfd, path, O_PATH, 0);
	if (fd >= 0)
		return fd;
	_cleanup_free_ char *parent = xstrdup(path);
	char *slash = strrchr(parent, '/');
	if (slash == NULL)
		return fy_error_set(err, 0, "\"%s\": expected an absolute path", path);
	*slash = '\0';
	_cleanup_close_ int dirfd = rootfs_mkdir_in_root(rootfd, *parent ? parent : "/", err);
	if (dirfd < 0)
		return -1;
	_cleanup_close_ int created = openat(dirfd, slash + 1, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (created < 0 && errno != EEXIST)
		return fy_error_sys(err, "create \"%s\" in the container", path);
	fd = openat(dirfd, slash + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\" in the container", path);
	return fd;
}

/* Flags a remount must keep because the kernel locks them (a bind from a nosuid mount
 * stays nosuid; in a user namespace dropping them fails with EPERM). */
static unsigned long locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long flags = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	if (sv.f_flag & ST_RDONLY)
		flags |= MS_RDONLY;
	if (sv.f_flag & ST_NOATIME)
		flags |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		flags |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		flags |= MS_RELATIME;
	return flags;
}

static int remount_bind(const char *target, unsigned long flags, unsigned long clear, struct fy_error **err)
{
	unsigned long want = MS_BIND | MS_REMOUNT | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
	if (mount(NULL, target, NULL, want, NULL) == 0)
		return 0;
	if (errno != EPERM)
		return fy_error_sys(err, "remount");
	/* Keep what the source locks, except what the options explicitly asked to keep
	 * off is impossible anyway: retry with the locked flags added. */
	want |= locked_flags(target) & ~clear;
	want |= locked_flags(target) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (mount(NULL, target, NULL, want, NULL) < 0)
		return fy_error_sys(err, "remount");
	return 0;
}

static bool source_is_dir(const struct mount_step *step)
{
	struct stat st;
	if (!step->bind)
		return true;
	return stat(step->source, &st) < 0 || S_ISDIR(st.st_mode);
}

/* sysfs refuses a new instance when the container shares the host's network namespace
 * without owning it (EPERM): bind the host's /sys instead, as runc does. */
static int mount_sysfs_fallback(const char *target, const struct mount_step *step)
{
	if (mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	return mount(NULL, target, NULL,
		     MS_BIND | MS_REMOUNT | MS_RDONLY | locked_flags(target) |
			 (step->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)),
		     NULL);
}

static int apply_step(int rootfd, const struct mount_step *step, bool has_cgroup_ns, struct fy_error **err)
{
	if (step->bind) {
		struct stat st;
		if (stat(step->source, &st) < 0)
			return fy_error_sys(err, "bind source \"%s\"", step->source);
	}
	_cleanup_close_ int target_fd = rootfs_create_in_root(rootfd, step->destination, source_is_dir(step), err);
	if (target_fd < 0)
		return -1;
	char target[PROC_FD_PATH_MAX];
	proc_fd_path(target, target_fd);

	if (step->bind) {
		if (mount(step->source, target, NULL, MS_BIND | (step->flags & MS_REC), NULL) < 0)
			return fy_error_sys(err, "bind \"%s\"", step->source);
		/* Re-open: the fd still names the directory under the new mount. */
		close(target_fd);
		target_fd = fy_open_in_root(rootfd, step->destination, O_PATH, 0);
		if (target_fd < 0)
			return fy_error_sys(err, "reopen mount target");
		proc_fd_path(target, target_fd);
		if (step->remount_bind && remount_bind(target, step->flags, step->clear, err) < 0)
			return -1;
	} else if (strcmp(step->type, "cgroup") == 0 || strcmp(step->type, "cgroup2") == 0) {
		if (rootfs_mount_cgroup(rootfd, step, has_cgroup_ns, err) < 0)
			return -1;
	} else {
		unsigned long flags = step->flags & ~MS_REMOUNT;
		if (mount(step->source, target, step->type, flags, step->data) < 0) {
			if (!(errno == EPERM && strcmp(step->type, "sysfs") == 0 &&
			      mount_sysfs_fallback(target, step) == 0))
				return fy_error_sys(err, "mount %s", step->type);
		}
		close(target_fd);
		target_fd = fy_open_in_root(rootfd, step->destination, O_PATH, 0);
		if (target_fd < 0)
			return fy_error_sys(err, "reopen mount target");
		proc_fd_path(target, target_fd);
	}
	for (size_t i = 0; i < step->n_propagation; i++) {
		if (mount(NULL, target, NULL, step->propagation[i], NULL) < 0)
			return fy_error_sys(err, "set propagation");
	}
	if (step->rec_set || step->rec_clear) {
		struct mount_attr attr = { .attr_set = step->rec_set, .attr_clr = step->rec_clear };
		if (mount_setattr(target_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
			return fy_error_sys(err, "set recursive mount attributes");
	}
	return 0;
}

int rootfs_prepare(const struct rootfs_options *opts, struct fy_error **err)
{
	/* Nothing mounted for the container may propagate back to the host.
	 * rootfsPropagation itself is applied to the new "/" after pivot_root: applied
	 * here, "unbindable" would forbid the self-bind below and "shared" would leak. */
	unsigned long prop = (opts->plan->root_propagation & MS_PRIVATE) ? MS_PRIVATE : MS_SLAVE;
	if (mount(NULL, "/", NULL, prop | MS_REC, NULL) < 0)
		return fy_error_sys(err, "make the mount tree private to the container");
	/* pivot_root needs the new root to be a mount point. */
	if (mount(opts->rootfs, opts->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fy_error_sys(err, "bind the rootfs \"%s\" onto itself", opts->rootfs);

	_cleanup_close_ int rootfd = open(opts->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fy_error_sys(err, "open rootfs \"%s\"", opts->rootfs);
	for (size_t i = 0; i < opts->plan->n_steps; i++) {
		const struct mount_step *step = &opts->plan->steps[i];
		if (apply_step(rootfd, step, opts->has_cgroup_ns, err) < 0)
			return fy_error_wrap(err, "mount \"%s\" on \"%s\"", step->source ? step->source : "",
					     step->destination);
	}
	if (devices_create(rootfd, opts->config->linux_, opts->in_user_ns, err) < 0)
		return -1;
	return 0;
}

int rootfs_switch(const char *rootfs, bool no_pivot, unsigned long root_propagation, struct fy_error **err)
{
	if (chdir(rootfs) < 0)
		return fy_error_sys(err, "chdir to rootfs \"%s\"", rootfs);
	if (no_pivot) {
		if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
			return fy_error_sys(err, "move rootfs \"%s\" to /", rootfs);
		if (chroot(".") < 0)
			return fy_error_sys(err, "chroot to rootfs");
	} else {
		/* pivot_root(".", ".") stacks the old root on top of the new one; unmounting
		 * it then drops it, with no temporary directory in the image (runc, lxc).
		 * "." must name the old root for that, not the new one under it (which would
		 * turn every mount of the container into a slave): fchdir to it first. */
		_cleanup_close_ int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
		if (oldroot < 0)
			return fy_error_sys(err, "open the old root");
		if (fy_pivot_root(".", ".") < 0)
			return fy_error_sys(err, "pivot_root to \"%s\"", rootfs);
		if (fchdir(oldroot) < 0)
			return fy_error_sys(err, "chdir to the old root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return fy_error_sys(err, "make the old root a slave");
		if (umount2(".", MNT_DETACH) < 0)
			return fy_error_sys(err, "detach the old root");
	}
	if (chdir("/") < 0)
		return fy_error_sys(err, "chdir to /");
	if (root_propagation && mount(NULL, "/", NULL, root_propagation, NULL) < 0)
		return fy_error_sys(err, "set rootfsPropagation on /");
	return 0;
}

static int mask_path(int rootfd, const char *path, struct fy_error **err)
{
	_cleanup_close_ int fd = fy_open_in_root(rootfd, path, O_PATH, 0);
	struct stat st;
	char target[PROC_FD_PATH_MAX];

	if (fd < 0) {
		if (errno == ENOENT)
			return 0; /* config-linux.md: nothing to mask */
		return fy_error_sys(err, "masked path \"%s\"", path);
	}
	if (fstat(fd, &st) < 0)
		return fy_error_sys(err, "masked path \"%s\"", path);
	proc_fd_path(target, fd);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", target, "tmpfs", MS_RDONLY, "size=0k") < 0)
			return fy_error_sys(err, "mask directory \"%s\"", path);
	} else if (mount("/dev/null", target, NULL, MS_BIND, NULL) < 0) {
		return fy_error_sys(err, "mask \"%s\"", path);
	}
	return 0;
}

static int readonly_path(int rootfd, const char *path, struct fy_error **err)
{
	_cleanup_close_ int fd = fy_open_in_root(rootfd, path, O_PATH, 0);
	char target[PROC_FD_PATH_MAX];

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return fy_error_sys(err, "read-only path \"%s\"", path);
	}
	proc_fd_path(target, fd);
	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fy_error_sys(err, "bind read-only path \"%s\"", path);
	_cleanup_close_ int again = fy_open_in_root(rootfd, path, O_PATH, 0);
	if (again < 0)
		return fy_error_sys(err, "reopen read-only path \"%s\"", path);
	proc_fd_path(target, again);
	if (remount_bind(target, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, err) < 0)
		return fy_error_wrap(err, "read-only path \"%s\"", path);
	return 0;
}

int rootfs_finalize(const struct spec_config *config, struct fy_error **err)
{
	const struct spec_linux *l = config->linux_;
	_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return fy_error_sys(err, "open /");
	for (size_t i = 0; l && i < l->n_masked_paths; i++)
		if (mask_path(rootfd, l->masked_paths[i], err) < 0)
			return -1;
	for (size_t i = 0; l && i < l->n_readonly_paths; i++)
		if (readonly_path(rootfd, l->readonly_paths[i], err) < 0)
			return -1;
	if (config->root && config->root->readonly) {
		if (remount_bind("/", MS_RDONLY, 0, err) < 0)
			return fy_error_wrap(err, "make the root read-only");
	}
	return 0;
}
