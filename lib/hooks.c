#include "config.h"

#include "lib/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/sys.h"
#include "lib/util.h"

extern char **environ;

static void hook_child(const struct spec_hook *hook, int stdin_fd)
{
	char *default_argv[] = { hook->path, NULL };
	char **argv = hook->n_args ? hook->args : default_argv;

	if (dup2(stdin_fd, STDIN_FILENO) < 0)
		_exit(127);
	/* Hook output must not reach a container's stdout that podman may be parsing,
	 * nor our own: runc sends it to its stderr as well. */
	dup2(STDERR_FILENO, STDOUT_FILENO);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(hook->path, argv, hook->env ? hook->env : environ);
	_exit(127);
}

/* Waits for pid, at most timeout seconds (0: forever).  Returns its wait status, or -1
 * with errno ETIMEDOUT after killing it. */
static int wait_with_timeout(pid_t pid, int timeout)
{
	int status;

	if (timeout > 0) {
		_cleanup_close_ int pidfd = fy_pidfd_open(pid, 0);
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			int r;
			do {
				r = poll(&p, 1, timeout * 1000);
			} while (r < 0 && errno == EINTR);
			if (r == 0) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
				errno = ETIMEDOUT;
				return -1;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

static int hook_run(const struct spec_hook *hook, const char *stage, const char *state_json, struct fy_error **err)
{
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return fy_error_sys(err, "%s hook \"%s\": create stdin pipe", stage, hook->path);
	/* The state is small; a big pipe buffer means a hook that never reads stdin cannot
	 * block us before its timeout can act. */
	fcntl(pipefd[1], F_SETPIPE_SZ, 1 << 20);
	pid_t pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return fy_error_sys(err, "%s hook \"%s\": fork", stage, hook->path);
	}
	if (pid == 0) {
		close(pipefd[1]);
		hook_child(hook, pipefd[0]);
	}
	close(pipefd[0]);
	int flags = fcntl(pipefd[1], F_GETFL);
	fcntl(pipefd[1], F_SETFL, flags | O_NONBLOCK);
	(void)fy_write_all(pipefd[1], state_json, strlen(state_json)); /* EPIPE: the hook ignores stdin */
	close(pipefd[1]);

	int status = wait_with_timeout(pid, hook->has_timeout ? hook->timeout : 0);
	if (status < 0 && errno == ETIMEDOUT)
		return fy_error_set(err, 0, "%s hook \"%s\" timed out after %d s", stage, hook->path, hook->timeout);
	if (status < 0)
		return fy_error_sys(err, "%s hook \"%s\": wait", stage, hook->path);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return fy_error_set(err, 0, "%s hook \"%s\" could not be executed (exit status 127)", stage,
				    hook->path);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return fy_error_set(err, 0, "%s hook \"%s\" failed with exit status %d", stage, hook->path,
				    WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return fy_error_set(err, 0, "%s hook \"%s\" was killed by signal %d", stage, hook->path,
				    WTERMSIG(status));
	return 0;
}

int hooks_run_stage(const struct spec_hooks *hooks, enum spec_hook_stage stage, const char *state_json,
		    struct fy_error **err)
{
	if (hooks == NULL)
		return 0;
	for (size_t i = 0; i < hooks->n_stage[stage]; i++) {
		if (hook_run(&hooks->stage[stage][i], spec_hook_stage_name(stage), state_json, err) < 0)
			return -1;
	}
	return 0;
}

void hooks_run_stage_warn(const struct spec_hooks *hooks, enum spec_hook_stage stage, const char *state_json)
{
	if (hooks == NULL)
		return;
	for (size_t i = 0; i < hooks->n_stage[stage]; i++) {
		_cleanup_error_ struct fy_error *err = NULL;
		if (hook_run(&hooks->stage[stage][i], spec_hook_stage_name(stage), state_json, &err) < 0)
			fy_warn("%s", err->msg);
	}
}
