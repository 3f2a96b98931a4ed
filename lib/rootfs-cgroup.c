#include "config.h"

#include "lib/rootfs-cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/rootfs.h"
#include "lib/sys.h"
#include "lib/util.h"

/* One cgroup hierarchy mounted on the host: its directory name under the cgroup root
 * ("cpu,cpuacct", "unified") and the options that select it ("cpu,cpuacct", "name=systemd"). */
struct hierarchy {
	char name[1024];
	char options[256];
	bool v2;
};

/* Keeps only the options that select a v1 hierarchy (controllers and name=). */
static void selecting_options(const char *super, char *out, size_t size)
{
	_cleanup_free_ char *copy = xstrdup(super);
	size_t len = 0;

	out[0] = '\0';
	for (char *save = NULL, *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "rw") == 0 || strcmp(o, "ro") == 0 || strncmp(o, "release_agent", 13) == 0 ||
		    strcmp(o, "clone_children") == 0 || strcmp(o, "noprefix") == 0 || strcmp(o, "xattr") == 0 ||
		    strcmp(o, "nsdelegate") == 0 || strcmp(o, "memory_recursiveprot") == 0)
			continue;
		len += (size_t)snprintf(out + len, size > len ? size - len : 0, "%s%s", len ? "," : "", o);
	}
}

/* The hierarchies mounted directly under /sys/fs/cgroup, from /proc/self/mountinfo. */
static size_t host_hierarchies(struct hierarchy *out, size_t max, bool *root_is_v2)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	size_t n = 0;

	*root_is_v2 = false;
	while (f && n < max && fgets(line, sizeof line, f)) {
		char mnt[1024], fstype[64], super[1024];
		char *sep = strstr(line, " - ");
		if (sep == NULL || sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, super) != 2)
			continue;
		bool v2 = strcmp(fstype, "cgroup2") == 0;
		if (!v2 && strcmp(fstype, "cgroup") != 0)
			continue;
		if (strcmp(mnt, "/sys/fs/cgroup") == 0 && v2) {
			*root_is_v2 = true;
			continue;
		}
		if (strncmp(mnt, "/sys/fs/cgroup/", 15) != 0 || strchr(mnt + 15, '/'))
			continue;
		snprintf(out[n].name, sizeof out[n].name, "%s", mnt + 15);
		if (!v2)
			selecting_options(super, out[n].options, sizeof out[n].options);
		out[n].v2 = v2;
		n++;
	}
	return n;
}

/* The init's own cgroup in hierarchy h, from /proc/self/cgroup ("ID:controllers:path";
 * cgroup2 is the line with no controllers). */
static bool own_cgroup(const struct hierarchy *h, char *path, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	char line[4096];

	while (f && fgets(line, sizeof line, f)) {
		char *ctrl = strchr(line, ':'), *rel = ctrl ? strchr(ctrl + 1, ':') : NULL;
		if (rel == NULL)
			continue;
		*rel++ = '\0';
		rel[strcspn(rel, "\n")] = '\0';
		ctrl++;
		if (h->v2 ? *ctrl == '\0' : strcmp(ctrl, h->options) == 0) {
			snprintf(path, size, "%s", rel);
			return true;
		}
	}
	return false;
}

/* Mounts hierarchy h at name under dirfd: a new instance when the container has a cgroup
 * namespace (rooted at its own cgroup), else a bind of its own cgroup directory from the
 * host's mount, so it sees neither the host's tree nor needs rights over the host's
 * cgroup namespace (a user namespace has none). */
static int mount_hierarchy(int dirfd, const char *name, const struct hierarchy *h, bool new_instance,
			   unsigned long flags, struct fy_error **err)
{
	if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return fy_error_sys(err, "create \"%s\"", name);
	_cleanup_close_ int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\"", name);
	char target[64];
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	const char *type = h->v2 ? "cgroup2" : "cgroup";
	if (new_instance) {
		if (mount(type, target, type, flags, h->v2 ? NULL : h->options) < 0)
			return fy_error_sys(err, "mount %s on \"%s\"", type, name);
		return 0;
	}
	char own[2048];
	if (!own_cgroup(h, own, sizeof own))
		return fy_error_set(err, 0, "find the container's cgroup in hierarchy \"%s\"", h->name);
	_cleanup_free_ char *source =
	    h->name[0] ? xasprintf("/sys/fs/cgroup/%s%s", h->name, own) : xasprintf("/sys/fs/cgroup%s", own);
	if (mount(source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fy_error_sys(err, "bind \"%s\" on \"%s\"", source, name);
	/* Reopen: the fd names the directory under the bind, the remount wants the bind. */
	close(fd);
	fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
	if (flags && mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
		return fy_error_sys(err, "remount \"%s\"", name);
	return 0;
}

int rootfs_mount_cgroup(int rootfd, const struct mount_step *step, bool has_cgroup_ns, struct fy_error **err)
{
	struct hierarchy h[32];
	bool root_is_v2;
	size_t n = host_hierarchies(h, ARRAY_SIZE(h), &root_is_v2);
	unsigned long flags =
	    step->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME | MS_NOATIME | MS_STRICTATIME | MS_RDONLY);
	_cleanup_close_ int dest = rootfs_mkdir_in_root(rootfd, step->destination, err);
	if (dest < 0)
		return -1;
	char target[64];
	snprintf(target, sizeof target, "/proc/self/fd/%d", dest);

	if (root_is_v2) {
		/* The destination itself is the hierarchy: mount it at "." of dest. */
		struct hierarchy v2 = { .name = "", .v2 = true };
		return mount_hierarchy(dest, ".", &v2, has_cgroup_ns, flags, err);
	}
	if (mount("tmpfs", target, "tmpfs", flags & ~MS_RDONLY, "mode=755") < 0)
		return fy_error_sys(err, "mount tmpfs for the cgroup hierarchies");
	_cleanup_close_ int tmpfs = fy_open_in_root(rootfd, step->destination, O_PATH | O_DIRECTORY, 0);
	if (tmpfs < 0)
		return fy_error_sys(err, "open the cgroup tmpfs");
	for (size_t i = 0; i < n; i++) {
		if (mount_hierarchy(tmpfs, h[i].name, &h[i], has_cgroup_ns, flags, err) < 0)
			return -1;
		/* "cpu,cpuacct" is also reachable as cpu/ and cpuacct/. */
		if (!h[i].v2 && strchr(h[i].name, ',')) {
			_cleanup_free_ char *names = xstrdup(h[i].name);
			for (char *save = NULL, *c = strtok_r(names, ",", &save); c; c = strtok_r(NULL, ",", &save))
				(void)!symlinkat(h[i].name, tmpfs, c);
		}
	}
	if (flags & MS_RDONLY) {
		snprintf(target, sizeof target, "/proc/self/fd/%d", tmpfs);
		if (mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
			return fy_error_sys(err, "make the cgroup tmpfs read-only");
	}
	return 0;
}
