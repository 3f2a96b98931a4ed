/* process.apparmorProfile, process.selinuxLabel and linux.mountLabel.
 *
 * A profile or label that the host cannot enforce is an error before the container starts
 * (a container the user asked to confine must not run unconfined), except mountLabel,
 * which runc ignores without SELinux: a warning here.  The exec attributes are written
 * by init right before execve: the kernel applies them at exec.
 */
#ifndef FOUNDRY_LSM_H
#define FOUNDRY_LSM_H

#include <stdbool.h>

#include "spec/config.h"

struct fy_error;

struct lsm_host {
	bool apparmor;
	bool selinux;
};

/* Probes the host under root ("/" normally; a temp dir in tests):
 *   AppArmor: <root>/sys/module/apparmor/parameters/enabled starts with "Y" (as runc)
 *   SELinux:  selinuxfs is mounted, i.e. <root>/sys/fs/selinux/enforce exists */
void lsm_probe(const char *root, struct lsm_host *host);

/* Pure: does this host support what the config asks for? */
int lsm_validate_for(const struct spec_config *config, const struct lsm_host *host, struct fy_error **err);
/* lsm_probe("/") + lsm_validate_for: the core calls it before creating anything. */
int lsm_validate(const struct spec_config *config, struct fy_error **err);

/* In init, right before execve (after pivot_root: the container's /proc is used). */
int lsm_apparmor_exec(const char *profile, struct fy_error **err);
int lsm_selinux_exec(const char *label, struct fy_error **err);
/* Both of the above for the config's process; nothing when neither is set. */
int lsm_apply_exec(const struct spec_config *config, struct fy_error **err);

/* The mount option that labels a mount with linux.mountLabel ("context=\"LABEL\""), or NULL
 * when there is no label or SELinux is off.  For the mounts module. */
char *lsm_mount_label_option(const char *mount_label, const struct lsm_host *host);

#endif
