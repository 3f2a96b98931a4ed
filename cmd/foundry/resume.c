/* foundry resume <id>: thaw a paused container. */
#include "config.h"

#include <getopt.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"

int cmd_resume(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	const char *id;

	if (getopt_long(argc, argv, "+", none, NULL) != -1)
		return fy_error_set(err, 0, "resume: unknown option");
	if (command_take_id("resume", argc, argv, optind, &id, err) < 0)
		return -1;
	return container_resume(g->root, id, err);
}
