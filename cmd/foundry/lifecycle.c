/* The commands that act on an existing container by id: start, state, kill, delete. */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"
#include "lib/util.h"

/* Commands whose only argument is the id and that take no flags. */
static int take_only_id(const char *cmd, int argc, char **argv, const char **id, struct fy_error **err)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	if (getopt_long(argc, argv, "+", none, NULL) != -1)
		return fy_error_set(err, 0, "%s: unknown option", cmd);
	return command_take_id(cmd, argc, argv, optind, id, err);
}

int cmd_start(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	const char *id;

	if (take_only_id("start", argc, argv, &id, err) < 0)
		return -1;
	return container_start(g->root, id, err);
}

int cmd_state(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	const char *id;

	if (take_only_id("state", argc, argv, &id, err) < 0)
		return -1;
	_cleanup_free_ char *json = container_state_json(g->root, id, err);
	if (json == NULL)
		return -1;
	printf("%s\n", json);
	return 0;
}

int cmd_kill(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	bool all = false;
	const char *id;
	int c;

	while ((c = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (c != 'a')
			return fy_error_set(err, 0, "kill: unknown option");
		all = true;
	}
	if (command_take_id("kill", argc, argv, optind, &id, err) < 0)
		return -1;
	const char *name = optind + 1 < argc ? argv[optind + 1] : "SIGTERM";
	int sig = container_parse_signal(name);
	if (sig < 0)
		return fy_error_set(err, 0, "kill: unknown signal \"%s\"", name);
	return container_kill(g->root, id, sig, all, err);
}

int cmd_delete(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	bool force = false;
	const char *id;
	int c;

	while ((c = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (c != 'f')
			return fy_error_set(err, 0, "delete: unknown option");
		force = true;
	}
	if (command_take_id("delete", argc, argv, optind, &id, err) < 0)
		return -1;
	return container_delete(g->root, id, force, err);
}
