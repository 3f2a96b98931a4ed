#include "config.h"

#include "lib/process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

int process_rlimit_resource(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(rlimits); i++)
		if (strcmp(rlimits[i].name, name) == 0)
			return rlimits[i].resource;
	return -1;
}

int process_set_rlimits(const struct spec_process *p, struct fy_error **err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct spec_rlimit *r = &p->rlimits[i];
		int resource = process_rlimit_resource(r->type);
		if (resource < 0)
			return fy_error_set(err, 0, "config.json: .process.rlimits[%zu].type: unknown rlimit \"%s\"", i,
					    r->type);
		struct rlimit lim = { .rlim_cur = r->soft, .rlim_max = r->hard };
		if (setrlimit(resource, &lim) < 0)
			return fy_error_sys(err, "set %s to soft %llu, hard %llu", r->type, (unsigned long long)r->soft,
					    (unsigned long long)r->hard);
	}
	return 0;
}

int process_set_oom_score_adj(const struct spec_process *p, struct fy_error **err)
{
	if (!p->has_oom_score_adj)
		return 0;
	char value[16];
	int n = snprintf(value, sizeof value, "%d", p->oom_score_adj);
	if (fy_write_file("/proc/self/oom_score_adj", value, (size_t)n, 0, err) < 0)
		return fy_error_wrap(err, "set oomScoreAdj %d", p->oom_score_adj);
	return 0;
}

int process_set_user(const struct spec_user *u, struct fy_error **err)
{
	gid_t *groups = xzalloc((u->n_additional_gids + 1) * sizeof *groups);
	for (size_t i = 0; i < u->n_additional_gids; i++)
		groups[i] = u->additional_gids[i];
	int r = setgroups(u->n_additional_gids, groups);
	free(groups);
	/* EPERM in a user namespace with setgroups denied: only an empty list was possible. */
	if (r < 0 && !(errno == EPERM && u->n_additional_gids == 0))
		return fy_error_sys(err, "set additional groups");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return fy_error_sys(err, "set gid %u", u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return fy_error_sys(err, "set uid %u", u->uid);
	if (u->has_umask)
		umask((mode_t)u->umask);
	return 0;
}

int process_chdir(const char *cwd, struct fy_error **err)
{
	char buf[PATH_MAX];

	if (chdir(cwd) < 0)
		return fy_error_sys(err, "chdir to cwd \"%s\"", cwd);
	if (getcwd(buf, sizeof buf) == NULL) {
		if (errno == ENOENT)
			return fy_error_set(err, 0, "cwd \"%s\" is outside the container's root", cwd);
		return fy_error_sys(err, "check cwd \"%s\"", cwd);
	}
	if (buf[0] != '/')
		return fy_error_set(err, 0, "cwd \"%s\" is outside the container's root", cwd);
	return 0;
}

static const char *env_path(const struct spec_process *p)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			return p->env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static bool is_executable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *process_find_executable(const struct spec_process *p, struct fy_error **err)
{
	const char *name = p->args[0];

	if (strchr(name, '/')) {
		if (!is_executable_file(name)) {
			fy_error_sys(err, "exec: \"%s\"", name);
			return NULL;
		}
		return xstrdup(name);
	}
	_cleanup_free_ char *path = xstrdup(env_path(p));
	for (char *save = NULL, *dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *candidate = xasprintf("%s/%s", *dir ? dir : ".", name);
		if (is_executable_file(candidate))
			return candidate;
		free(candidate);
	}
	fy_error_set(err, 0, "exec: \"%s\": executable file not found in $PATH", name);
	return NULL;
}

int process_close_fds_on_exec(int preserve_fds, struct fy_error **err)
{
	unsigned int first = 3u + (unsigned int)preserve_fds;
	if (syscall(SYS_close_range, first, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/* Kernels before 5.11: walk /proc/self/fd. */
	_cleanup_closedir_ DIR *dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return fy_error_sys(err, "list open file descriptors");
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		long fd;
		if (fy_parse_long(de->d_name, &fd) < 0 || fd < (long)first || fd == dirfd(dir))
			continue;
		fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	}
	return 0;
}
