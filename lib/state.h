/* The state directory <root>/<id>/ (design.md "State directory").
 *
 *   state.json   the container's record, written to a temp file and renamed
 *   config.json  the config as create read it, so delete/start never depend on the bundle
 *   exec.fifo    present while the container is "created"; start opens it to release init
 *
 * The directory is made with mkdir (exclusive), so two creates of one id cannot both
 * succeed; every command that changes a container holds flock() on the directory.
 */
#ifndef FOUNDRY_STATE_H
#define FOUNDRY_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

enum fy_status {
	FY_STATUS_CREATING,
	FY_STATUS_CREATED,
	FY_STATUS_RUNNING,
	FY_STATUS_PAUSED,
	FY_STATUS_STOPPED,
};

const char *fy_status_name(enum fy_status status);

struct fy_state {
	char *id;
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 UTC with nanoseconds */
	char *owner;
	pid_t pid;
	unsigned long long pid_start_time;
	char *cgroup_manager; /* "" until the cgroup exists */
	char *cgroup_path;
	bool has_poststart_hooks; /* start/delete re-read the config snapshot only when needed */
	bool has_poststop_hooks;
	struct spec_kv *annotations;
	size_t n_annotations;
};

#define FY_STATE_FILE "state.json"
#define FY_CONFIG_SNAPSHOT "config.json"
#define FY_EXEC_FIFO "exec.fifo"

/* Container ids: letters, digits, and _ + - . (runc's rule); not "." or "..". */
int fy_state_validate_id(const char *id, struct fy_error **err);

/* Makes <root>/<id> exclusively and returns its fd, locked.  FY_MSG_EXISTS if taken. */
int fy_state_dir_create(const char *root, const char *id, struct fy_error **err);
/* Opens an existing state dir, locked when `lock` (commands that change the container;
 * readers need no lock since state.json is replaced atomically).  FY_MSG_NOT_EXIST if
 * there is none. */
int fy_state_dir_open(const char *root, const char *id, bool lock, struct fy_error **err);
/* Removes the directory and everything in it. */
int fy_state_dir_remove(const char *root, const char *id, struct fy_error **err);

int fy_state_write(int dirfd, const struct fy_state *state, struct fy_error **err);
/* NULL with an error when state.json is missing (a create that died half-way). */
struct fy_state *fy_state_read(int dirfd, struct fy_error **err);
void fy_state_free(struct fy_state *state);
void fy_state_freep(struct fy_state **state);
#define _cleanup_state_ __attribute__((cleanup(fy_state_freep)))

/* created while exec.fifo exists and init lives, running when init lives, else stopped.
 * (paused is the cgroup's business: the caller refines running into paused.) */
enum fy_status fy_state_status(int dirfd, const struct fy_state *state);

/* The ids under root, sorted; an empty list when root does not exist. */
char **fy_state_list_ids(const char *root, struct fy_error **err);

/* Now as RFC 3339 UTC with nanoseconds, e.g. 2026-11-22T17:02:38.123456789Z. */
char *fy_rfc3339_now(void);

#endif
