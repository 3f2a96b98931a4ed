#include "config.h"

#include "lib/init.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/hooks.h"
#include "lib/process.h"
#include "lib/rootfs.h"
#include "lib/state.h"
#include "lib/sync.h"
#include "lib/terminal.h"
#include "lib/util.h"

#define KEYCTL_JOIN_SESSION_KEYRING 1

/* Before READY, errors go to the parent over the sync socket. */
static __attribute__((noreturn)) void fail_to_parent(const struct init_context *ctx, struct fy_error **err)
{
	sync_send_error(ctx->sync_fd, *err);
	_exit(FY_EXIT_ERROR);
}

/* After READY the parent is gone: errors go to `start` through exec.fifo, which reads
 * until end of file (the fd is close-on-exec, so a successful execve is end of file). */
static __attribute__((noreturn)) void fail_to_start(int fifo, struct fy_error **err, int status)
{
	const char *msg = (*err && (*err)->msg) ? (*err)->msg : "unknown error";
	(void)fy_write_all(fifo, msg, strlen(msg));
	fy_log(FY_LOG_ERROR, "%s", msg);
	_exit(status);
}

static int init_identity(const struct init_context *ctx, struct fy_error **err)
{
	const struct spec_config *c = ctx->config;

	if (ns_join_in_child(ctx->namespaces, err) < 0)
		return -1;
	/* The cgroup namespace is made here, once the parent has put us in our cgroup, so
	 * that its root is the container's cgroup and not the runtime's. */
	if (ctx->namespaces->unshare_cgroup && unshare(CLONE_NEWCGROUP) < 0)
		return fy_error_sys(err, "create cgroup namespace");
	if (ctx->namespaces->unshare_time && ns_enter_new_time(c->linux_->time_offsets, err) < 0)
		return -1;
	if (ctx->namespaces->has[SPEC_NS_USER]) {
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			return fy_error_sys(err, "become root in the user namespace (is uid/gid 0 mapped?)");
	}
	if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0)
		return fy_error_sys(err, "set hostname \"%s\"", c->hostname);
	if (c->domainname && setdomainname(c->domainname, strlen(c->domainname)) < 0)
		return fy_error_sys(err, "set domainname \"%s\"", c->domainname);
	/* A session keyring of its own, so the container does not see the host's keys, named
	 * "_ses.<id>" as runc names it.  ENOSYS/EACCES: the kernel or a policy forbids keyrings;
	 * runc carries on too. */
	if (!ctx->no_new_keyring) {
		char name[sizeof "_ses." + 1024];
		snprintf(name, sizeof name, "_ses.%s", ctx->id);
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name) < 0 && errno != ENOSYS && errno != EACCES &&
		    errno != EDQUOT)
			return fy_error_sys(err, "join a new session keyring");
	}
	if (process_set_oom_score_adj(c->process, err) < 0 || process_set_rlimits(c->process, err) < 0)
		return -1;
	return 0;
}

static int init_filesystem(const struct init_context *ctx, struct fy_error **err)
{
	const struct spec_config *c = ctx->config;

	if (!ctx->namespaces->has[SPEC_NS_MOUNT])
		return fy_error_set(err, 0, "config.json: .linux.namespaces: a mount namespace is required");
	struct rootfs_options opts = {
		.rootfs = ctx->rootfs,
		.plan = ctx->mounts,
		.config = c,
		.in_user_ns = ctx->namespaces->has[SPEC_NS_USER],
		.has_cgroup_ns = ctx->namespaces->has[SPEC_NS_CGROUP],
	};
	return rootfs_prepare(&opts, err);
}

/* process.terminal: the pty comes from the container's own devpts, so this runs after the
 * switch (and before seccomp, which may forbid its ioctls).  The peer stays as our stdio and
 * /dev/console; the master goes to the parent. */
static int init_terminal(const struct init_context *ctx, struct fy_error **err)
{
	const struct spec_process *p = ctx->config->process;
	int master;

	if (terminal_setup_in_container(p->console_size, p->user.uid, true, &master, err) < 0)
		return -1;
	int r = sync_send_fd(ctx->sync_fd, SYNC_TERMINAL, master);
	close(master);
	if (r < 0)
		return fy_error_sys(err, "send the pty to the runtime");
	return 0;
}

