/* foundry-xdp-hook: wires a container into Foundry's XDP data plane.
 *
 * As an OCI hook (config.md "POSIX-platform Hooks") it is called with the stage as its
 * argument and the container state (runtime.md "State") on stdin:
 *   createRuntime (or prestart): veth, address, routes, forwarder attach, fdb/neigh/ports
 *   poststop:                    all of it undone
 * The rest are admin verbs on the pinned maps: fdb list|add|del, status, reload. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/foundry-xdp-hook/hook.h"
#include "lib/error.h"
#include "lib/util.h"
#include "spec/state.h"
#include "xdp/endpoint.h"
#include "xdp/ipam.h"
#include "xdp/loader.h"
#include "xdp/netconf.h"

static struct spec_state *read_state(struct fy_error **err)
{
	_cleanup_free_ char *json = NULL;
	size_t len;
	struct spec_state *st;

	if (fy_read_fd(STDIN_FILENO, &json, &len, err) < 0) {
		fy_error_wrap(err, "read the container state from stdin");
		return NULL;
	}
	st = spec_state_parse(json, len, err);
	if (!st)
		fy_error_wrap(err, "the container state on stdin");
	return st;
}

static int hook_create(const struct hook_options *opts)
{
	struct endpoint_paths paths = { opts->lease_root, opts->pin_dir };
	_cleanup_error_ struct fy_error *err = NULL;
	struct spec_state *st = read_state(&err);
	struct netconf conf;
	struct endpoint_info info;
	char ip[16], mac[18];
	int r;

	if (!st) {
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	r = netconf_from_annotations(st->annotations, st->n_annotations, &conf, &err);
	if (r == 0 && st->pid <= 0)
		r = fy_error_set(&err, EINVAL,
				 "state on stdin: .pid: expected the container's pid (createRuntime runs "
				 "after the namespaces are made)");
	if (r == 0)
		r = endpoint_create(&paths, st->id, st->pid, &conf, &info, &err);
	if (r < 0) {
		fy_error_wrap(&err, "createRuntime hook for container \"%s\"", st->id);
		fy_error_report(&err);
		spec_state_free(st);
		return FY_EXIT_ERROR;
	}
	ipv4_format(info.address, ip);
	mac_format(info.mac, mac);
	fy_debug("container \"%s\": %s/%u, %s, host end %s (ifindex %d), network \"%s\" VNI %u", st->id, ip,
		 conf.subnet.prefix, mac, info.host_ifname, info.host_ifindex, conf.network, conf.vni);
	spec_state_free(st);
	return FY_EXIT_OK;
}

static int hook_destroy(const struct hook_options *opts)
{
	struct endpoint_paths paths = { opts->lease_root, opts->pin_dir };
	_cleanup_error_ struct fy_error *err = NULL;
	struct spec_state *st = read_state(&err);
	int r;

	if (!st) {
		fy_error_report(&err);
		return FY_EXIT_ERROR;
	}
	r = endpoint_destroy(&paths, st->id, &err);
	if (r < 0) {
		fy_error_wrap(&err, "poststop hook for container \"%s\"", st->id);
		fy_error_report(&err);
	}
	spec_state_free(st);
	return r < 0 ? FY_EXIT_ERROR : FY_EXIT_OK;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: foundry-xdp-hook [options] <verb> [args]\n\n"
		     "OCI hook stages (the container state JSON on stdin):\n"
		     "  createRuntime          give the container eth0, an address and a port on the forwarder\n"
		     "  poststop               undo all of it\n\n"
		     "Admin verbs:\n"
		     "  fdb list               list forwarding entries\n"
		     "  fdb add --vni N --mac MAC (--dev IFNAME | --remote IPV4)\n"
		     "  fdb del --vni N --mac MAC\n"
		     "  status                 program, attached interfaces and counters\n"
		     "  reload                 load this build's program, keeping the pinned maps\n\n"
		     "Options:\n"
		     "  --lease-dir DIR        lease root (default " IPAM_DEFAULT_ROOT ")\n"
		     "  --pin-dir DIR          bpffs pin directory (default " XDP_FWD_DEFAULT_PIN_DIR ")\n"
		     "  --json                 print admin output as JSON\n"
		     "  --debug                log debug messages\n"
		     "  -h, --help             print this help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lease-dir", required_argument, NULL, 'l' },
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hook_options opts = { IPAM_DEFAULT_ROOT, XDP_FWD_DEFAULT_PIN_DIR, false };
	bool debug = false;
	const char *verb;
	int c;

	fy_log_set_program("foundry-xdp-hook");
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': opts.lease_root = optarg; break;
		case 'p': opts.pin_dir = optarg; break;
		case 'j': opts.json = true; break;
		case 'd': debug = true; break;
		case 'h': usage(stdout); return FY_EXIT_OK;
		default: usage(stderr); return FY_EXIT_ERROR;
		}
	}
	fy_log_set_fd(-1, FY_LOG_TEXT, debug);
	if (optind >= argc) {
		usage(stderr);
		return FY_EXIT_ERROR;
	}
	verb = argv[optind];
	if (strcmp(verb, "createRuntime") == 0 || strcmp(verb, "prestart") == 0)
		return hook_create(&opts);
	if (strcmp(verb, "poststop") == 0)
		return hook_destroy(&opts);
	if (strcmp(verb, "fdb") == 0)
		return cmd_fdb(&opts, argc - optind, argv + optind);
	if (strcmp(verb, "status") == 0)
		return cmd_status(&opts, argc - optind, argv + optind);
	if (strcmp(verb, "reload") == 0)
		return cmd_reload(&opts, argc - optind, argv + optind);
	fprintf(stderr, "foundry-xdp-hook: unknown verb \"%s\"\n", verb);
	usage(stderr);
	return FY_EXIT_ERROR;
}
