/* The rest of config.md "process" that is not capabilities or seccomp: user and groups,
 * rlimits, oom score, umask, the executable lookup, and file descriptors. */
#ifndef FOUNDRY_PROCESS_H
#define FOUNDRY_PROCESS_H

#include "spec/config.h"

struct fy_error;

/* RLIMIT_* name -> resource number, -1 when unknown. */
int process_rlimit_resource(const char *name);
int process_set_rlimits(const struct spec_process *p, struct fy_error **err);
int process_set_oom_score_adj(const struct spec_process *p, struct fy_error **err);
/* setgroups(additionalGids), setresgid, setresuid, umask. */
int process_set_user(const struct spec_user *user, struct fy_error **err);
/* chdir to process.cwd, then refuses a working directory outside the container's root
 * (CVE-2024-21626: a cwd like /proc/self/fd/N through a runtime fd still open at that
 * moment would put the process on the host's file system).  getcwd() reports such a
 * directory as "(unreachable)..." or fails with ENOENT. */
int process_chdir(const char *cwd, struct fy_error **err);
/* args[0] looked up in the container's PATH (from process.env, else the default PATH),
 * as execvp would, but before the container starts so a typo fails `create`. */
char *process_find_executable(const struct spec_process *p, struct fy_error **err);
/* Marks every fd from 3 + preserve_fds upward close-on-exec (CVE-2024-21626: nothing
 * of the runtime may reach the container), leaving the preserved ones inheritable. */
int process_close_fds_on_exec(int preserve_fds, struct fy_error **err);

#endif
