#include "config.h"

#include "lib/state.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

static const char *const status_names[] = {
	[FY_STATUS_CREATING] = "creating", [FY_STATUS_CREATED] = "created", [FY_STATUS_RUNNING] = "running",
	[FY_STATUS_PAUSED] = "paused",     [FY_STATUS_STOPPED] = "stopped",
};

const char *fy_status_name(enum fy_status status)
{
	return status_names[status];
}

int fy_state_validate_id(const char *id, struct fy_error **err)
{
	if (id == NULL || *id == '\0')
		return fy_error_set(err, 0, "container id must not be empty");
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0 || strlen(id) > 1024)
		return fy_error_set(err, 0, "invalid container id \"%s\"", id);
	for (const char *p = id; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return fy_error_set(
			    err, 0, "invalid container id \"%s\": only letters, digits and _ + - . are allowed", id);
	}
	return 0;
}

static int lock_dir(int dirfd, const char *id, struct fy_error **err)
{
	while (flock(dirfd, LOCK_EX) < 0) {
		if (errno != EINTR)
			return fy_error_sys(err, "lock state of container \"%s\"", id);
	}
	return 0;
}

int fy_state_dir_create(const char *root, const char *id, struct fy_error **err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1;

	if (fy_state_validate_id(id, err) < 0)
		return -1;
	if (fy_mkdir_p(root, 0700, err) < 0)
		return fy_error_wrap(err, "create state root");
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return fy_error_sys(err, "open state root \"%s\"", root);
	if (mkdirat(rootfd, id, 0711) < 0) {
		if (errno == EEXIST)
			return fy_error_set(err, 0, FY_MSG_EXISTS);
		return fy_error_sys(err, "create state directory \"%s/%s\"", root, id);
	}
	dirfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return fy_error_sys(err, "open state directory \"%s/%s\"", root, id);
	if (lock_dir(dirfd, id, err) < 0)
		return -1;
	int ret = dirfd;
	dirfd = -1;
	return ret;
}

int fy_state_dir_open(const char *root, const char *id, bool lock, struct fy_error **err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int dirfd = -1;

	if (fy_state_validate_id(id, err) < 0)
		return -1;
	path = xasprintf("%s/%s", root, id);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT)
			return fy_error_set(err, 0, FY_MSG_NOT_EXIST);
		return fy_error_sys(err, "open state directory \"%s\"", path);
	}
	if (lock && lock_dir(dirfd, id, err) < 0)
		return -1;
	/* A delete that ran while we waited for the lock removed the directory under us. */
	struct stat st;
	if (fstat(dirfd, &st) < 0 || st.st_nlink == 0)
		return fy_error_set(err, 0, FY_MSG_NOT_EXIST);
	int ret = dirfd;
	dirfd = -1;
	return ret;
}

int fy_state_dir_remove(const char *root, const char *id, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, id);
	_cleanup_closedir_ DIR *dir = opendir(path);

	if (dir == NULL) {
		if (errno == ENOENT)
			return 0;
		return fy_error_sys(err, "open state directory \"%s\"", path);
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd(dir), de->d_name, 0) < 0 && errno != ENOENT)
			return fy_error_sys(err, "remove \"%s/%s\"", path, de->d_name);
	}
	if (rmdir(path) < 0 && errno != ENOENT)
		return fy_error_sys(err, "remove state directory \"%s\"", path);
	return 0;
}

/* ---- state.json ------------------------------------------------------------------ */

#define GEN_STR(g, s) yajl_gen_string((g), (const unsigned char *)(s), strlen(s))

static void gen_kv_string(yajl_gen g, const char *key, const char *value)
{
	GEN_STR(g, key);
	GEN_STR(g, value ? value : "");
}

static void gen_kv_integer(yajl_gen g, const char *key, long long value)
{
	GEN_STR(g, key);
	yajl_gen_integer(g, value);
}

static void gen_kv_bool(yajl_gen g, const char *key, bool value)
{
	GEN_STR(g, key);
	yajl_gen_bool(g, value);
}

int fy_state_write(int dirfd, const struct fy_state *s, struct fy_error **err)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	size_t len;

	yajl_gen_map_open(g);
	gen_kv_string(g, "id", s->id);
	gen_kv_integer(g, "pid", s->pid);
	/* As a string: a 64-bit tick count does not fit yajl's signed integer in every case. */
	_cleanup_free_ char *start = xasprintf("%llu", s->pid_start_time);
	gen_kv_string(g, "pidStartTime", start);
	gen_kv_string(g, "bundle", s->bundle);
	gen_kv_string(g, "rootfs", s->rootfs);
	gen_kv_string(g, "created", s->created);
	gen_kv_string(g, "owner", s->owner);
	gen_kv_string(g, "cgroupManager", s->cgroup_manager);
	gen_kv_string(g, "cgroupPath", s->cgroup_path);
	gen_kv_bool(g, "hasPoststartHooks", s->has_poststart_hooks);
	gen_kv_bool(g, "hasPoststopHooks", s->has_poststop_hooks);
	GEN_STR(g, "annotations");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < s->n_annotations; i++)
		gen_kv_string(g, s->annotations[i].key, s->annotations[i].value);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &buf, &len);

	int ret = 0;
	_cleanup_free_ char *tmp = xasprintf("%s.tmp", FY_STATE_FILE);
	_cleanup_close_ int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fy_write_all(fd, buf, len) < 0)
		ret = fy_error_sys(err, "write container state \"%s\"", s->id);
	else if (renameat(dirfd, tmp, dirfd, FY_STATE_FILE) < 0)
		ret = fy_error_sys(err, "replace container state \"%s\"", s->id);
	yajl_gen_free(g);
	return ret;
}

