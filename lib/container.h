/* Lifecycle orchestration (runtime.md "Operations"): create, start, run, state, kill,
 * delete, list.  Options from the command line arrive in the *_options structs; what a
 * live container carries between steps stays inside lib/container*.c. */
#ifndef FOUNDRY_CONTAINER_H
#define FOUNDRY_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

struct container_create_options {
	const char *root; /* state root, e.g. /run/foundry */
	const char *id;
	const char *bundle;         /* NULL: the current directory */
	const char *pid_file;       /* may be NULL */
	const char *console_socket; /* process.terminal, detached: where the pty master goes */
	const char *cgroup_manager; /* "cgroupfs" | "systemd" | "disabled"; NULL = cgroupfs */
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;
};

struct container_run_options {
	struct container_create_options create;
	bool detach;
	bool keep; /* foreground: keep the stopped container instead of deleting it */
};

int container_create(const struct container_create_options *opts, struct fy_error **err);
int container_start(const char *root, const char *id, struct fy_error **err);
/* Foreground: returns the process's exit status (128+signal when killed) in *status. */
int container_run(const struct container_run_options *opts, int *status, struct fy_error **err);

/* The OCI state document of one container (runc's `state` shape), pretty-printed. */
char *container_state_json(const char *root, const char *id, struct fy_error **err);
int container_kill(const char *root, const char *id, int signal, bool all, struct fy_error **err);
int container_delete(const char *root, const char *id, bool force, struct fy_error **err);

struct container_summary {
	char *id;
	pid_t pid;
	char *status;
	char *bundle;
	char *created;
	char *owner;
};
/* Every container under root, sorted by id. */
int container_list(const char *root, struct container_summary **list, size_t *n, struct fy_error **err);
void container_list_free(struct container_summary *list, size_t n);

/* The operations that are cgroup work (lib/container-cgroup.c). */
/* runc: a running or created container can be paused; resume wants a paused one. */
int container_pause(const char *root, const char *id, struct fy_error **err);
int container_resume(const char *root, const char *id, struct fy_error **err);
/* Applies new resources to a live container's cgroup (foundry update). */
int container_update(const char *root, const char *id, const struct spec_resources *res, struct fy_error **err);
/* Host pids of every process in the container's cgroup, ascending. */
int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct fy_error **err);

/* `events`: calls emit with one JSON event per line's worth, runc's shape:
 *   {"type":"stats","id":"<id>","data":{...}}    every interval_ms, or once with stats_once
 *   {"type":"oom","id":"<id>"}                   when the kernel OOM-kills in the container
 * Returns when the container stops (0), emit returns < 0, or on error. */
typedef int (*container_event_fn)(const char *json, void *arg);
int container_events(const char *root, const char *id, unsigned interval_ms, bool stats_once, container_event_fn emit,
		     void *arg, struct fy_error **err);

/* "KILL", "SIGKILL", "9" -> 9; -1 when unknown. */
int container_parse_signal(const char *name);

#endif
