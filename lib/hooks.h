/* Running OCI hooks (config.md "POSIX-platform Hooks"): each hook is executed with the
 * container state on stdin, its own args and env (the runtime's environment when it has
 * none, as runc does), and killed when its timeout passes. */
#ifndef FOUNDRY_HOOKS_H
#define FOUNDRY_HOOKS_H

#include <stddef.h>

#include "spec/config.h"

struct fy_error;

/* Runs the hooks of one stage in order and stops at the first failure. */
int hooks_run_stage(const struct spec_hooks *hooks, enum spec_hook_stage stage, const char *state_json,
		    struct fy_error **err);

/* For poststop (runtime.md step 13): a failing hook is a warning and the rest still run. */
void hooks_run_stage_warn(const struct spec_hooks *hooks, enum spec_hook_stage stage, const char *state_json);

#endif
