/* foundry ps [--format table|json] <id> [ps options]: the processes in the container's
 * cgroup.  json: an array of host pids.  table (runc's): the lines of `ps` (default
 * "-ef") whose PID column is one of the container's. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"
#include "lib/util.h"

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Column index of "PID" in ps's header, or -1. */
static int pid_column(char *header)
{
	int col = 0;
	for (char *save = NULL, *tok = strtok_r(header, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), col++)
		if (strcmp(tok, "PID") == 0)
			return col;
	return -1;
}

static int print_table(const pid_t *pids, size_t n, int argc, char **argv, struct fy_error **err)
{
	int fds[2];
	char **args = xzalloc(sizeof(char *) * (size_t)(argc + 3));
	int nargs = 0;

	args[nargs++] = "ps";
	if (argc == 0)
		args[nargs++] = "-ef";
	for (int i = 0; i < argc; i++)
		args[nargs++] = argv[i];
	if (pipe(fds) < 0) {
		free(args);
		return fy_error_sys(err, "ps: pipe");
	}
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execvp("ps", args);
		_exit(127);
	}
	free(args);
	close(fds[1]);
	if (child < 0) {
		close(fds[0]);
		return fy_error_sys(err, "ps: fork");
	}
	_cleanup_fclose_ FILE *in = fdopen(fds[0], "r");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	int col = -1, status = 0;
	bool header = true;
	while (in && getline(&line, &cap, in) > 0) {
		if (header) {
			_cleanup_free_ char *copy = xstrdup(line);
			col = pid_column(copy);
			fputs(line, stdout);
			header = false;
			continue;
		}
		_cleanup_free_ char *copy = xstrdup(line);
		char *save = NULL, *tok = strtok_r(copy, " \t\n", &save);
		for (int i = 0; tok && i < col; i++)
			tok = strtok_r(NULL, " \t\n", &save);
		long pid;
		if (tok && fy_parse_long(tok, &pid) == 0 && has_pid(pids, n, pid))
			fputs(line, stdout);
	}
	waitpid(child, &status, 0);
	if (col < 0)
		return fy_error_set(err, 0, "ps: no PID column in the output of ps (options given: %d)", argc);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fy_error_set(err, 0, "ps: ps exited with status %d",
				    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

int cmd_ps(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
	const char *format = "table", *id;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int c;

	while ((c = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (c != 'f')
			return fy_error_set(
			    err, 0, "ps: unknown option (usage: foundry ps [--format table|json] <id> [ps options])");
		format = optarg;
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return fy_error_set(err, 0, "ps: --format: expected table or json, got \"%s\"", format);
	if (command_take_id("ps", argc, argv, optind, &id, err) < 0)
		return -1;
	if (container_pids(g->root, id, &pids, &n, err) < 0)
		return -1;
	if (strcmp(format, "table") == 0)
		return print_table(pids, n, argc - optind - 1, argv + optind + 1, err);
	printf("[");
	for (size_t i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", (int)pids[i]);
	printf("]\n");
	return 0;
}
