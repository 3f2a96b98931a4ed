/* linux.seccomp (config-linux.md "Seccomp"), with libseccomp.
 *
 * Three steps, so that the translation can be tested without a kernel and the core can
 * choose when the filter goes in:
 *
 *   seccomp_plan_build()    spec -> a validated rule list (pure): action names with their
 *                           errno folded in, architectures, flags, argument conditions;
 *                           syscall names libseccomp does not know are skipped with a warning
 *   seccomp_filter_build()  plan -> scmp_filter_ctx (no kernel call)
 *   seccomp_filter_load()   installs it with seccomp(2) directly, so that every flag of the
 *                           spec (WAIT_KILLABLE_RECV too) reaches the kernel and no_new_privs
 *                           is left to the caller; returns the notify fd for SCMP_ACT_NOTIFY
 *
 * When to load (the caller decides, both orders work):
 *  - noNewPrivileges true: set PR_SET_NO_NEW_PRIVS, then load as the very last step before
 *    execve, after the capabilities and the uid are final.  The filter then never sees the
 *    runtime's own setup syscalls.
 *  - noNewPrivileges false: the kernel only lets a process holding CAP_SYS_ADMIN install a
 *    filter without no_new_privs, so load before the capabilities are dropped (before setuid
 *    and caps_apply_after_setuid).  The filter then applies to the rest of the setup, so the
 *    profile must allow what the runtime still does (setuid, capset, prctl, execve ...).
 */
#ifndef FOUNDRY_SECCOMP_H
#define FOUNDRY_SECCOMP_H

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/config.h"

struct fy_error;

#define SECCOMP_PLAN_MAX_ARGS 6

struct seccomp_plan_rule {
	char *syscall;   /* the name from the config */
	int nr;          /* libseccomp's number for it (negative: a pseudo-syscall it maps per arch) */
	uint32_t action; /* SCMP_ACT_* with the errno folded in */
	struct scmp_arg_cmp args[SECCOMP_PLAN_MAX_ARGS];
	unsigned int n_args;
};

struct seccomp_plan {
	uint32_t default_action;
	uint32_t *arches; /* SCMP_ARCH_* tokens besides the native one */
	size_t n_arches;
	unsigned int filter_flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
	struct seccomp_plan_rule *rules;
	size_t n_rules;
	bool uses_notify; /* some action is SCMP_ACT_NOTIFY: loading returns a listener fd */
};

/* Name lookups, exposed for tests and for `foundry features`.  Each returns 0 or -1 when the
 * name is not a spec constant.  seccomp_arch_from_name returns 1 for a spec architecture this
 * libseccomp build does not know (the caller warns). */
int seccomp_action_from_name(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *action,
			     struct fy_error **err);
int seccomp_arch_from_name(const char *name, uint32_t *arch);
int seccomp_op_from_name(const char *name, enum scmp_compare *op);
int seccomp_flag_from_name(const char *name, unsigned int *flag);

int seccomp_plan_build(const struct spec_seccomp *s, struct seccomp_plan *out, struct fy_error **err);
void seccomp_plan_free(struct seccomp_plan *p);

scmp_filter_ctx seccomp_filter_build(const struct seccomp_plan *p, struct fy_error **err);
/* Installs ctx in the calling thread.  *notify_fd is the SCMP_ACT_NOTIFY listener (the
 * caller owns it and must hand it to the listener, see seccomp-notify.h) or -1. */
int seccomp_filter_load(scmp_filter_ctx ctx, const struct seccomp_plan *p, int *notify_fd, struct fy_error **err);

/* plan + build + load in one call, for init. */
int seccomp_install(const struct spec_seccomp *s, int *notify_fd, struct fy_error **err);

#endif
