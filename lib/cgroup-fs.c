/* File helpers shared by the cgroup backends: cgroupfs files take one value per
 * write(2), report bad values as EINVAL on that write, and directories are removed with
 * rmdir(2) only (never unlink of the files inside). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cgroup-internal.h"
#include "lib/error.h"
#include "lib/util.h"

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int cgroup_fs_write(const char *dir, const char *file, const char *value, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	size_t len = strlen(value);
	ssize_t n;

	if (fd < 0)
		return fy_error_sys(err, "open %s", path);
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fy_error_sys(err, "write \"%s\" to %s", value, path);
	if ((size_t)n != len)
		return fy_error_set(err, EIO, "write \"%s\" to %s: short write", value, path);
	return 0;
}

char *cgroup_fs_read(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	_cleanup_error_ struct fy_error *err = NULL;
	char *data = NULL;
	size_t len = 0;

	if (fy_read_file(path, &data, &len, &err) < 0) {
		errno = err && err->errnum ? err->errnum : EIO;
		return NULL;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	return data;
}

int cgroup_fs_read_u64(const char *dir, const char *file, uint64_t *out)
{
	_cleanup_free_ char *s = cgroup_fs_read(dir, file);
	char *end = NULL;

	if (s == NULL)
		return -1;
	if (strcmp(s, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	return 0;
}

int cgroup_fs_read_keyed(const char *dir, const char *file, const char *key, uint64_t *out)
{
	_cleanup_free_ char *s = cgroup_fs_read(dir, file);
	size_t klen = strlen(key);

	if (s == NULL)
		return -1;
	for (char *line = s; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			*out = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	errno = ENOENT;
	return -1;
}

bool cgroup_fs_exists(const char *dir, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

int cgroup_fs_mkdir_path(struct fy_cgroup *cg, const char *root, const char *path, struct fy_error **err)
{
	_cleanup_free_ char *full = xasprintf("%s%s", root, path);
	size_t rlen = strlen(root);

	for (char *p = full + rlen + 1;; p++) {
		char saved;
		p = strchrnul(p, '/');
		saved = *p;
		*p = '\0';
		if (mkdir(full, 0755) == 0) {
			cg->created = xrealloc(cg->created, (cg->n_created + 1) * sizeof(char *));
			cg->created[cg->n_created++] = xstrdup(full);
		} else if (errno != EEXIST) {
			return fy_error_sys(err, "create cgroup %s", full);
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	return 0;
}

static int rmdir_children(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		_cleanup_free_ char *sub = xasprintf("%s/%s", dir, e->d_name);
		if (rmdir_children(sub) < 0 || (rmdir(sub) < 0 && errno != ENOENT))
			return -1;
	}
	return 0;
}

int cgroup_fs_rmdir_tree(const char *dir, struct fy_error **err)
{
	/* A cgroup whose last task just exited stays busy until the kernel has finished
	 * tearing the task down (css offlining is asynchronous): retry for about 5 s. */
	for (int attempt = 0;; attempt++) {
		if (rmdir_children(dir) == 0 && (rmdir(dir) == 0 || errno == ENOENT))
			return 0;
		if (errno != EBUSY || attempt >= 500)
			return fy_error_sys(err, "remove cgroup %s", dir);
		sleep_ms(10);
	}
}

static int pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return (x > y) - (x < y);
}

static int collect_pids(const char *dir, pid_t **pids, size_t *n, struct fy_error **err)
{
	_cleanup_free_ char *procs = cgroup_fs_read(dir, "cgroup.procs");
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *e;

	if (procs == NULL)
		return fy_error_sys(err, "read %s/cgroup.procs", dir);
	for (char *line = procs; *line;) {
		char *nl = strchrnul(line, '\n');
		long pid;
		char saved = *nl;
		*nl = '\0';
		if (fy_parse_long(line, &pid) == 0 && pid > 0) {
			*pids = xrealloc(*pids, (*n + 1) * sizeof(pid_t));
			(*pids)[(*n)++] = (pid_t)pid;
		}
		line = saved ? nl + 1 : nl;
	}
	d = opendir(dir);
	if (d == NULL)
		return fy_error_sys(err, "open cgroup %s", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		_cleanup_free_ char *sub = xasprintf("%s/%s", dir, e->d_name);
		if (collect_pids(sub, pids, n, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_fs_read_pids(const char *dir, pid_t **pids, size_t *n, struct fy_error **err)
{
	pid_t *list = NULL;
	size_t count = 0, out = 0;

	if (collect_pids(dir, &list, &count, err) < 0) {
		free(list);
		return -1;
	}
	qsort(list, count, sizeof(pid_t), pid_cmp);
	for (size_t i = 0; i < count; i++)
		if (out == 0 || list[out - 1] != list[i])
			list[out++] = list[i];
	*pids = list;
	*n = out;
	return 0;
}

int cgroup_fs_enter(const char *dir, pid_t pid, struct fy_error **err)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return cgroup_fs_write(dir, "cgroup.procs", buf, err);
}

/* ---- freezer ------------------------------------------------------------------------ */

int cgroup_fs_is_frozen_v1(const char *dir, bool *frozen, struct fy_error **err)
{
	_cleanup_free_ char *state = cgroup_fs_read(dir, "freezer.state");

	if (state == NULL)
		return fy_error_sys(err, "read %s/freezer.state", dir);
	/* FREEZING counts as not frozen: the transition is not complete. */
	*frozen = strcmp(state, "FROZEN") == 0;
	return 0;
}

int cgroup_fs_freeze_v1(const char *dir, bool frozen, struct fy_error **err)
{
	const char *want = frozen ? "FROZEN" : "THAWED";

	/* A task forking or in an uninterruptible sleep can leave the state at FREEZING;
	 * writing FROZEN again retries the freeze (runc does the same). */
	for (int attempt = 0; attempt < 1000; attempt++) {
		_cleanup_free_ char *state = NULL;
		if (cgroup_fs_write(dir, "freezer.state", want, err) < 0)
			return -1;
		state = cgroup_fs_read(dir, "freezer.state");
		if (state == NULL)
			return fy_error_sys(err, "read %s/freezer.state", dir);
		if (strcmp(state, want) == 0)
			return 0;
		sleep_ms(attempt < 10 ? 1 : 10);
	}
	return fy_error_set(err, EBUSY, "%s cgroup %s: freezer.state stays in transition", frozen ? "freeze" : "thaw",
			    dir);
}

int cgroup_fs_is_frozen_v2(const char *dir, bool *frozen, struct fy_error **err)
{
	uint64_t v = 0;

	if (cgroup_fs_read_keyed(dir, "cgroup.events", "frozen", &v) < 0)
		return fy_error_sys(err, "read \"frozen\" from %s/cgroup.events", dir);
	*frozen = v == 1;
	return 0;
}

int cgroup_fs_freeze_v2(const char *dir, bool frozen, struct fy_error **err)
{
	if (cgroup_fs_write(dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return -1;
	/* cgroup.freeze is a request; cgroup.events "frozen" says when it is done. */
	for (int attempt = 0; attempt < 1000; attempt++) {
		bool now;
		if (cgroup_fs_is_frozen_v2(dir, &now, err) < 0)
			return -1;
		if (now == frozen)
			return 0;
		sleep_ms(attempt < 10 ? 1 : 10);
	}
	return fy_error_set(err, EBUSY, "%s cgroup %s: cgroup.events never reported frozen %d",
			    frozen ? "freeze" : "thaw", dir, frozen ? 1 : 0);
}
