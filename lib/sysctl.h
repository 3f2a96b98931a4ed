/* linux.sysctl (config-linux.md "Sysctl"), validated the way runc does it: a key may only be
 * set when the namespace that scopes it belongs to the container, otherwise writing it from
 * inside the container would change the host.
 *
 *   net.*                                        its own network namespace
 *   kernel.{msgmax,msgmnb,msgmni,sem,shmall,shmmax,shmmni,shm_rmid_forced}, fs.mqueue.*
 *                                                its own ipc namespace
 *   kernel.hostname, kernel.domainname           its own uts namespace
 *   anything else                                an error before the container starts
 *
 * Keys follow sysctl.d(5): "." or "/" separate the components; when the first separator is
 * a dot, dots and slashes swap ("net.ipv4.conf.eth0/1.rp_filter" is
 * /proc/sys/net/ipv4/conf/eth0.1/rp_filter).
 */
#ifndef FOUNDRY_SYSCTL_H
#define FOUNDRY_SYSCTL_H

#include <stdbool.h>

#include "spec/config.h"

struct fy_error;

/* Which namespaces the container does not share with the runtime. */
struct sysctl_namespaces {
	bool net;
	bool ipc;
	bool uts;
};

/* The path below /proc/sys for a key, or NULL (with *err) when the key is malformed
 * (empty components, "." or "..", a NUL).  Caller frees. */
char *sysctl_key_to_path(const char *key, struct fy_error **err);

/* Pure: is key allowed with these namespaces? */
int sysctl_check_key(const char *key, const struct sysctl_namespaces *ns, struct fy_error **err);

/* Which of net/ipc/uts the config gives the container: listed without a path, or listed with
 * a path that is not the runtime's own namespace (compared by device and inode). */
int sysctl_namespaces_of(const struct spec_config *config, struct sysctl_namespaces *ns, struct fy_error **err);

/* Checks every linux.sysctl key; the core calls it before creating anything. */
int sysctl_validate(const struct spec_config *config, struct fy_error **err);

/* Writes every linux.sysctl value under /proc/sys.  Called by init inside the container's
 * namespaces once the container's /proc is mounted, and before readonlyPaths makes
 * /proc/sys read-only. */
int sysctl_apply(const struct spec_linux *linux_, struct fy_error **err);

#endif
