#include "config.h"

#include "lib/exec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/container-internal.h"
#include "lib/error.h"
#include "lib/init-security.h"
#include "lib/namespaces.h"
#include "lib/process.h"
#include "lib/sched.h"
#include "lib/spawn.h"
#include "lib/sync.h"
#include "lib/terminal.h"
#include "lib/util.h"

/* What the cloned child needs; it runs on a copy of the parent's memory. */
struct exec_child {
	const struct spec_config *config; /* the snapshot, with the exec's process */
	const struct security_plan *security;
	const struct ns_plan *namespaces;
	int sync_fd;
	int parent_sync_fd;
	int preserve_fds;
	bool detached;
};

/* A --process file is a bare process object: parse it as the process of a config so its
 * errors read "process.json: .process.args: ...". */
static struct spec_process *read_process_file(const char *path, struct fy_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (fy_read_file(path, &text, &len, err) < 0)
		return NULL;
	_cleanup_free_ char *wrapped = xasprintf("{\"ociVersion\":\"%s\",\"process\":%s}", FY_SPEC_VERSION, text);
	_cleanup_config_ struct spec_config *c = spec_config_parse(wrapped, strlen(wrapped), "process.json", err);
	if (c == NULL)
		return NULL;
	if (c->process == NULL) {
		fy_error_set(err, 0, "process.json: expected a process object");
		return NULL;
	}
	struct spec_process *p = c->process;
	c->process = NULL;
	return p;
}

static char **strv_append(char **v, size_t *n, const char *s)
{
	v = xrealloc(v, (*n + 2) * sizeof *v);
	v[(*n)++] = xstrdup(s);
	v[*n] = NULL;
	return v;
}

/* -e KEY=VALUE replaces KEY in the config's env or adds it. */
static void env_set(struct spec_process *p, const char *kv)
{
	size_t keylen = strcspn(kv, "=");
	for (size_t i = 0; i < p->n_env; i++) {
		if (strncmp(p->env[i], kv, keylen) == 0 && p->env[i][keylen] == '=') {
			free(p->env[i]);
			p->env[i] = xstrdup(kv);
			return;
		}
	}
	p->env = strv_append(p->env, &p->n_env, kv);
}

static int apply_user_flag(struct spec_process *p, const char *user, struct fy_error **err)
{
	long uid, gid;
	_cleanup_free_ char *copy = xstrdup(user);
	char *colon = strchr(copy, ':');

	if (colon)
		*colon = '\0';
	if (fy_parse_long(copy, &uid) < 0 || uid < 0 || (colon && (fy_parse_long(colon + 1, &gid) < 0 || gid < 0)))
		return fy_error_set(err, 0, "exec: --user: expected uid[:gid] as numbers, got \"%s\"", user);
	p->user.uid = (uint32_t)uid;
	if (colon)
		p->user.gid = (uint32_t)gid;
	return 0;
}

/* The process to run: --process, or the container's process with the flags applied. */
static int exec_process(const struct exec_options *o, struct spec_config *config, struct fy_error **err)
{
	struct spec_process *p = config->process;

	if (o->process_file) {
		struct spec_process *file = read_process_file(o->process_file, err);
		if (file == NULL)
			return -1;
		config->process = file;
		spec_process_free(p);
		p = file;
	} else {
		if (o->n_args == 0)
			return fy_error_set(err, 0, "exec: missing the command to run");
		fy_strv_free(p->args);
		p->args = NULL;
		p->n_args = 0;
		for (size_t i = 0; i < o->n_args; i++)
			p->args = strv_append(p->args, &p->n_args, o->args[i]);
	}
	if (p->n_args == 0)
		return fy_error_set(err, 0, "exec: process.args: expected at least one argument");
	/* The container's own process.terminal is the init's: an exec gets a pty with --tty
	 * (or a --process file that asks for one). */
	p->terminal = (o->process_file && p->terminal) || o->tty;
	for (size_t i = 0; i < o->n_env; i++)
		env_set(p, o->env[i]);
	if (o->cwd) {
		free(p->cwd);
		p->cwd = xstrdup(o->cwd);
	}
	if (o->user && apply_user_flag(p, o->user, err) < 0)
		return -1;
	if (o->no_new_privs)
		p->no_new_privileges = true;
	if (o->n_caps) {
		if (p->capabilities == NULL)
			p->capabilities = xzalloc(sizeof *p->capabilities);
		struct spec_capabilities *c = p->capabilities;
		for (size_t i = 0; i < o->n_caps; i++) {
			c->bounding = strv_append(c->bounding, &c->n_bounding, o->caps[i]);
			c->effective = strv_append(c->effective, &c->n_effective, o->caps[i]);
			c->permitted = strv_append(c->permitted, &c->n_permitted, o->caps[i]);
		}
		c->has_bounding = c->has_effective = c->has_permitted = true;
	}
	return 0;
}

