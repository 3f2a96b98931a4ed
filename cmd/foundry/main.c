/* foundry: global flags and the command table. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/error.h"
#include "lib/util.h"

static const struct command commands[] = {
	{ "create", cmd_create, "create a container from a bundle (it waits for start)" },
	{ "start", cmd_start, "start the process of a created container" },
	{ "run", cmd_run, "create and start a container" },
	{ "state", cmd_state, "print the state of a container (JSON)" },
	{ "kill", cmd_kill, "send a signal to a container's process (default SIGTERM)" },
	{ "delete", cmd_delete, "delete a stopped container (--force: any container)" },
	{ "list", cmd_list, "list containers" },
	{ "exec", cmd_exec, "run a new process in a running container" },
	{ "pause", cmd_pause, "pause all processes of a container" },
	{ "resume", cmd_resume, "resume a paused container" },
	{ "update", cmd_update, "update a container's resource limits" },
	{ "events", cmd_events, "show container statistics and OOM events" },
	{ "ps", cmd_ps, "list the processes of a container" },
	{ "spec", cmd_spec, "write a default config.json into the bundle" },
	{ "features", cmd_features, "print the features this runtime supports (JSON)" },
	{ NULL, NULL, NULL },
};

const struct command *command_find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int command_take_id(const char *cmd, int argc, char **argv, int optind_, const char **id, struct fy_error **err)
{
	if (optind_ >= argc)
		return fy_error_set(err, 0, "%s: missing container id (usage: foundry %s [options] <container-id>)",
				    cmd, cmd);
	*id = argv[optind_];
	return 0;
}

static void print_version(void)
{
	printf("foundry version %s\n", PACKAGE_VERSION);
	printf("commit: %s\n", FY_GIT_COMMIT);
	printf("spec: %s\n", FY_SPEC_VERSION);
}

static void print_usage(FILE *out)
{
	fprintf(out, "Usage: foundry [global options] <command> [options] [args]\n\n"
		     "An OCI container runtime.\n\nCommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nGlobal options:\n"
		     "  --root DIR            state directory (default " FY_DEFAULT_ROOT ")\n"
		     "  --log FILE            also write log lines to FILE\n"
		     "  --log-format FORMAT   text or json\n"
		     "  --debug               log debug messages\n"
		     "  --systemd-cgroup      cgroupsPath is slice:prefix:name\n"
		     "  --cgroup-manager M    cgroupfs, systemd or disabled\n"
		     "  --rootless VALUE      true, false or auto\n"
		     "  -v, --version         print the version\n"
		     "  -h, --help            print this help\n");
}

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOG_FORMAT, OPT_DEBUG, OPT_SYSTEMD_CGROUP, OPT_CGROUP_MANAGER, OPT_ROOTLESS };

static int parse_global_options(int argc, char **argv, struct global_options *g, struct fy_error **err)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
		{ "debug", no_argument, NULL, OPT_DEBUG },
		{ "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP },
		{ "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
		{ "rootless", required_argument, NULL, OPT_ROOTLESS },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* '+': stop at the command name; its own flags are parsed by the command. */
	while ((c = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: g->root = optarg; break;
		case OPT_LOG: g->log_path = optarg; break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
				return fy_error_set(err, 0, "--log-format: expected text or json, got \"%s\"", optarg);
			g->log_format = optarg;
			break;
		case OPT_DEBUG: g->debug = true; break;
		case OPT_SYSTEMD_CGROUP: g->systemd_cgroup = true; break;
		case OPT_CGROUP_MANAGER:
			if (strcmp(optarg, "cgroupfs") != 0 && strcmp(optarg, "systemd") != 0 &&
			    strcmp(optarg, "disabled") != 0)
				return fy_error_set(
				    err, 0, "--cgroup-manager: expected cgroupfs, systemd or disabled, got \"%s\"",
				    optarg);
			g->cgroup_manager = optarg;
			break;
		case OPT_ROOTLESS: g->rootless = optarg; break;
		case 'v': print_version(); exit(0);
		case 'h': print_usage(stdout); exit(0);
		default: return fy_error_set(err, 0, "unknown global option (see foundry --help)");
		}
	}
	return optind;
}

int main(int argc, char **argv)
{
	struct global_options g = { .root = FY_DEFAULT_ROOT, .log_format = "text" };
	_cleanup_error_ struct fy_error *err = NULL;
	int first;

	fy_log_set_program("foundry");
	first = parse_global_options(argc, argv, &g, &err);
	if (first < 0) {
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	if (fy_log_open(g.log_path, strcmp(g.log_format, "json") == 0 ? FY_LOG_JSON : FY_LOG_TEXT, g.debug, &err) < 0) {
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	if (first >= argc) {
		print_usage(stderr);
		return FY_EXIT_ERROR;
	}
	const struct command *cmd = command_find(argv[first]);
	if (cmd == NULL) {
		fy_error_set(&err, 0, "unknown command \"%s\" (see foundry --help)", argv[first]);
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	/* Commands see argv starting at their own name, with getopt reset. */
	optind = 1;
	int rc = cmd->run(&g, argc - first, argv + first, &err);
	if (rc < 0) {
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	return rc;
}
