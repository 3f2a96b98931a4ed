/* foundry events [--stats] [--interval DURATION] <id>: runc's event stream, one JSON
 * object per line: "stats" every interval (default 5s) and "oom" when the kernel
 * OOM-kills in the container; --stats prints one stats object and exits. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"

/* "5s", "500ms", "1m", "2" (seconds) -> milliseconds; -1 when malformed. */
static long parse_duration_ms(const char *s)
{
	char *end = NULL;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60000;
	else if (strcmp(end, "h") == 0)
		v *= 3600000;
	else if (strcmp(end, "ms") != 0)
		return -1;
	return v < 1 ? 1 : (long)v;
}

static int print_event(const char *json, void *arg)
{
	/* One line per event, flushed: consumers read the stream as it comes. */
	if (printf("%s\n", json) < 0 || fflush(stdout) != 0)
		return -1;
	return 0;
}

int cmd_events(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	bool stats = false;
	long interval = 5000;
	const char *id;
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 's': stats = true; break;
		case 'i':
			interval = parse_duration_ms(optarg);
			if (interval <= 0)
				return fy_error_set(
				    err, 0, "events: --interval: expected a duration like 5s or 500ms, got \"%s\"",
				    optarg);
			break;
		default:
			return fy_error_set(
			    err, 0, "events: unknown option (usage: foundry events [--stats] [--interval 5s] <id>)");
		}
	}
	if (command_take_id("events", argc, argv, optind, &id, err) < 0)
		return -1;
	if (container_events(g->root, id, (unsigned)interval, stats, print_event, NULL, err) < 0) {
		if (*err == NULL)
			fy_error_sys(err, "events: write to stdout");
		return -1;
	}
	return 0;
}
