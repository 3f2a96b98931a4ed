/* foundry features: print the features document (features.md) as JSON. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/foundry/commands.h"
#include "lib/util.h"
#include "spec/features.h"

int cmd_features(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	_cleanup_free_ char *json = NULL;
	size_t len;
	int c;

	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("Usage: foundry features\n\nPrint the features this runtime supports on this host "
			       "(JSON).\n");
			return 0;
		}
		return fy_error_set(err, 0, "features: unknown option (see foundry features --help)");
	}
	if (optind < argc)
		return fy_error_set(err, 0, "features: unexpected argument \"%s\"", argv[optind]);
	json = spec_features_to_json(&len);
	if (fwrite(json, 1, len, stdout) != len || fflush(stdout) != 0)
		return fy_error_sys(err, "features: write the document to stdout");
	return 0;
}
