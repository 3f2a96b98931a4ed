#include "config.h"

#include "lib/spawn.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

/* Probe cache: clone3 answered ENOSYS once. */
static bool clone3_missing;

static pid_t clone_legacy(unsigned long flags)
{
	/* With a NULL stack, clone(2) behaves like fork: the child runs on a copy of ours. */
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
}

static pid_t clone_child(unsigned long flags, int cgroup_fd, bool *into_cgroup)
{
	*into_cgroup = false;
	if (!clone3_missing) {
		struct fy_clone_args args = { .flags = flags, .exit_signal = SIGCHLD };
		if (cgroup_fd >= 0) {
			args.flags |= CLONE_INTO_CGROUP;
			args.cgroup = (uint64_t)cgroup_fd;
			pid_t pid = fy_clone3(&args);
			if (pid >= 0) {
				*into_cgroup = true;
				return pid;
			}
			if (errno == ENOSYS)
				clone3_missing = true;
			args.flags &= ~CLONE_INTO_CGROUP;
			args.cgroup = 0;
		}
		if (!clone3_missing) {
			pid_t pid = fy_clone3(&args);
			if (pid >= 0 || errno != ENOSYS)
				return pid;
			clone3_missing = true;
		}
	}
	return clone_legacy(flags);
}

/* A user namespace joined by path must own the namespaces the child creates, so they
 * are created after joining it: but the runtime cannot join it and come back.  An
 * intermediate process joins it, clones the child, reports its pid and exits; the
 * runtime, a subreaper meanwhile, inherits the child (runc's nsexec does the same). */
struct middle_report {
	pid_t pid;
	bool into_cgroup;
	int err;
};

static pid_t clone_through_user_ns(struct ns_plan *ns, int cgroup_fd, bool *into_cgroup,
				   void (*child_main)(const void *arg), const void *arg)
{
	int pipefd[2];
	pid_t child = -1;

	if (pipe2(pipefd, O_CLOEXEC) < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -1;
	pid_t middle = clone_legacy(0);
	if (middle == 0) {
		close(pipefd[0]);
		if (setns(ns->join_fd[SPEC_NS_USER], CLONE_NEWUSER) < 0)
			_exit(FY_EXIT_ERROR);
		/* This copy of the plan is the child's: the user namespace is joined. */
		close(ns->join_fd[SPEC_NS_USER]);
		ns->join_fd[SPEC_NS_USER] = -1;
		pid_t pid = clone_child(ns->clone_flags, cgroup_fd, into_cgroup);
		if (pid == 0) {
			child_main(arg);
			_exit(FY_EXIT_ERROR);
		}
		struct middle_report report = { pid, *into_cgroup, errno };
		_exit(write(pipefd[1], &report, sizeof report) == sizeof report && pid > 0 ? 0 : FY_EXIT_ERROR);
	}
	close(pipefd[1]);
	if (middle > 0) {
		struct middle_report report = { -1, false, EIO };
		if (read(pipefd[0], &report, sizeof report) == sizeof report) {
			child = report.pid;
			*into_cgroup = report.into_cgroup;
			errno = report.err;
		}
		waitpid(middle, NULL, 0);
	}
	close(pipefd[0]);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	return child;
}

pid_t spawn_child(const struct ns_plan *ns, int cgroup_fd, bool *into_cgroup, void (*child_main)(const void *arg),
		  const void *arg, struct fy_error **err)
{
	int saved_ns[2];
	pid_t pid;

	/* Nobody may open /proc/<pid>/exe of the child (the foundry binary) before its
	 * execve (CVE-2019-5736): it is born non-dumpable rather than made so after. */
	prctl(PR_SET_DUMPABLE, 0);
	if (ns_enter_for_children(ns, saved_ns, err) < 0) {
		ns_restore_for_children(saved_ns, NULL);
		return -1;
	}
	if (ns->join_fd[SPEC_NS_USER] >= 0 && ns->clone_flags != 0) {
		pid = clone_through_user_ns((struct ns_plan *)ns, cgroup_fd, into_cgroup, child_main, arg);
	} else {
		pid = clone_child(ns->clone_flags, cgroup_fd, into_cgroup);
		if (pid == 0) {
			child_main(arg);
			_exit(FY_EXIT_ERROR);
		}
	}
	int saved_errno = errno;
	if (ns_restore_for_children(saved_ns, err) < 0) {
		if (pid > 0)
			kill(pid, SIGKILL);
		return -1;
	}
	if (pid < 0)
		return fy_error_set(err, saved_errno, "clone the container's process");
	return pid;
}

static void init_main(const void *arg)
{
	init_run(arg);
}

pid_t spawn_init(const struct init_context *ctx, int cgroup_fd, bool *into_cgroup, struct fy_error **err)
{
	return spawn_child(ctx->namespaces, cgroup_fd, into_cgroup, init_main, ctx, err);
}

static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGALRM, SIGPIPE,
};

void spawn_forwarded_signals(sigset_t *set)
{
	for (size_t i = 0; i < ARRAY_SIZE(forwarded_signals); i++)
		sigaddset(set, forwarded_signals[i]);
}

int spawn_wait_foreground(pid_t pid, const sigset_t *set)
{
	for (;;) {
		siginfo_t info;
		int sig = sigwaitinfo(set, &info);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(pid, sig);
			continue;
		}
		int status;
		pid_t done;
		/* Other children (hooks are waited for synchronously) are reaped too. */
		while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
			if (done != pid)
				continue;
			if (WIFSIGNALED(status))
				return 128 + WTERMSIG(status);
			return WEXITSTATUS(status);
		}
	}
}

static int write_map(pid_t pid, const char *file, const struct spec_id_mapping *maps, size_t n, struct fy_error **err)
{
	if (n == 0)
		return 0;
	size_t cap = n * 48 + 1, len = 0;
	_cleanup_free_ char *buf = xmalloc(cap);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%u %u %u\n", maps[i].container_id, maps[i].host_id,
					maps[i].size);
	_cleanup_free_ char *path = xasprintf("/proc/%d/%s", (int)pid, file);
	if (fy_write_file(path, buf, len, 0, err) < 0)
		return fy_error_wrap(err, "write %s", file);
	return 0;
}

int spawn_write_id_maps(pid_t pid, const struct spec_linux *l, struct fy_error **err)
{
	if (l == NULL)
		return 0;
	if (write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings, err) < 0)
		return -1;
	return write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, err);
}
