/* linux.seccomp.listenerPath (config-linux.md "The Container Process State"): handing the
 * SCMP_ACT_NOTIFY listener fd to the seccomp agent.
 *
 * This runs in the runtime's parent process, not in the container's init: after pivot_root
 * the init cannot reach a socket path on the host.  The init loads the filter
 * (seccomp_filter_load), sends the fd to the parent over the sync socket, and the parent
 * calls seccomp_listener_send() while the container is still "creating".
 */
#ifndef FOUNDRY_SECCOMP_NOTIFY_H
#define FOUNDRY_SECCOMP_NOTIFY_H

#include <stddef.h>
#include <sys/types.h>

struct fy_error;

/* The "Seccomp State" document: {"ociVersion", "fds": ["seccompFd"], "pid", "metadata"
 * (omitted when NULL), "state": <state_json>}.  state_json is the container's state as
 * spec_state_to_json() prints it (an object).  Returns NULL if state_json is not an object. */
char *seccomp_state_json(const char *oci_version, pid_t pid, const char *metadata, const char *state_json, size_t *len);

/* Connects to listener_path (AF_UNIX, SOCK_STREAM), sends the state with notify_fd in
 * SCM_RIGHTS (in the first sendmsg, as the spec requires), and closes the connection.
 * notify_fd stays the caller's. */
int seccomp_listener_send(const char *listener_path, int notify_fd, pid_t pid, const char *metadata,
			  const char *state_json, struct fy_error **err);

#endif
