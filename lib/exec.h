/* `exec`: a new process in a running container (runtime.md leaves exec to the runtime;
 * runc's `exec` is the contract).  It joins the init's namespaces and cgroup and gets
 * the same capability, seccomp and user treatment as the init. */
#ifndef FOUNDRY_EXEC_H
#define FOUNDRY_EXEC_H

#include <stdbool.h>
#include <stddef.h>

struct fy_error;

struct exec_options {
	const char *root;
	const char *id;
	const char *process_file; /* --process: a process JSON object; replaces what follows */
	char **args;              /* the command and its arguments */
	size_t n_args;
	char **env; /* -e KEY=VALUE, added to (or replacing in) the config's env */
	size_t n_env;
	const char *cwd;
	const char *user; /* "uid[:gid]" */
	char **caps;      /* --cap: added to the bounding, effective and permitted sets */
	size_t n_caps;
	bool no_new_privs;
	bool detach;
	bool tty;                   /* process.terminal for this process (--tty) */
	const char *console_socket; /* with --tty --detach: where the pty master goes */
	const char *pid_file;
	int preserve_fds;
};

/* Foreground: *status is the process's exit status (128+signal when killed).  When the
 * process could not be started, returns -1 with *status = 255 (design.md exit codes). */
int container_exec(const struct exec_options *opts, int *status, struct fy_error **err);

#endif
