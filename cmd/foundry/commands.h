/* The command layer: each command parses its flags, fills an options struct, calls
 * one libfoundry function and prints.  It never touches the kernel itself. */
#ifndef FOUNDRY_COMMANDS_H
#define FOUNDRY_COMMANDS_H

#include <stdbool.h>

#include "lib/error.h"

/* Flags given before the command name (runc's global flags). */
struct global_options {
	const char *root;           /* --root, default /run/foundry */
	const char *log_path;       /* --log */
	const char *log_format;     /* --log-format text|json */
	bool debug;                 /* --debug */
	bool systemd_cgroup;        /* --systemd-cgroup */
	const char *cgroup_manager; /* --cgroup-manager cgroupfs|systemd|disabled */
	const char *rootless;       /* --rootless true|false|auto */
};

typedef int (*command_fn)(const struct global_options *g, int argc, char **argv, struct fy_error **err);

struct command {
	const char *name;
	command_fn run;
	const char *summary;
};

/* Looks up the table in main.c; NULL when unknown. */
const struct command *command_find(const char *name);

/* Shared by the commands: the one positional container id, or an error naming the command. */
int command_take_id(const char *cmd, int argc, char **argv, int optind_, const char **id, struct fy_error **err);

/* One function per command, each in cmd/foundry/<name>.c. */
int cmd_create(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_start(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_run(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_state(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_kill(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_delete(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_list(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_exec(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_pause(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_resume(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_update(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_events(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_ps(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_spec(const struct global_options *g, int argc, char **argv, struct fy_error **err);
int cmd_features(const struct global_options *g, int argc, char **argv, struct fy_error **err);

#define FY_DEFAULT_ROOT "/run/foundry"

#endif
