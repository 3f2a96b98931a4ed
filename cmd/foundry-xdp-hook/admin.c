/* The admin verbs: read and write the pinned maps, print them as text or JSON. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "cmd/foundry-xdp-hook/hook.h"
#include "lib/error.h"
#include "lib/util.h"
#include "xdp/endpoint.h"
#include "xdp/loader.h"
#include "xdp/netconf.h"

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void gen_kv_str(yajl_gen g, const char *k, const char *v)
{
	gen_str(g, k);
	gen_str(g, v);
}

static void gen_kv_int(yajl_gen g, const char *k, long long v)
{
	gen_str(g, k);
	yajl_gen_integer(g, v);
}

static void gen_print(yajl_gen g)
{
	const unsigned char *buf;
	size_t len;

	yajl_gen_get_buf(g, &buf, &len);
	fwrite(buf, 1, len, stdout);
	fputc('\n', stdout);
	yajl_gen_free(g);
}

static int fail(struct fy_error **err)
{
	fy_error_report(err);
	return FY_EXIT_ERROR;
}

static void ip4_be_format(uint32_t be, char buf[16])
{
	ipv4_format(ntohl(be), buf);
}

/* ---- fdb ------------------------------------------------------------------------ */

static int fdb_print_one(const struct fdb_key *k, const struct fdb_value *v, void *data)
{
	yajl_gen g = data;
	char mac[18], ip[16], ifname[IF_NAMESIZE] = "";
	bool local = v->type == FDB_LOCAL;

	mac_format(k->mac, mac);
	ip4_be_format(v->remote_ip4, ip);
	if (local && !if_indextoname(v->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "?");
	if (!g) {
		if (local)
			printf("%-8u %-17s local  %s (ifindex %u)\n", k->vni, mac, ifname, v->ifindex);
		else
			printf("%-8u %-17s remote %s\n", k->vni, mac, ip);
		return 0;
	}
	yajl_gen_map_open(g);
	gen_kv_int(g, "vni", k->vni);
	gen_kv_str(g, "mac", mac);
	gen_kv_str(g, "type", local ? "local" : v->type == FDB_REMOTE ? "remote" : "unknown");
	if (local) {
		gen_kv_int(g, "ifindex", v->ifindex);
		gen_kv_str(g, "interface", ifname);
	} else {
		gen_kv_str(g, "remote", ip);
	}
	yajl_gen_map_close(g);
	return 0;
}

static int fdb_list(const struct hook_options *opts, const struct xdp_fwd *fwd)
{
	yajl_gen g = NULL;

	if (opts->json) {
		g = yajl_gen_alloc(NULL);
		yajl_gen_array_open(g);
	} else {
		printf("%-8s %-17s %s\n", "VNI", "MAC", "DESTINATION");
	}
	xdp_fwd_fdb_each(fwd, fdb_print_one, g);
	if (g) {
		yajl_gen_array_close(g);
		gen_print(g);
	}
	return FY_EXIT_OK;
}

struct fdb_args {
	long vni;
	const char *mac, *dev, *remote;
};

static int fdb_args_parse(int argc, char **argv, struct fdb_args *a, struct fdb_key *key, struct fy_error **err)
{
	static const struct option longopts[] = {
		{ "vni", required_argument, NULL, 'v' },
		{ "mac", required_argument, NULL, 'm' },
		{ "dev", required_argument, NULL, 'd' },
		{ "remote", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *vni = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': vni = optarg; break;
		case 'm': a->mac = optarg; break;
		case 'd': a->dev = optarg; break;
		case 'r': a->remote = optarg; break;
		default: return fy_error_set(err, EINVAL, "fdb: unknown option");
		}
	}
	if (!vni || fy_parse_long(vni, &a->vni) < 0 || a->vni < 1 || a->vni > (long)NETCONF_VNI_MAX)
		return fy_error_set(err, EINVAL, "fdb: --vni: expected an integer from 1 to 16777215");
	if (!a->mac || mac_parse(a->mac, key->mac) < 0)
		return fy_error_set(err, EINVAL,
				    "fdb: --mac: expected a MAC address as six hex pairs, e.g. 02:fd:0a:58:00:05");
	key->vni = (uint32_t)a->vni;
	return 0;
}

static int fdb_add(const struct xdp_fwd *fwd, int argc, char **argv, struct fy_error **err)
{
	struct fdb_args a = { 0 };
	struct fdb_key key = { 0 };
	struct fdb_value value = { 0 };
	uint32_t ip;

	if (fdb_args_parse(argc, argv, &a, &key, err) < 0)
		return -1;
	if (!!a.dev == !!a.remote)
		return fy_error_set(err, EINVAL,
				    "fdb add: give exactly one of --dev IFNAME (local) or --remote IPV4 (a VTEP)");
	if (a.dev) {
		value.type = FDB_LOCAL;
		value.ifindex = if_nametoindex(a.dev);
		if (!value.ifindex)
			return fy_error_sys(err, "fdb add: --dev \"%s\"", a.dev);
	} else {
		if (ipv4_parse(a.remote, &ip) < 0)
			return fy_error_set(err, EINVAL, "fdb add: --remote \"%s\": expected an IPv4 address",
					    a.remote);
		value.type = FDB_REMOTE;
		value.remote_ip4 = htonl(ip);
	}
	return xdp_fwd_fdb_set(fwd, &key, &value, err);
}

static int fdb_del(const struct xdp_fwd *fwd, int argc, char **argv, struct fy_error **err)
{
	struct fdb_args a = { 0 };
	struct fdb_key key = { 0 };

	if (fdb_args_parse(argc, argv, &a, &key, err) < 0)
		return -1;
	if (xdp_fwd_fdb_del(fwd, &key, err) < 0)
		return fy_error_wrap(err, "fdb del: VNI %ld MAC %s", a.vni, a.mac);
	return 0;
}

int cmd_fdb(const struct hook_options *opts, int argc, char **argv)
{
	_cleanup_error_ struct fy_error *err = NULL;
	struct xdp_fwd fwd;
	int r;

	if (argc < 2) {
		fprintf(stderr, "foundry-xdp-hook: fdb: expected list, add or del\n");
		return FY_EXIT_ERROR;
	}
	if (xdp_fwd_open(opts->pin_dir, XDP_FWD_PINNED_ONLY, &fwd, &err) < 0)
		return fail(&err);
	if (strcmp(argv[1], "list") == 0)
		r = fdb_list(opts, &fwd);
	else if (strcmp(argv[1], "add") == 0)
		r = fdb_add(&fwd, argc - 1, argv + 1, &err) < 0 ? fail(&err) : FY_EXIT_OK;
	else if (strcmp(argv[1], "del") == 0)
		r = fdb_del(&fwd, argc - 1, argv + 1, &err) < 0 ? fail(&err) : FY_EXIT_OK;
	else {
		fprintf(stderr, "foundry-xdp-hook: fdb: unknown verb \"%s\" (expected list, add or del)\n", argv[1]);
		r = FY_EXIT_ERROR;
	}
	xdp_fwd_close(&fwd);
	return r;
}

/* ---- status --------------------------------------------------------------------- */

struct status_ctx {
	yajl_gen g;
	uint32_t prog_id, tc_prog_id;
};

static int status_port(uint32_t ifindex, const struct port_value *p, void *data)
{
	struct status_ctx *s = data;
	char ifname[IF_NAMESIZE] = "?", ip[16], mac[18];
	bool tc = p->flags & PORT_F_TC;
	uint32_t attached = tc ? xdp_fwd_attached_tc_id((int)ifindex) : xdp_fwd_attached_id((int)ifindex);
	uint32_t want = tc ? s->tc_prog_id : s->prog_id;

	if_indextoname(ifindex, ifname);
	ip4_be_format(p->container_ip4, ip);
	mac_format(p->container_mac, mac);
	if (!s->g) {
		printf("  %-16s ifindex %-5u vni %-8u %-15s %s %-3s %s\n", ifname, ifindex, p->vni, ip, mac,
		       tc ? "tc" : "xdp",
		       attached == want ? "attached"
		       : attached       ? "OTHER PROGRAM"
					: "NOT ATTACHED");
		return 0;
	}
	yajl_gen_map_open(s->g);
	gen_kv_str(s->g, "interface", ifname);
	gen_kv_int(s->g, "ifindex", ifindex);
	gen_kv_int(s->g, "vni", p->vni);
	gen_kv_str(s->g, "address", ip);
	gen_kv_str(s->g, "mac", mac);
	gen_kv_str(s->g, "mode", tc ? "tc" : "xdp");
	gen_kv_int(s->g, "attached_program_id", attached);
	yajl_gen_map_close(s->g);
	return 0;
}

int cmd_status(const struct hook_options *opts, int argc, char **argv)
{
	_cleanup_error_ struct fy_error *err = NULL;
	struct xdp_fwd fwd;
	uint64_t cnt[CNT__MAX];
	struct status_ctx s = { 0 };

	if (xdp_fwd_open(opts->pin_dir, XDP_FWD_PINNED_ONLY, &fwd, &err) < 0 || xdp_fwd_counters(&fwd, cnt, &err) < 0) {
		xdp_fwd_close(&fwd);
		return fail(&err);
	}
	s.prog_id = fwd.prog_id;
	s.tc_prog_id = fwd.tc_prog_id;
	if (opts->json) {
		s.g = yajl_gen_alloc(NULL);
		yajl_gen_map_open(s.g);
		gen_kv_int(s.g, "program_id", fwd.prog_id);
		gen_kv_int(s.g, "tc_program_id", fwd.tc_prog_id);
		gen_kv_str(s.g, "pin_dir", opts->pin_dir);
		gen_str(s.g, "ports");
		yajl_gen_array_open(s.g);
	} else {
		printf("program id %u (xdp), %u (tc), pinned under %s\nports:\n", fwd.prog_id, fwd.tc_prog_id,
		       opts->pin_dir);
	}
	xdp_fwd_ports_each(&fwd, status_port, &s);
	if (s.g) {
		yajl_gen_array_close(s.g);
		gen_str(s.g, "counters");
		yajl_gen_map_open(s.g);
	} else {
		printf("counters:\n");
	}
	for (int c = 0; c < CNT__MAX; c++) {
		if (s.g)
			gen_kv_int(s.g, xdp_fwd_counter_name(c), (long long)cnt[c]);
		else
			printf("  %-22s %llu\n", xdp_fwd_counter_name(c), (unsigned long long)cnt[c]);
	}
	if (s.g) {
		yajl_gen_map_close(s.g);
		yajl_gen_map_close(s.g);
		gen_print(s.g);
	}
	xdp_fwd_close(&fwd);
	return FY_EXIT_OK;
}

int cmd_reload(const struct hook_options *opts, int argc, char **argv)
{
	struct endpoint_paths paths = { opts->lease_root, opts->pin_dir };
	_cleanup_error_ struct fy_error *err = NULL;
	uint32_t old_id, new_id;

	if (endpoint_forwarder_reload(&paths, &old_id, &new_id, &err) < 0)
		return fail(&err);
	printf("reloaded: program id %u -> %u, maps kept\n", old_id, new_id);
	return FY_EXIT_OK;
}
