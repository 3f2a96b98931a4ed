/* Cloning the container's init: clone3 with the new namespaces (and CLONE_INTO_CGROUP
 * when the cgroup is v2, so init never runs a single instruction outside it), with a
 * fallback to clone(2); then the id maps, written by the parent. */
#ifndef FOUNDRY_SPAWN_H
#define FOUNDRY_SPAWN_H

#include <signal.h>
#include <sys/types.h>

#include "lib/init.h"

struct fy_error;

/* Clones a child that runs child_main(arg) and never returns, created in the namespaces
 * ns->clone_flags names and born into the pid/time namespaces ns joins by path.  Returns
 * its pid.  *into_cgroup tells whether CLONE_INTO_CGROUP placed it (when cgroup_fd >= 0);
 * when false the caller joins the cgroup itself before the child goes on. */
pid_t spawn_child(const struct ns_plan *ns, int cgroup_fd, bool *into_cgroup, void (*child_main)(const void *arg),
		  const void *arg, struct fy_error **err);

/* The container's init (lib/init.c). */
pid_t spawn_init(const struct init_context *ctx, int cgroup_fd, bool *into_cgroup, struct fy_error **err);

/* Foreground processes (run, exec): waits for pid while forwarding the signals in
 * spawn_forwarded_signals to it; returns its status as a shell would (128+signal when
 * killed).  The caller blocked `set` (those signals and SIGCHLD) before cloning. */
int spawn_wait_foreground(pid_t pid, const sigset_t *set);
void spawn_forwarded_signals(sigset_t *set);

/* Writes /proc/<pid>/uid_map and gid_map from linux.uidMappings/gidMappings. */
int spawn_write_id_maps(pid_t pid, const struct spec_linux *linux_, struct fy_error **err);

#endif
