/* foundry spec [--bundle DIR] [--rootless]: write a default config.json, like `runc spec`. */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd/foundry/commands.h"
#include "lib/util.h"
#include "spec/config.h"

struct spec_options {
	const char *bundle;
	bool rootless;
};

static void spec_usage(FILE *out)
{
	fprintf(out, "Usage: foundry spec [--bundle DIR] [--rootless]\n\n"
		     "Write a default config.json into the bundle directory (default: the current one).\n\n"
		     "  -b, --bundle DIR   the bundle directory\n"
		     "      --rootless    a configuration for a container run by an unprivileged user\n"
		     "  -h, --help         print this help\n");
}

enum { OPT_ROOTLESS = 256 };

static int parse_spec_options(int argc, char **argv, struct spec_options *o, struct fy_error **err)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, OPT_ROOTLESS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o->bundle = optarg; break;
		case OPT_ROOTLESS: o->rootless = true; break;
		case 'h': spec_usage(stdout); return 1;
		default: return fy_error_set(err, 0, "spec: unknown option (see foundry spec --help)");
		}
	}
	if (optind < argc)
		return fy_error_set(err, 0, "spec: unexpected argument \"%s\" (see foundry spec --help)", argv[optind]);
	return 0;
}

int cmd_spec(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	struct spec_options o = { .bundle = "." };
	_cleanup_config_ struct spec_config *config = NULL;
	int r = parse_spec_options(argc, argv, &o, err);

	if (r != 0)
		return r < 0 ? -1 : 0;
	config = spec_config_default(o.rootless, (uint32_t)geteuid(), (uint32_t)getegid());
	return spec_config_write_new(o.bundle, config, err);
}
