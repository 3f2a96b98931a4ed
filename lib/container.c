/* create, start and run: bringing a container from a bundle to a running process. */
#include "config.h"

#include "lib/container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/container-internal.h"
#include "lib/error.h"
#include "lib/hooks.h"
#include "lib/init.h"
#include "lib/mounts.h"
#include "lib/namespaces.h"
#include "lib/netdev.h"
#include "lib/spawn.h"
#include "lib/sync.h"
#include "lib/sys.h"
#include "lib/terminal.h"
#include "lib/util.h"
#include "spec/state.h"

/* Everything create holds between its steps; freed by created_release. */
struct created {
	struct spec_config *config;
	struct mount_plan mounts;
	struct ns_plan namespaces;
	struct security_plan security;
	struct loaded_container lc;
	char *bundle;
	char *rootfs;
	pid_t pid;
	int sync_fd;
	int console_master; /* process.terminal: the pty's master, from init */
	bool hooks_started; /* from here on a failure runs poststop hooks too */
};

static void created_release(struct created *c)
{
	spec_config_free(c->config);
	mount_plan_free(&c->mounts);
	ns_plan_close(&c->namespaces);
	security_plan_free(&c->security);
	container_unload(&c->lc);
	free(c->bundle);
	free(c->rootfs);
	if (c->sync_fd >= 0)
		close(c->sync_fd);
	if (c->console_master >= 0)
		close(c->console_master);
	memset(c, 0, sizeof *c);
	c->lc.dirfd = -1;
	c->sync_fd = -1;
	c->console_master = -1;
}

/* Reads config.json once: the bytes become both the parsed config and the snapshot
 * that later commands read, so the bundle may change or vanish after create. */
static int load_bundle(const struct container_create_options *o, struct created *c, char **text, size_t *len,
		       struct fy_error **err)
{
	char resolved[PATH_MAX];
	const char *bundle = o->bundle ? o->bundle : ".";

	if (realpath(bundle, resolved) == NULL)
		return fy_error_sys(err, "bundle \"%s\"", bundle);
	c->bundle = xstrdup(resolved);
	_cleanup_free_ char *path = xasprintf("%s/config.json", c->bundle);
	if (fy_read_file(path, text, len, err) < 0)
		return -1;
	c->config = spec_config_parse(*text, *len, "config.json", err);
	if (c->config == NULL)
		return -1;
	if (c->config->process == NULL)
		return fy_error_set(err, 0, "config.json: .process: required property missing");
	if (c->config->process->n_args == 0)
		return fy_error_set(err, 0, "config.json: .process.args: expected at least one argument");
	if (c->config->root == NULL)
		return fy_error_set(err, 0, "config.json: .root: required property missing");
	const char *root = c->config->root->path;
	_cleanup_free_ char *joined = root[0] == '/' ? xstrdup(root) : xasprintf("%s/%s", c->bundle, root);
	if (realpath(joined, resolved) == NULL)
		return fy_error_sys(err, "config.json: .root.path: \"%s\"", root);
	c->rootfs = xstrdup(resolved);
	fy_debug("bundle \"%s\", rootfs \"%s\"", c->bundle, c->rootfs);
	if (mount_plan_build(c->config, c->bundle, &c->mounts, err) < 0)
		return -1;
	if (ns_plan_build(c->config->linux_, &c->namespaces, err) < 0 || netdev_validate(c->config->linux_, err) < 0)
		return -1;
	return security_prepare(c->config, &c->security, err);
}

static void record_init(struct created *c, const char *id)
{
	struct fy_state *s = xzalloc(sizeof *s);
	const struct spec_hooks *h = c->config->hooks;

	s->id = xstrdup(id);
	s->bundle = xstrdup(c->bundle);
	s->rootfs = xstrdup(c->rootfs);
	s->created = fy_rfc3339_now();
	s->owner = xstrdup("");
	s->cgroup_manager = xstrdup(c->lc.cgroup ? cgroup_manager_name(c->lc.cgroup) : "");
	s->cgroup_path = xstrdup(c->lc.cgroup ? cgroup_path(c->lc.cgroup) : "");
	s->has_poststart_hooks = h && h->n_stage[SPEC_HOOK_POSTSTART] > 0;
	s->has_poststop_hooks = h && h->n_stage[SPEC_HOOK_POSTSTOP] > 0;
	s->annotations = xzalloc((c->config->n_annotations + 1) * sizeof *s->annotations);
	for (size_t i = 0; i < c->config->n_annotations; i++) {
		s->annotations[i].key = xstrdup(c->config->annotations[i].key);
		s->annotations[i].value = xstrdup(c->config->annotations[i].value);
	}
	s->n_annotations = c->config->n_annotations;
	c->lc.state = s;
}