/* The init's namespaces that differ from ours; joining our own user namespace is EINVAL. */
static int exec_namespaces(pid_t pid, struct ns_plan *plan, struct fy_error **err)
{
	memset(plan, 0, sizeof *plan);
	for (int t = 0; t < SPEC_NS_COUNT; t++) {
		plan->join_fd[t] = -1;
		const char *name = ns_proc_name(t);
		_cleanup_free_ char *theirs = xasprintf("/proc/%d/ns/%s", (int)pid, name);
		_cleanup_free_ char *ours = xasprintf("/proc/self/ns/%s", name);
		struct stat a, b;
		if (stat(theirs, &a) < 0) {
			if (errno == ENOENT)
				continue; /* the kernel has no such namespace type */
			return fy_error_sys(err, "open the container's %s namespace", name);
		}
		if (stat(ours, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			continue;
		plan->join_fd[t] = open(theirs, O_RDONLY | O_CLOEXEC);
		if (plan->join_fd[t] < 0)
			return fy_error_sys(err, "open the container's %s namespace", name);
		plan->has[t] = true;
	}
	return 0;
}

static __attribute__((noreturn)) void exec_fail(const struct exec_child *x, struct fy_error **err)
{
	sync_send_error(x->sync_fd, *err);
	_exit(FY_EXIT_EXEC_FAILED);
}

/* --tty: a pty of the container's devpts (we are at its root since joining the mount
 * namespace) becomes our stdio; its master goes to the parent.  No /dev/console: that
 * is the init's.  In the foreground it has the caller's terminal size from the start. */
static int exec_terminal(const struct exec_child *x, struct fy_error **err)
{
	const struct spec_process *p = x->config->process;
	const struct spec_console_size *size = p->console_size;
	struct spec_console_size ours;
	int master;

	if (!x->detached && terminal_stdio_size(&ours))
		size = &ours;
	if (terminal_setup_in_container(size, p->user.uid, false, &master, err) < 0)
		return -1;
	int r = sync_send_fd(x->sync_fd, SYNC_TERMINAL, master);
	close(master);
	if (r < 0)
		return fy_error_sys(err, "send the pty to the runtime");
	return 0;
}

static void exec_child_main(const void *arg)
{
	const struct exec_child *x = arg;
	const struct spec_process *p = x->config->process;
	_cleanup_error_ struct fy_error *err = NULL;

	/* Nobody in the container may open /proc/<pid>/exe, the foundry binary, before
	 * execve replaces it (CVE-2019-5736). */
	prctl(PR_SET_DUMPABLE, 0);
	close(x->parent_sync_fd);
	if (sync_expect(x->sync_fd, SYNC_GO, &err) < 0)
		_exit(FY_EXIT_EXEC_FAILED);
	if (ns_join_in_child(x->namespaces, &err) < 0)
		exec_fail(x, &err);
	/* Joining the mount namespace put us at its root: the container's "/". */
	if (process_chdir(p->cwd, &err) < 0 || (p->terminal && exec_terminal(x, &err) < 0))
		exec_fail(x, &err);
	_cleanup_free_ char *exe = process_find_executable(p, &err);
	if (exe == NULL || process_set_rlimits(p, &err) < 0 || process_close_fds_on_exec(x->preserve_fds, &err) < 0 ||
	    security_apply(x->config, x->security, x->sync_fd, &err) < 0)
		exec_fail(x, &err);
	if (p->exec_cpu_affinity && p->exec_cpu_affinity->final &&
	    sched_cpu_affinity_apply(0, p->exec_cpu_affinity->final, ".process.execCPUAffinity.final", &err) < 0)
		exec_fail(x, &err);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(exe, p->args, p->env ? p->env : (char *[]){ NULL });
	fy_error_sys(&err, "exec \"%s\"", exe);
	exec_fail(x, &err);
}

/* Everything exec holds; released by exec_release. */
struct exec_state {
	struct loaded_container lc;
	struct spec_config *config;
	struct security_plan security;
	struct ns_plan namespaces;
	int fds[2];
	int console_master; /* --tty in the foreground: the pty's master, for the proxy */
};

static void exec_release(struct exec_state *e)
{
	security_plan_free(&e->security);
	ns_plan_close(&e->namespaces);
	spec_config_free(e->config);
	container_unload(&e->lc);
	for (int i = 0; i < 2; i++)
		if (e->fds[i] >= 0)
			close(e->fds[i]);
	if (e->console_master >= 0)
		close(e->console_master);
}

static int exec_prepare(const struct exec_options *o, struct exec_state *e, struct fy_error **err)
{
	if (container_load(o->root, o->id, false, &e->lc, err) < 0)
		return -1;
	if (e->lc.status == FY_STATUS_STOPPED)
		return fy_error_set(err, 0, "cannot exec in a stopped container");
	if (e->lc.status == FY_STATUS_PAUSED)
		return fy_error_set(err, 0, "cannot exec in a paused container");
	e->config = container_read_snapshot(e->lc.dirfd, err);
	if (e->config == NULL)
		return -1;
	if (exec_process(o, e->config, err) < 0 ||
	    terminal_validate(e->config->process->terminal, o->detach, o->console_socket, err) < 0 ||
	    security_prepare(e->config, &e->security, err) < 0)
		return -1;
	if (exec_namespaces(e->lc.state->pid, &e->namespaces, err) < 0)
		return -1;
	return sync_socketpair(e->fds, err);
}

/* --tty: the child's pty master; with --detach it goes on to the --console-socket listener
 * at once, before the process runs, so a listener that is not there fails the exec. */
static int exec_receive_terminal(const struct exec_options *o, struct exec_state *e, struct fy_error **err)
{
	if (!e->config->process->terminal)
		return 0;
	if (sync_expect_fd(e->fds[0], SYNC_TERMINAL, &e->console_master, err) < 0)
		return -1;
	if (o->console_socket == NULL)
		return 0;
	int r = terminal_send_to_console_socket(o->console_socket, e->console_master, err);
	close(e->console_master);
	e->console_master = -1;
	return r;
}

/* Starts the process: clone, affinity, cgroup, GO, pty, seccomp hand-over, exec confirmation. */
static pid_t exec_spawn(const struct exec_options *o, struct exec_state *e, struct fy_error **err)
{
	const struct spec_process *p = e->config->process;
	struct exec_child x = {
		.config = e->config,
		.security = &e->security,
		.namespaces = &e->namespaces,
		.sync_fd = e->fds[1],
		.parent_sync_fd = e->fds[0],
		.preserve_fds = o->preserve_fds,
		.detached = o->detach,
	};
	bool into_cgroup = false;
	int cgroup_fd = -1;

	/* execCPUAffinity.initial applies before the process joins the cgroup, so it is
	 * cloned outside the cgroup when there is one. */
	if (e->lc.cgroup && !(p->exec_cpu_affinity && p->exec_cpu_affinity->initial))
		cgroup_fd = cgroup_clone_fd(e->lc.cgroup);
	pid_t pid = spawn_child(&e->namespaces, cgroup_fd, &into_cgroup, exec_child_main, &x, err);
	close(e->fds[1]);
	e->fds[1] = -1;
	if (pid < 0)
		return -1;
	if ((p->exec_cpu_affinity && p->exec_cpu_affinity->initial &&
	     sched_cpu_affinity_apply(pid, p->exec_cpu_affinity->initial, ".process.execCPUAffinity.initial", err) <
		 0) ||
	    (e->lc.cgroup && !into_cgroup && cgroup_enter(e->lc.cgroup, pid, err) < 0) ||
	    sync_send(e->fds[0], SYNC_GO, 0, NULL) < 0 || exec_receive_terminal(o, e, err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	if (e->security.has_seccomp && e->security.seccomp.uses_notify) {
		_cleanup_free_ char *json = container_oci_state(e->lc.state, e->lc.status, false);
		if (security_hand_over_notify_fd(e->config, e->fds[0], pid, json, err) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
	}
	if (sync_expect_eof(e->fds[0], err) < 0) {
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/* The process's status in the foreground, through the pty when it has one; 0 detached. */
static int exec_wait(const struct exec_options *o, const struct exec_state *e, pid_t pid, const sigset_t *set)
{
	if (o->detach)
		return 0;
	if (e->console_master >= 0)
		return terminal_proxy_foreground(e->console_master, pid, set);
	return spawn_wait_foreground(pid, set);
}

int container_exec(const struct exec_options *o, int *status, struct fy_error **err)
{
	struct exec_state e = { .fds = { -1, -1 }, .console_master = -1 };
	sigset_t set, old;
	int ret = -1;

	memset(&e.lc, 0, sizeof e.lc);
	e.lc.dirfd = -1;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (!o->detach)
		spawn_forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);

	*status = FY_EXIT_EXEC_FAILED;
	if (exec_prepare(o, &e, err) == 0) {
		pid_t pid = exec_spawn(o, &e, err);
		if (pid > 0) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%d", (int)pid);
			ret = 0;
			if (o->pid_file && fy_write_file_atomic(o->pid_file, buf, (size_t)n, 0644, err) < 0)
				ret = fy_error_wrap(err, "write pid file");
			if (ret == 0)
				*status = exec_wait(o, &e, pid, &set);
		}
	}
	if (ret < 0)
		fy_error_wrap(err, "exec in container \"%s\"", o->id);
	exec_release(&e);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
