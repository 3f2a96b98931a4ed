/* foundry exec [options] <id> <command> [args...]   (runc's flags) */
#include "config.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/exec.h"
#include "lib/util.h"

enum { OPT_CWD = 256, OPT_PID_FILE, OPT_NO_NEW_PRIVS, OPT_PRESERVE_FDS, OPT_CONSOLE_SOCKET, OPT_IGNORE_PAUSED };

static char **push(char **v, size_t *n, const char *s)
{
	v = xrealloc(v, (*n + 2) * sizeof *v);
	v[(*n)++] = (char *)s;
	v[*n] = NULL;
	return v;
}

int cmd_exec(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "env", required_argument, NULL, 'e' },
		{ "cwd", required_argument, NULL, OPT_CWD },
		{ "user", required_argument, NULL, 'u' },
		{ "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "pid-file", required_argument, NULL, OPT_PID_FILE },
		{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
		{ "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
		{ NULL, 0, NULL, 0 },
	};
	struct exec_options o = { .root = g->root };
	_cleanup_free_ char **env = NULL, **caps = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "+p:e:u:c:dt", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.process_file = optarg; break;
		case 'e': env = push(env, &o.n_env, optarg); break;
		case OPT_CWD: o.cwd = optarg; break;
		case 'u': o.user = optarg; break;
		case 'c': caps = push(caps, &o.n_caps, optarg); break;
		case OPT_NO_NEW_PRIVS: o.no_new_privs = true; break;
		case 'd': o.detach = true; break;
		case 't': o.tty = true; break;
		case OPT_PID_FILE: o.pid_file = optarg; break;
		case OPT_CONSOLE_SOCKET: o.console_socket = optarg; break;
		case OPT_PRESERVE_FDS: {
			long n;
			if (fy_parse_long(optarg, &n) < 0 || n < 0 || n > 65535)
				return fy_error_set(
				    err, 0, "exec: --preserve-fds: expected a number of fds, got \"%s\"", optarg);
			o.preserve_fds = (int)n;
			break;
		}
		default: return fy_error_set(err, 0, "exec: unknown option (see foundry --help)");
		}
	}
	if (command_take_id("exec", argc, argv, optind, &o.id, err) < 0)
		return -1;
	o.env = env;
	o.caps = caps;
	o.args = argv + optind + 1;
	o.n_args = (size_t)(argc - optind - 1);
	int status;
	if (container_exec(&o, &status, err) < 0) {
		/* design.md: 255 when exec could not start the process. */
		fy_error_report(err);
		return status;
	}
	return status;
}