/* State dir, snapshot, exec.fifo, cgroup: what exists before the init does. */
static int prepare_environment(const struct container_create_options *o, struct created *c, const char *text,
			       size_t len, struct fy_error **err)
{
	c->lc.dirfd = fy_state_dir_create(o->root, o->id, err);
	if (c->lc.dirfd < 0)
		return -1;
	_cleanup_close_ int snap =
	    openat(c->lc.dirfd, FY_CONFIG_SNAPSHOT, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (snap < 0 || fy_write_all(snap, text, len) < 0)
		return fy_error_sys(err, "save config snapshot");
	/* 0622 like runc: the init opens it for writing after setuid to the container user. */
	if (mknodat(c->lc.dirfd, FY_EXEC_FIFO, S_IFIFO | 0622, 0) < 0 ||
	    fchmodat(c->lc.dirfd, FY_EXEC_FIFO, 0622, 0) < 0)
		return fy_error_sys(err, "create exec.fifo");
	const struct spec_linux *l = c->config->linux_;
	if (o->cgroup_manager == NULL || strcmp(o->cgroup_manager, "disabled") != 0) {
		struct cgroup_config cfg = {
			.manager = o->cgroup_manager,
			.id = o->id,
			.cgroups_path = l ? l->cgroups_path : NULL,
			.resources = l ? l->resources : NULL,
			.devices = l ? l->devices : NULL,
			.n_devices = l ? l->n_devices : 0,
		};
		c->lc.cgroup = cgroup_create(&cfg, err);
		if (c->lc.cgroup == NULL)
			return -1;
	}
	record_init(c, o->id);
	/* Written now, before any process exists, so that `delete --force` finds the
	 * cgroup even if this command is killed in the next instant. */
	return fy_state_write(c->lc.dirfd, c->lc.state, err);
}

static int spawn_and_configure(const struct container_create_options *o, struct created *c, struct fy_error **err)
{
	int fds[2];

	if (sync_socketpair(fds, err) < 0)
		return -1;
	_cleanup_close_ int state_dir = openat(c->lc.dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (state_dir < 0)
		return fy_error_sys(err, "open state directory");
	struct init_context ctx = {
		.id = o->id,
		.config = c->config,
		.mounts = &c->mounts,
		.namespaces = &c->namespaces,
		.security = &c->security,
		.rootfs = c->rootfs,
		.sync_fd = fds[1],
		.state_dir_fd = state_dir,
		.parent_fds = { c->lc.dirfd, fds[0] },
		.preserve_fds = o->preserve_fds,
		.no_pivot = o->no_pivot,
		.no_new_keyring = o->no_new_keyring,
	};
	bool into_cgroup = false;
	c->sync_fd = fds[0];
	c->pid = spawn_init(&ctx, c->lc.cgroup ? cgroup_clone_fd(c->lc.cgroup) : -1, &into_cgroup, err);
	close(fds[1]);
	if (c->pid < 0)
		return -1;
	fy_debug("container \"%s\": init is pid %d, %s", o->id, (int)c->pid,
		 into_cgroup ? "cloned into its cgroup" : "joining its cgroup now");
	c->lc.state->pid = c->pid;
	fy_process_stat(c->pid, NULL, &c->lc.state->pid_start_time);
	if (fy_state_write(c->lc.dirfd, c->lc.state, err) < 0)
		return -1;
	if (c->namespaces.clone_flags & CLONE_NEWUSER) {
		if (spawn_write_id_maps(c->pid, c->config->linux_, err) < 0)
			return -1;
	}
	if (c->lc.cgroup && !into_cgroup && cgroup_enter(c->lc.cgroup, c->pid, err) < 0)
		return -1;
	if (netdev_move_all(c->pid, c->config->linux_, err) < 0)
		return -1;
	if (sync_send(c->sync_fd, SYNC_GO, 0, NULL) < 0)
		return fy_error_sys(err, "start the container's init");
	return 0;
}

static int run_create_hooks(struct created *c, struct fy_error **err)
{
	if (sync_expect(c->sync_fd, SYNC_HOOKS, err) < 0)
		return -1;
	c->hooks_started = true;
	fy_debug("init is ready for the prestart and createRuntime hooks");
	_cleanup_free_ char *creating = container_oci_state(c->lc.state, FY_STATUS_CREATING, false);
	if (hooks_run_stage(c->config->hooks, SPEC_HOOK_PRESTART, creating, err) < 0 ||
	    hooks_run_stage(c->config->hooks, SPEC_HOOK_CREATE_RUNTIME, creating, err) < 0)
		return -1;
	_cleanup_free_ char *created = container_oci_state(c->lc.state, FY_STATUS_CREATED, false);
	_cleanup_free_ char *both = xasprintf("%s\n%s", creating, created);
	if (strlen(both) >= SYNC_MAX_PAYLOAD)
		return fy_error_set(err, 0, "container state is too large for the init protocol (%zu bytes)",
				    strlen(both));
	if (sync_send(c->sync_fd, SYNC_HOOKS_DONE, 0, both) < 0)
		return fy_error_sys(err, "resume the container's init");
	if (c->config->process->terminal && sync_expect_fd(c->sync_fd, SYNC_TERMINAL, &c->console_master, err) < 0)
		return -1;
	if (c->security.has_seccomp && c->security.seccomp.uses_notify &&
	    security_hand_over_notify_fd(c->config, c->sync_fd, c->pid, creating, err) < 0)
		return -1;
	return sync_expect(c->sync_fd, SYNC_READY, err);
}

static int write_pid_file(const char *path, pid_t pid, struct fy_error **err)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d", (int)pid);
	if (fy_write_file_atomic(path, buf, (size_t)n, 0644, err) < 0)
		return fy_error_wrap(err, "write pid file");
	return 0;
}

/* Undoes a create that failed half-way; the first error stays the one reported. */
static void create_rollback(const char *root, const char *id, struct created *c)
{
	_cleanup_error_ struct fy_error *cleanup_err = NULL;

	if (c->lc.dirfd < 0)
		return; /* nothing was made (or the id belongs to another container) */
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	if (c->lc.state == NULL) {
		if (c->lc.cgroup)
			cgroup_destroy(c->lc.cgroup, NULL);
		fy_state_dir_remove(root, id, NULL);
		return;
	}
	if (container_destroy(root, &c->lc, c->hooks_started ? c->config->hooks : NULL, &cleanup_err) < 0)
		fy_warn("clean up after failed create: %s", cleanup_err->msg);
}

/* A detached process's pty goes to the --console-socket listener (podman's conmon,
 * containerd's shim); a foreground run keeps it for its proxy. */
static int hand_over_console(const struct container_create_options *o, struct created *c, struct fy_error **err)
{
	if (c->console_master < 0 || o->console_socket == NULL)
		return 0;
	int r = terminal_send_to_console_socket(o->console_socket, c->console_master, err);
	close(c->console_master);
	c->console_master = -1;
	return r;
}

/* detached: create, or run -d (for runc's --console-socket rules). */
static int create_in_process(const struct container_create_options *o, bool detached, struct created *c,
			     struct fy_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	memset(c, 0, sizeof *c);
	c->lc.dirfd = -1;
	c->sync_fd = -1;
	c->console_master = -1;
	if (load_bundle(o, c, &text, &len, err) < 0 ||
	    terminal_validate(c->config->process->terminal, detached, o->console_socket, err) < 0)
		return fy_error_wrap(err, "create container \"%s\"", o->id);
	if (prepare_environment(o, c, text, len, err) < 0 || spawn_and_configure(o, c, err) < 0 ||
	    run_create_hooks(c, err) < 0 || hand_over_console(o, c, err) < 0 ||
	    (o->pid_file && write_pid_file(o->pid_file, c->pid, err) < 0)) {
		create_rollback(o->root, o->id, c);
		return fy_error_wrap(err, "create container \"%s\"", o->id);
	}
	close(c->sync_fd);
	c->sync_fd = -1;
	return 0;
}

int container_create(const struct container_create_options *opts, struct fy_error **err)
{
	struct created c;
	int ret = create_in_process(opts, true, &c, err);
	created_release(&c);
	return ret;
}

/* Opens exec.fifo for reading, which lets the blocked init through, and reads until end
 * of file: init writes "0" when released and then either execs (its end is close-on-exec:
 * end of file) or writes why it could not. */
static int release_init(struct loaded_container *lc, struct fy_error **err)
{
	const struct fy_state *s = lc->state;
	_cleanup_close_ int fifo = openat(lc->dirfd, FY_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char msg[SYNC_MAX_PAYLOAD];
	size_t got = 0;
	bool released = false;

	if (fifo < 0)
		return fy_error_sys(err, "open exec.fifo");
	for (;;) {
		struct pollfd p = { .fd = fifo, .events = POLLIN };
		int r = poll(&p, 1, 100);
		if (r < 0 && errno != EINTR)
			return fy_error_sys(err, "wait on exec.fifo");
		if (r <= 0) {
			/* No writer yet: it may never come if the init died. */
			if (!released && !fy_process_alive(s->pid, s->pid_start_time))
				return fy_error_set(err, 0, "the container's init exited before it was started");
			continue;
		}
		ssize_t n = read(fifo, msg + got, sizeof msg - 1 - got);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return fy_error_sys(err, "read exec.fifo");
		if (n == 0 && released)
			break;
		if (n == 0) {
			/* POLLHUP before any byte: a writer came and went without releasing. */
			if (!fy_process_alive(s->pid, s->pid_start_time))
				return fy_error_set(err, 0, "the container's init exited before it was started");
			continue;
		}
		if (!released) {
			released = true;
			memmove(msg, msg + 1, (size_t)n - 1);
			n--;
		}
		got += (size_t)n;
		if (got >= sizeof msg - 1)
			break;
	}
	unlinkat(lc->dirfd, FY_EXEC_FIFO, 0);
	msg[got] = '\0';
	if (got > 0)
		return fy_error_set(err, 0, "%s", msg);
	return 0;
}

/* start after create: release, then poststart hooks.  A failing poststart hook stops
 * the container and destroys it (runtime.md lifecycle step 9). */
static int start_loaded(const char *root, struct loaded_container *lc, const struct spec_hooks *hooks,
			struct fy_error **err)
{
	_cleanup_config_ struct spec_config *snapshot = NULL;

	if (lc->status != FY_STATUS_CREATED) {
		if (lc->status == FY_STATUS_STOPPED)
			return fy_error_set(err, 0, "cannot start a container that has stopped");
		return fy_error_set(err, 0, "cannot start an already running container");
	}
	fy_debug("container \"%s\": releasing init through exec.fifo", lc->state->id);
	if (release_init(lc, err) < 0) {
		container_destroy(root, lc, hooks, NULL);
		return -1;
	}
	if (hooks == NULL && lc->state->has_poststart_hooks) {
		snapshot = container_read_snapshot(lc->dirfd, err);
		if (snapshot == NULL)
			return -1;
		hooks = snapshot->hooks;
	}
	if (hooks && hooks->n_stage[SPEC_HOOK_POSTSTART]) {
		_cleanup_free_ char *json = container_oci_state(lc->state, FY_STATUS_RUNNING, false);
		if (hooks_run_stage(hooks, SPEC_HOOK_POSTSTART, json, err) < 0) {
			container_destroy(root, lc, hooks, NULL);
			return -1;
		}
	}
	return 0;
}

int container_start(const char *root, const char *id, struct fy_error **err)
{
	struct loaded_container lc;
	int ret = container_load(root, id, true, &lc, err);

	if (ret == 0)
		ret = start_loaded(root, &lc, NULL, err);
	container_unload(&lc);
	return ret;
}

int container_run(const struct container_run_options *opts, int *status, struct fy_error **err)
{
	struct created c;
	sigset_t set, old;

	/* Blocked from the start so that none is lost between create and the wait; the
	 * init unblocks them before execve. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (!opts->detach)
		spawn_forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);

	int ret = create_in_process(&opts->create, opts->detach, &c, err);
	struct spec_console_size size;
	if (ret == 0 && c.console_master >= 0 && terminal_stdio_size(&size))
		terminal_set_size(c.console_master, &size, NULL); /* before the process looks */
	if (ret == 0) {
		c.lc.status = FY_STATUS_CREATED;
		ret = start_loaded(opts->create.root, &c.lc, c.config->hooks, err);
	}
	if (ret == 0 && !opts->detach) {
		*status = c.console_master >= 0 ? terminal_proxy_foreground(c.console_master, c.pid, &set)
						: spawn_wait_foreground(c.pid, &set);
		if (!opts->keep && container_destroy(opts->create.root, &c.lc, c.config->hooks, err) < 0)
			ret = -1;
	}
	created_release(&c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
