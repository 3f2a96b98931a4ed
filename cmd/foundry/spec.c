/* Placeholder: the spec/ work replaces this file. */
#include "config.h"
#include "cmd/foundry/commands.h"
int cmd_spec(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	return fy_error_set(err, 0, "spec: not implemented yet");
}
