/* foundry create [--bundle DIR] [--pid-file FILE] [--console-socket PATH] [--no-pivot]
 *                [--no-new-keyring] [--preserve-fds N] <id> */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"
#include "lib/util.h"

enum {
	OPT_BUNDLE = 256,
	OPT_PID_FILE,
	OPT_CONSOLE_SOCKET,
	OPT_NO_PIVOT,
	OPT_NO_NEW_KEYRING,
	OPT_PRESERVE_FDS,
	OPT_DETACH,
	OPT_KEEP
};

static const struct option create_options[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
	{ "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
	{ "no-new-keyring", no_argument, NULL, OPT_NO_NEW_KEYRING },
	{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
	{ "detach", no_argument, NULL, 'd' },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ NULL, 0, NULL, 0 },
};

/* Shared by create and run (run adds --detach and --keep). */
static int parse_create_flags(const char *cmd, bool is_run, int argc, char **argv, struct container_run_options *o,
			      const struct global_options *g, struct fy_error **err)
{
	int c;

	memset(o, 0, sizeof *o);
	o->create.root = g->root;
	o->create.cgroup_manager = g->cgroup_manager ? g->cgroup_manager : (g->systemd_cgroup ? "systemd" : NULL);
	while ((c = getopt_long(argc, argv, is_run ? "+b:d" : "+b:", create_options, NULL)) != -1) {
		switch (c) {
		case 'b': o->create.bundle = optarg; break;
		case OPT_PID_FILE: o->create.pid_file = optarg; break;
		case OPT_CONSOLE_SOCKET: o->create.console_socket = optarg; break;
		case OPT_NO_PIVOT: o->create.no_pivot = true; break;
		case OPT_NO_NEW_KEYRING: o->create.no_new_keyring = true; break;
		case OPT_PRESERVE_FDS: {
			long n;
			if (fy_parse_long(optarg, &n) < 0 || n < 0 || n > 65535)
				return fy_error_set(err, 0, "%s: --preserve-fds: expected a number of fds, got \"%s\"",
						    cmd, optarg);
			o->create.preserve_fds = (int)n;
			break;
		}
		case 'd':
			if (!is_run)
				return fy_error_set(err, 0, "%s: unknown option --detach", cmd);
			o->detach = true;
			break;
		case OPT_KEEP:
			if (!is_run)
				return fy_error_set(err, 0, "%s: unknown option --keep", cmd);
			o->keep = true;
			break;
		default: return fy_error_set(err, 0, "%s: unknown option (see foundry %s --help)", cmd, cmd);
		}
	}
	if (command_take_id(cmd, argc, argv, optind, &o->create.id, err) < 0)
		return -1;
	return 0;
}

int cmd_create(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	struct container_run_options o;

	if (parse_create_flags("create", false, argc, argv, &o, g, err) < 0)
		return -1;
	return container_create(&o.create, err);
}

int cmd_run(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	struct container_run_options o;
	int status = 0;

	if (parse_create_flags("run", true, argc, argv, &o, g, err) < 0)
		return -1;
	if (container_run(&o, &status, err) < 0)
		return -1;
	return status;
}
