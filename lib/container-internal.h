/* Shared between lib/container.c (create, start, run) and lib/container-ops.c (state,
 * kill, delete, list).  Not part of the library's interface. */
#ifndef FOUNDRY_CONTAINER_INTERNAL_H
#define FOUNDRY_CONTAINER_INTERNAL_H

#include "lib/cgroup.h"
#include "lib/state.h"
#include "spec/config.h"

/* A container as a command finds it: locked state dir, its record, live status. */
struct loaded_container {
	int dirfd;
	struct fy_state *state;
	struct fy_cgroup *cgroup; /* NULL when it has none (disabled, or never created) */
	enum fy_status status;
};

/* lock: hold the state dir's lock until container_unload (start, delete). */
int container_load(const char *root, const char *id, bool lock, struct loaded_container *lc, struct fy_error **err);
void container_unload(struct loaded_container *lc);

/* The OCI state JSON for hooks and `state`, with the given status. */
char *container_oci_state(const struct fy_state *s, enum fy_status status, bool pretty);

/* Reads the config snapshot in the state dir (for hooks at start and delete). */
struct spec_config *container_read_snapshot(int dirfd, struct fy_error **err);

/* Undoes create (runtime.md lifecycle step 12, then 13): kills what is left, removes the
 * cgroup, runs poststop hooks (warnings only), removes the state directory.  hooks may
 * be NULL (then the snapshot is read when the state says there are poststop hooks). */
int container_destroy(const char *root, struct loaded_container *lc, const struct spec_hooks *hooks,
		      struct fy_error **err);

#endif
