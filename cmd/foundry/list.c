/* foundry list [--format table|json] [-q] */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "cmd/foundry/commands.h"
#include "lib/container.h"
#include "lib/util.h"

static void print_table(const struct container_summary *list, size_t n)
{
	printf("%-20s %-8s %-10s %-60s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (size_t i = 0; i < n; i++)
		printf("%-20s %-8d %-10s %-60s %-32s %s\n", list[i].id, (int)list[i].pid, list[i].status,
		       list[i].bundle, list[i].created, list[i].owner);
}

static void gen_kv(yajl_gen g, const char *key, const char *value)
{
	yajl_gen_string(g, (const unsigned char *)key, strlen(key));
	yajl_gen_string(g, (const unsigned char *)value, strlen(value));
}

/* runc's shape: an array of {ociVersion,id,pid,status,bundle,rootfs,created,owner}. */
static void print_json(const struct container_summary *list, size_t n)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	size_t len;

	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		yajl_gen_map_open(g);
		gen_kv(g, "ociVersion", FY_SPEC_VERSION);
		gen_kv(g, "id", list[i].id);
		yajl_gen_string(g, (const unsigned char *)"pid", 3);
		yajl_gen_integer(g, list[i].pid);
		gen_kv(g, "status", list[i].status);
		gen_kv(g, "bundle", list[i].bundle);
		gen_kv(g, "created", list[i].created);
		gen_kv(g, "owner", list[i].owner);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_get_buf(g, &buf, &len);
	printf("%.*s\n", (int)len, buf);
	yajl_gen_free(g);
}

int cmd_list(const struct global_options *g, int argc, char **argv, struct fy_error **err)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "table";
	bool quiet = false;
	int c;

	while ((c = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
		if (c == 'f')
			format = optarg;
		else if (c == 'q')
			quiet = true;
		else
			return fy_error_set(err, 0, "list: unknown option");
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return fy_error_set(err, 0, "list: --format: expected table or json, got \"%s\"", format);
	struct container_summary *list;
	size_t n;
	if (container_list(g->root, &list, &n, err) < 0)
		return -1;
	if (quiet)
		for (size_t i = 0; i < n; i++)
			printf("%s\n", list[i].id);
	else if (strcmp(format, "json") == 0)
		print_json(list, n);
	else
		print_table(list, n);
	container_list_free(list, n);
	return 0;
}
