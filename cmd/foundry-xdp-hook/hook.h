/* foundry-xdp-hook: the OCI hook (createRuntime / poststop) and its admin verbs. */
#ifndef FOUNDRY_XDP_HOOK_H
#define FOUNDRY_XDP_HOOK_H

#include <stdbool.h>

struct hook_options {
	const char *lease_root;
	const char *pin_dir;
	bool json;
};

int cmd_fdb(const struct hook_options *opts, int argc, char **argv);
int cmd_status(const struct hook_options *opts, int argc, char **argv);
int cmd_reload(const struct hook_options *opts, int argc, char **argv);

#endif
