/* The child side of create: the ordered steps from a fresh clone3 to execve (design.md
 * "How foundry run flows"; the handshake is drawn in lib/sync.h). */
#ifndef FOUNDRY_INIT_H
#define FOUNDRY_INIT_H

#include <stdbool.h>

#include "lib/init-security.h"
#include "lib/mounts.h"
#include "lib/namespaces.h"
#include "spec/config.h"

struct init_context {
	const char *id;
	const struct spec_config *config;
	const struct mount_plan *mounts;
	const struct ns_plan *namespaces;
	const struct security_plan *security; /* planned by the parent before clone */
	const char *rootfs;                   /* absolute path on the host */
	int sync_fd;                          /* the child's end of the sync socket */
	int state_dir_fd;                     /* O_PATH, for exec.fifo after pivot_root, without /proc */
	/* The parent's fds the clone inherited and must drop at once: the locked state dir
	 * (its flock would outlive `create` and block `start`) and the parent's sync end. */
	int parent_fds[2];
	int preserve_fds;
	bool no_pivot;
	bool no_new_keyring;
};

/* Runs in the cloned child and never returns: execve, or _exit after reporting. */
__attribute__((noreturn)) void init_run(const struct init_context *ctx);

#endif
