/* Glue between create/init and the security modules (caps, seccomp, sysctl, sched, lsm).
 *
 * Parent, before clone:   security_prepare()  validates and plans; warnings are logged once
 *                         here and the child inherits the plans (clone without CLONE_VM).
 * Child (init):           security_apply_sysctl() after pivot_root, before readonlyPaths;
 *                         security_apply() after the filesystem is final, before READY.
 * Parent, before READY:   security_hand_over_notify_fd() when the profile uses SCMP_ACT_NOTIFY.
 */
#ifndef FOUNDRY_INIT_SECURITY_H
#define FOUNDRY_INIT_SECURITY_H

#include <seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/caps.h"
#include "lib/seccomp.h"
#include "spec/config.h"

struct fy_error;

struct security_plan {
	struct caps_plan caps;
	bool has_seccomp;
	struct seccomp_plan seccomp;
	scmp_filter_ctx filter;
};

int security_prepare(const struct spec_config *config, struct security_plan *p, struct fy_error **err);
void security_plan_free(struct security_plan *p);

int security_apply_sysctl(const struct spec_config *config, struct fy_error **err);
/* In init: scheduling attributes, LSM exec labels, capabilities around setuid,
 * no_new_privs and seccomp, in the order the kernel needs.  sync_fd carries the notify fd. */
int security_apply(const struct spec_config *config, const struct security_plan *p, int sync_fd, struct fy_error **err);

/* In the parent, when the child sends SYNC_SECCOMP. */
int security_hand_over_notify_fd(const struct spec_config *config, int sync_fd, pid_t pid, const char *state_json,
				 struct fy_error **err);

#endif
