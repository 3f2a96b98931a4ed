/* Resolution of linux.cgroupsPath (see cgroup-path.h). */
#include "config.h"

#include "lib/cgroup-path.h"

#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"

char *cgroup_path_clean(const char *path)
{
	size_t len = strlen(path);
	char *out = xmalloc(len + 2);
	size_t n = 0;
	const char *p = path;

	out[n++] = '/';
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t seg = (size_t)(end - p);
		if (seg == 0 || (seg == 1 && p[0] == '.')) {
			/* empty or "." */
		} else if (seg == 2 && p[0] == '.' && p[1] == '.') {
			/* ".." never climbs above the root (runc's CleanPath). */
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--;
		} else {
			if (n > 1)
				out[n++] = '/';
			memcpy(out + n, p, seg);
			n += seg;
		}
		p = *end ? end + 1 : end;
	}
	out[n] = '\0';
	return out;
}

char *cgroup_path_expand_slice(const char *slice, struct fy_error **err)
{
	size_t len = strlen(slice);
	const char *suffix = ".slice";
	size_t slen = strlen(suffix);

	if (len <= slen || strcmp(slice + len - slen, suffix) != 0 || strchr(slice, '/')) {
		fy_error_set(err, 0, "invalid systemd slice \"%s\": expected a name ending in \".slice\"", slice);
		return NULL;
	}
	if (strcmp(slice, "-.slice") == 0)
		return xstrdup("/");

	_cleanup_free_ char *name = xstrndup(slice, len - slen);
	if (name[0] == '-' || name[strlen(name) - 1] == '-' || strstr(name, "--")) {
		fy_error_set(err, 0, "invalid systemd slice \"%s\": empty component", slice);
		return NULL;
	}
	/* Each dash-separated prefix is a parent slice. */
	char *out = xstrdup("");
	for (char *dash = name;; dash++) {
		dash = strchrnul(dash, '-');
		_cleanup_free_ char *prefix = xstrndup(name, (size_t)(dash - name));
		char *next = xasprintf("%s/%s.slice", out, prefix);
		free(out);
		out = next;
		if (*dash == '\0')
			break;
	}
	return out;
}

static char *systemd_path(const char *id, const char *cgroups_path, struct fy_error **err)
{
	_cleanup_free_ char *def = NULL;
	const char *spec = cgroups_path;

	if (spec == NULL || *spec == '\0')
		spec = def = xasprintf("%s:%s:%s", CGROUP_DEFAULT_SLICE, CGROUP_SYSTEMD_PREFIX, id);
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c1 == NULL || c2 == NULL || strchr(c2 + 1, ':') || strchr(spec, '/')) {
		fy_error_set(err, 0,
			     "linux.cgroupsPath \"%s\": expected \"slice:prefix:name\" with the systemd cgroup manager",
			     spec);
		return NULL;
	}
	_cleanup_free_ char *slice = c1 == spec ? xstrdup(CGROUP_DEFAULT_SLICE) : xstrndup(spec, (size_t)(c1 - spec));
	_cleanup_free_ char *prefix = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
	const char *name = c2 + 1;
	if (*name == '\0') {
		fy_error_set(err, 0, "linux.cgroupsPath \"%s\": the unit name is empty", spec);
		return NULL;
	}
	_cleanup_free_ char *parent = cgroup_path_expand_slice(slice, err);
	if (parent == NULL)
		return NULL;
	size_t nlen = strlen(name);
	_cleanup_free_ char *unit = NULL;
	if (nlen > 6 && strcmp(name + nlen - 6, ".slice") == 0)
		unit = xstrdup(name);
	else if (*prefix)
		unit = xasprintf("%s-%s.scope", prefix, name);
	else
		unit = xasprintf("%s.scope", name);
	_cleanup_free_ char *joined = xasprintf("%s/%s", parent, unit);
	return cgroup_path_clean(joined);
}

char *cgroup_path_resolve(const char *manager, const char *id, const char *cgroups_path, struct fy_error **err)
{
	char *path;

	if (manager && strcmp(manager, "systemd") == 0) {
		path = systemd_path(id, cgroups_path, err);
		if (path == NULL)
			return NULL;
	} else if (cgroups_path == NULL || *cgroups_path == '\0') {
		if (id == NULL || *id == '\0' || strchr(id, '/') || strcmp(id, "..") == 0 || strcmp(id, ".") == 0) {
			fy_error_set(err, 0, "no cgroupsPath and no usable container id for the default cgroup path");
			return NULL;
		}
		path = xasprintf(CGROUP_DEFAULT_PARENT "/%s", id);
	} else {
		path = cgroup_path_clean(cgroups_path);
	}
	if (strcmp(path, "/") == 0) {
		free(path);
		fy_error_set(err, 0, "linux.cgroupsPath \"%s\": the root cgroup cannot be a container's cgroup",
			     cgroups_path ? cgroups_path : "");
		return NULL;
	}
	return path;
}
