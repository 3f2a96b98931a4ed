#include "config.h"

#include "lib/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/rootfs.h"
#include "lib/sys.h"
#include "lib/util.h"

static const struct spec_device default_devices[] = {
	{ .type = "c", .path = "/dev/null", .has_major = true, .major = 1, .has_minor = true, .minor = 3 },
	{ .type = "c", .path = "/dev/zero", .has_major = true, .major = 1, .has_minor = true, .minor = 5 },
	{ .type = "c", .path = "/dev/full", .has_major = true, .major = 1, .has_minor = true, .minor = 7 },
	{ .type = "c", .path = "/dev/random", .has_major = true, .major = 1, .has_minor = true, .minor = 8 },
	{ .type = "c", .path = "/dev/urandom", .has_major = true, .major = 1, .has_minor = true, .minor = 9 },
	{ .type = "c", .path = "/dev/tty", .has_major = true, .major = 5, .has_minor = true, .minor = 0 },
};

static const struct {
	const char *target;
	const char *path;
} default_links[] = {
	{ "/proc/self/fd", "/dev/fd" },       { "/proc/self/fd/0", "/dev/stdin" }, { "/proc/self/fd/1", "/dev/stdout" },
	{ "/proc/self/fd/2", "/dev/stderr" }, { "pts/ptmx", "/dev/ptmx" },
};

static mode_t device_type_bits(const char *type)
{
	if (strcmp(type, "b") == 0)
		return S_IFBLK;
	if (strcmp(type, "p") == 0)
		return S_IFIFO;
	return S_IFCHR; /* "c" and "u" (unbuffered character device) */
}

/* Bind-mounts the host's node over an empty file: what works inside a user namespace. */
static int device_bind_host(int rootfd, const struct spec_device *d, struct fy_error **err)
{
	_cleanup_close_ int target = rootfs_create_in_root(rootfd, d->path, false, err);
	if (target < 0)
		return -1;
	char proc_path[64];
	snprintf(proc_path, sizeof proc_path, "/proc/self/fd/%d", target);
	if (mount(d->path, proc_path, NULL, MS_BIND, NULL) < 0)
		return fy_error_sys(err, "bind device \"%s\" from the host", d->path);
	return 0;
}

static int device_mknod(int rootfd, const struct spec_device *d, struct fy_error **err)
{
	_cleanup_free_ char *parent = xstrdup(d->path);
	char *slash = strrchr(parent, '/');
	const char *name = slash + 1;
	*slash = '\0';
	_cleanup_close_ int dirfd = rootfs_mkdir_in_root(rootfd, *parent ? parent : "/", err);
	if (dirfd < 0)
		return -1;
	mode_t perm = d->has_file_mode ? (d->file_mode & 07777) : 0666;
	dev_t dev = makedev((unsigned)d->major, (unsigned)d->minor);
	/* An image may ship its own node or a stale file here: ours replaces it. */
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT && errno != EISDIR)
		return fy_error_sys(err, "remove existing \"%s\"", d->path);
	if (mknodat(dirfd, name, device_type_bits(d->type) | perm, dev) < 0)
		return fy_error_sys(err, "create device \"%s\"", d->path);
	/* mknod applies the umask: set the mode the spec asked for exactly. */
	if (fchmodat(dirfd, name, perm, 0) < 0)
		return fy_error_sys(err, "chmod device \"%s\"", d->path);
	if (fchownat(dirfd, name, d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0, AT_SYMLINK_NOFOLLOW) < 0)
		return fy_error_sys(err, "chown device \"%s\"", d->path);
	return 0;
}

static bool overridden_by_config(const struct spec_linux *linux_, const char *path)
{
	for (size_t i = 0; linux_ && i < linux_->n_devices; i++)
		if (strcmp(linux_->devices[i].path, path) == 0)
			return true;
	return false;
}

static int device_create(int rootfd, const struct spec_device *d, bool in_user_ns, struct fy_error **err)
{
	if (d->path == NULL || d->path[0] != '/')
		return fy_error_set(err, 0, "device path \"%s\": expected an absolute path", d->path ? d->path : "");
	if (in_user_ns)
		return device_bind_host(rootfd, d, err);
	return device_mknod(rootfd, d, err);
}

int devices_create(int rootfd, const struct spec_linux *linux_, bool in_user_ns, struct fy_error **err)
{
	for (size_t i = 0; i < ARRAY_SIZE(default_devices); i++) {
		if (overridden_by_config(linux_, default_devices[i].path))
			continue;
		if (device_create(rootfd, &default_devices[i], in_user_ns, err) < 0)
			return -1;
	}
	for (size_t i = 0; linux_ && i < linux_->n_devices; i++) {
		const struct spec_device *d = &linux_->devices[i];
		if (strcmp(d->type, "p") != 0 && (!d->has_major || !d->has_minor))
			return fy_error_set(err, 0,
					    "config.json: .linux.devices[%zu]: major and minor are required "
					    "for type \"%s\"",
					    i, d->type);
		if (device_create(rootfd, d, in_user_ns, err) < 0)
			return fy_error_wrap(err, "config.json: .linux.devices[%zu]", i);
	}
	_cleanup_close_ int devfd = rootfs_mkdir_in_root(rootfd, "/dev", err);
	if (devfd < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(default_links); i++) {
		const char *name = default_links[i].path + strlen("/dev/");
		if (symlinkat(default_links[i].target, devfd, name) < 0 && errno != EEXIST)
			return fy_error_sys(err, "create link \"%s\"", default_links[i].path);
	}
	return 0;
}