static char *tree_string(yajl_val root, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(root, path, yajl_t_string);
	return xstrdup(v ? YAJL_GET_STRING(v) : "");
}

static bool tree_bool(yajl_val root, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(root, path, yajl_t_any);
	return v && YAJL_IS_TRUE(v);
}

struct fy_state *fy_state_read(int dirfd, struct fy_error **err)
{
	_cleanup_free_ char *text = NULL;
	char errbuf[256];

	if (fy_read_file_at(dirfd, FY_STATE_FILE, &text, NULL, err) < 0)
		return NULL;
	yajl_val root = yajl_tree_parse(text, errbuf, sizeof errbuf);
	if (root == NULL || !YAJL_IS_OBJECT(root)) {
		fy_error_set(err, 0, "state.json: invalid JSON");
		yajl_tree_free(root);
		return NULL;
	}
	struct fy_state *s = xzalloc(sizeof *s);
	s->id = tree_string(root, "id");
	const char *pid_path[] = { "pid", NULL };
	yajl_val pid = yajl_tree_get(root, pid_path, yajl_t_number);
	s->pid = pid && YAJL_IS_INTEGER(pid) ? (pid_t)YAJL_GET_INTEGER(pid) : 0;
	_cleanup_free_ char *start = tree_string(root, "pidStartTime");
	s->pid_start_time = strtoull(start, NULL, 10);
	s->bundle = tree_string(root, "bundle");
	s->rootfs = tree_string(root, "rootfs");
	s->created = tree_string(root, "created");
	s->owner = tree_string(root, "owner");
	s->cgroup_manager = tree_string(root, "cgroupManager");
	s->cgroup_path = tree_string(root, "cgroupPath");
	s->has_poststart_hooks = tree_bool(root, "hasPoststartHooks");
	s->has_poststop_hooks = tree_bool(root, "hasPoststopHooks");
	const char *ann_path[] = { "annotations", NULL };
	yajl_val ann = yajl_tree_get(root, ann_path, yajl_t_object);
	if (ann) {
		size_t n = YAJL_GET_OBJECT(ann)->len;
		s->annotations = xzalloc(n * sizeof *s->annotations);
		for (size_t i = 0; i < n; i++) {
			yajl_val v = YAJL_GET_OBJECT(ann)->values[i];
			s->annotations[i].key = xstrdup(YAJL_GET_OBJECT(ann)->keys[i]);
			s->annotations[i].value = xstrdup(YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "");
		}
		s->n_annotations = n;
	}
	yajl_tree_free(root);
	return s;
}

void fy_state_free(struct fy_state *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->bundle);
	free(s->rootfs);
	free(s->created);
	free(s->owner);
	free(s->cgroup_manager);
	free(s->cgroup_path);
	for (size_t i = 0; i < s->n_annotations; i++) {
		free(s->annotations[i].key);
		free(s->annotations[i].value);
	}
	free(s->annotations);
	free(s);
}

void fy_state_freep(struct fy_state **s)
{
	fy_state_free(*s);
}

enum fy_status fy_state_status(int dirfd, const struct fy_state *s)
{
	if (!fy_process_alive(s->pid, s->pid_start_time))
		return FY_STATUS_STOPPED;
	if (faccessat(dirfd, FY_EXEC_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return FY_STATUS_CREATED;
	return FY_STATUS_RUNNING;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fy_state_list_ids(const char *root, struct fy_error **err)
{
	_cleanup_closedir_ DIR *dir = opendir(root);
	size_t n = 0, cap = 8;
	char **ids = xzalloc(cap * sizeof *ids);

	if (dir == NULL) {
		if (errno == ENOENT)
			return ids;
		fy_strv_free(ids);
		fy_error_sys(err, "open state root \"%s\"", root);
		return NULL;
	}
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (n + 1 >= cap) {
			cap *= 2;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[n++] = xstrdup(de->d_name);
		ids[n] = NULL;
	}
	qsort(ids, n, sizeof *ids, compare_strings);
	return ids;
}

char *fy_rfc3339_now(void)
{
	struct timespec ts;
	struct tm tm;
	char date[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", date, ts.tv_nsec);
}
