/* Where a container's cgroup goes: linux.cgroupsPath (config-linux.md "Cgroups Path")
 * resolved to one absolute, clean path inside the cgroup hierarchy.  Pure code. */
#ifndef FOUNDRY_CGROUP_PATH_H
#define FOUNDRY_CGROUP_PATH_H

struct fy_error;

#define CGROUP_DEFAULT_PARENT "/foundry"
#define CGROUP_DEFAULT_SLICE "system.slice"
#define CGROUP_SYSTEMD_PREFIX "foundry"

/* manager "cgroupfs" (or NULL):
 *   absent            -> "/foundry/<id>"
 *   "/a/b" or "a/b"   -> "/a/b" (relative paths are taken from the hierarchy's root;
 *                        "." and ".." are resolved lexically and never climb above it)
 * manager "systemd" ("slice:prefix:name", systemd's own cgroup layout):
 *   absent                          -> "/system.slice/foundry-<id>.scope"
 *   "machine-x.slice:libpod:abc"    -> "/machine.slice/machine-x.slice/libpod-abc.scope"
 *   "a.slice::b.slice"              -> "/a.slice/b.slice"
 * The root itself is refused: a container cannot own the root cgroup. */
char *cgroup_path_resolve(const char *manager, const char *id, const char *cgroups_path, struct fy_error **err);

/* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice" ("-.slice" is the root "/"). */
char *cgroup_path_expand_slice(const char *slice, struct fy_error **err);

/* Lexically cleans an absolute or relative path into an absolute one ("/" at least). */
char *cgroup_path_clean(const char *path);

#endif