static int init_after_hooks(const struct init_context *ctx, const char *state_json, char **exe, struct fy_error **err)
{
	const struct spec_config *c = ctx->config;

	/* createContainer hooks: in the container's namespaces, before pivot_root. */
	if (hooks_run_stage(c->hooks, SPEC_HOOK_CREATE_CONTAINER, state_json, err) < 0)
		return -1;
	if (rootfs_switch(ctx->rootfs, ctx->no_pivot, ctx->mounts->root_propagation, err) < 0)
		return -1;
	/* The container's /proc is in place and /proc/sys not yet read-only. */
	if (security_apply_sysctl(c, err) < 0)
		return -1;
	if (rootfs_finalize(c, err) < 0)
		return -1;
	if (c->process->terminal && init_terminal(ctx, err) < 0)
		return -1;
	if (process_chdir(c->process->cwd, err) < 0)
		return -1;
	*exe = process_find_executable(c->process, err);
	if (*exe == NULL)
		return -1;
	return process_close_fds_on_exec(ctx->preserve_fds, err);
}

/* Blocks until `start` opens exec.fifo, then confirms with one byte. */
static int wait_for_start(const struct init_context *ctx, struct fy_error **err)
{
	int fifo = openat(ctx->state_dir_fd, FY_EXEC_FIFO, O_WRONLY | O_CLOEXEC);
	if (fifo < 0)
		return fy_error_sys(err, "open exec.fifo");
	if (fy_write_all(fifo, "0", 1) < 0) {
		close(fifo);
		return fy_error_sys(err, "write exec.fifo");
	}
	close(ctx->state_dir_fd);
	return fifo;
}

/* The caller's other fds (a pipe a shell reads until end of file, say) must not stay
 * open in an init that waits for `start`: keep stdio, the preserved fds and our own. */
static void close_inherited_fds(const struct init_context *ctx)
{
	int keep[4 + SPEC_NS_COUNT];
	size_t n_keep = 0;
	keep[n_keep++] = ctx->sync_fd;
	keep[n_keep++] = ctx->state_dir_fd;
	keep[n_keep++] = fy_log_fd();
	for (int i = 0; i < SPEC_NS_COUNT; i++)
		keep[n_keep++] = ctx->namespaces->join_fd[i];

	_cleanup_closedir_ DIR *dir = opendir("/proc/self/fd");
	if (dir == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(dir)) != NULL) {
		long fd;
		if (fy_parse_long(de->d_name, &fd) < 0 || fd < 3 + ctx->preserve_fds || fd == dirfd(dir))
			continue;
		bool needed = false;
		for (size_t i = 0; i < n_keep; i++)
			needed = needed || keep[i] == fd;
		if (!needed)
			close((int)fd);
	}
}

void init_run(const struct init_context *ctx)
{
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_free_ char *exe = NULL;
	const struct spec_config *c = ctx->config;
	char state_json[SYNC_MAX_PAYLOAD];

	/* Until READY the runtime owns this process: every wait below is on the sync
	 * socket, whose end of file (the runtime died) makes us exit.  No death signal: our
	 * parent may be the short-lived process that joined a user namespace (spawn.c). */
	for (size_t i = 0; i < ARRAY_SIZE(ctx->parent_fds); i++)
		close(ctx->parent_fds[i]);
	close_inherited_fds(ctx);
	if (sync_expect(ctx->sync_fd, SYNC_GO, &err) < 0)
		_exit(FY_EXIT_ERROR);
	if (init_identity(ctx, &err) < 0 || init_filesystem(ctx, &err) < 0)
		fail_to_parent(ctx, &err);
	if (sync_send(ctx->sync_fd, SYNC_HOOKS, 0, NULL) < 0 ||
	    sync_expect_text(ctx->sync_fd, SYNC_HOOKS_DONE, state_json, sizeof state_json, &err) < 0)
		_exit(FY_EXIT_ERROR);
	/* HOOKS_DONE carries two states, one per line: "creating" for createContainer hooks
	 * and "created" for startContainer hooks. */
	char *created_json = strchr(state_json, '\n');
	if (created_json)
		*created_json++ = '\0';
	else
		created_json = state_json;
	if (init_after_hooks(ctx, state_json, &exe, &err) < 0 ||
	    security_apply(c, ctx->security, ctx->sync_fd, &err) < 0)
		fail_to_parent(ctx, &err);
	if (sync_send(ctx->sync_fd, SYNC_READY, 0, NULL) < 0)
		_exit(FY_EXIT_ERROR);
	close(ctx->sync_fd);

	int fifo = wait_for_start(ctx, &err);
	if (fifo < 0)
		fail_to_start(-1, &err, FY_EXIT_ERROR);
	if (hooks_run_stage(c->hooks, SPEC_HOOK_START_CONTAINER, created_json, &err) < 0)
		fail_to_start(fifo, &err, FY_EXIT_ERROR);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL); /* foreground run blocked them for its wait */
	execve(exe, c->process->args, c->process->env ? c->process->env : (char *[]){ NULL });
	fy_error_sys(&err, "exec \"%s\"", exe);
	fail_to_start(fifo, &err, FY_EXIT_EXEC_FAILED);
}
