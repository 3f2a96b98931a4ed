#include "config.h"

#include "xdp/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"
#include "xdp/ipam.h"
#include "xdp/loader.h"
#include "lib/netlink.h"

void endpoint_host_ifname(const char *id, char name[IF_NAMESIZE])
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const char *p = id; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	snprintf(name, IF_NAMESIZE, "fy%013llx", (unsigned long long)(h & 0xfffffffffffffull));
}

/* FOUNDRY_XDP_TEST_KILL_AT=<step> makes the hook SIGKILL itself right after that step, so
 * the tests can check that poststop cleans up after a create that died at any point. */
static void test_kill_point(const char *step)
{
	const char *at = getenv("FOUNDRY_XDP_TEST_KILL_AT");

	if (at && strcmp(at, step) == 0)
		raise(SIGKILL);
}

static int global_lock(const struct endpoint_paths *paths, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/xdp.lock", paths->lease_root);
	int fd;

	if (fy_mkdir_p(paths->lease_root, 0700, err) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return fy_error_sys(err, "open \"%s\"", path);
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return fy_error_sys(err, "lock \"%s\"", path);
	}
	return fd;
}

static int container_netns(pid_t pid, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("/proc/%d/ns/net", (int)pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat theirs, ours;
	int ret;

	if (fd < 0)
		return fy_error_sys(err, "open the network namespace of pid %d", (int)pid);
	if (fstat(fd, &theirs) < 0 || stat("/proc/self/ns/net", &ours) < 0)
		return fy_error_sys(err, "stat network namespaces");
	if (theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev)
		return fy_error_set(err, EINVAL,
				    "pid %d shares the host's network namespace: give the container a \"network\" "
				    "namespace in config.json",
				    (int)pid);
	ret = fd;
	fd = -1;
	return ret;
}

/* ---- destroy -------------------------------------------------------------------- */

struct cleanup {
	const struct xdp_fwd *fwd; /* NULL when the forwarder is not loaded */
	struct nl_sock *host;
	const char *lease_root;
	const char *id;
	int host_ifindex; /* 0 when the host veth is already gone */
	struct fy_error **err;
};

static void forget_port(const struct xdp_fwd *fwd, uint32_t ifindex, const struct port_value *port)
{
	struct fdb_key fk = { .vni = port->vni };
	struct neigh_key nk = { .vni = port->vni, .ip4 = port->container_ip4 };

	memcpy(fk.mac, port->container_mac, 6);
	xdp_fwd_fdb_del(fwd, &fk, NULL);
	xdp_fwd_neigh_del(fwd, &nk);
	xdp_fwd_port_del(fwd, (int)ifindex);
}

struct lease_match {
	uint32_t vni, ip4, ifindex;
	bool found;
	struct port_value port;
};

static int match_port(uint32_t ifindex, const struct port_value *port, void *data)
{
	struct lease_match *m = data;

	if ((port->vni == m->vni && port->container_ip4 == m->ip4) || ifindex == m->ifindex) {
		m->ifindex = ifindex;
		m->port = *port;
		m->found = true;
		return -1;
	}
	return 0;
}

static int drop_local_fdb(const struct fdb_key *key, const struct fdb_value *value, void *data)
{
	const struct cleanup *c = data;

	if (value->type == FDB_LOCAL && (int)value->ifindex == c->host_ifindex)
		xdp_fwd_fdb_del(c->fwd, key, NULL);
	return 0;
}

static int release_lease(const struct ipam_lease *lease, void *data)
{
	struct cleanup *c = data;

	if (c->fwd) {
		struct lease_match m = { .vni = lease->vni,
					 .ip4 = htonl(lease->address),
					 .ifindex = (uint32_t)c->host_ifindex };
		struct neigh_key nk = { .vni = lease->vni, .ip4 = htonl(lease->address) };

		xdp_fwd_ports_each(c->fwd, match_port, &m);
		if (m.found)
			forget_port(c->fwd, m.ifindex, &m.port);
		xdp_fwd_neigh_del(c->fwd, &nk);
	}
	return ipam_lease_release(c->lease_root, lease->network, c->id, c->err);
}

static int destroy_locked(const struct endpoint_paths *paths, const char *id, struct fy_error **err)
{
	struct xdp_fwd fwd;
	struct fy_error *probe = NULL;
	struct nl_sock host;
	struct nl_link link;
	char ifname[IF_NAMESIZE];
	struct cleanup c = { .lease_root = paths->lease_root, .id = id, .err = err };
	int r;

	endpoint_host_ifname(id, ifname);
	if (nl_open(&host, -1, err) < 0)
		return -1;
	c.host = &host;
	if (xdp_fwd_open(paths->pin_dir, XDP_FWD_PINNED_ONLY, &fwd, &probe) == 0)
		c.fwd = &fwd;
	fy_error_free(&probe);

	r = nl_link_get(&host, ifname, &link, err);
	if (r == 0)
		c.host_ifindex = link.ifindex;
	if (r >= 0 && c.fwd && c.host_ifindex)
		xdp_fwd_fdb_each(c.fwd, drop_local_fdb, &c);
	/* Leases first: each names the port table entry (and so the fdb and neigh entries). */
	if (r >= 0)
		r = ipam_leases_of(paths->lease_root, id, release_lease, &c, err);
	if (r >= 0 && c.fwd && c.host_ifindex)
		xdp_fwd_port_del(c.fwd, c.host_ifindex);
	/* Deleting the host end deletes the container's eth0 and every route through it. */
	if (r >= 0)
		r = nl_link_del(&host, ifname, err);
	if (c.fwd)
		xdp_fwd_close(&fwd);
	nl_close(&host);
	return r < 0 ? fy_error_wrap(err, "remove the network endpoint of container \"%s\"", id) : 0;
}

int endpoint_destroy(const struct endpoint_paths *paths, const char *id, struct fy_error **err)
{
	_cleanup_close_ int lock = global_lock(paths, err);

	if (lock < 0)
		return -1;
	return destroy_locked(paths, id, err);
}

/* ---- create --------------------------------------------------------------------- */

struct wiring {
	const struct netconf *conf;
	struct endpoint_info *info;
	int netns_fd;
	struct nl_sock host, ctr;
	struct nl_link host_link, ctr_link;
};

/* Reuses a pair from an earlier run of this hook when it is exactly ours; anything else
 * under our host name is a leftover and is replaced. */
static int veth_ensure(struct wiring *w, struct fy_error **err)
{
	int rh, rc;

	rh = nl_link_get(&w->host, w->info->host_ifname, &w->host_link, err);
	if (rh < 0)
		return -1;
	rc = nl_link_get(&w->ctr, ENDPOINT_CONTAINER_IFNAME, &w->ctr_link, err);
	if (rc < 0)
		return -1;
	if (rh == 0 && rc == 0 && w->host_link.peer_ifindex == w->ctr_link.ifindex &&
	    w->ctr_link.peer_ifindex == w->host_link.ifindex && memcmp(w->ctr_link.mac, w->info->mac, 6) == 0)
		return 0;
	if (rc == 0)
		return fy_error_set(err, EEXIST, "the container already has an interface named \"%s\"",
				    ENDPOINT_CONTAINER_IFNAME);
	if (rh == 0 && nl_link_del(&w->host, w->info->host_ifname, err) < 0)
		return -1;
	if (nl_veth_create(&w->host, w->info->host_ifname, ENDPOINT_CONTAINER_IFNAME, w->netns_fd, w->conf->mtu,
			   w->info->mac, err) < 0)
		return -1;
	if (nl_link_get(&w->host, w->info->host_ifname, &w->host_link, err) != 0 ||
	    nl_link_get(&w->ctr, ENDPOINT_CONTAINER_IFNAME, &w->ctr_link, err) != 0)
		return fy_error_wrap(err, "find the veth pair \"%s\" just created", w->info->host_ifname);
	return 0;
}

static int container_side(struct wiring *w, struct fy_error **err)
{
	struct nl_link lo;
	int ifindex = w->ctr_link.ifindex;

	/* Trap 1: a frame redirected into the host end reaches eth0 only when eth0 runs NAPI,
	 * which GRO turns on.  Trap 2: native redirect loses CHECKSUM_PARTIAL, so eth0 must
	 * send complete checksums. */
	if (nl_ethtool_set(&w->ctr, ENDPOINT_CONTAINER_IFNAME, ETHTOOL_SGRO, true, err) < 0 ||
	    nl_ethtool_set(&w->ctr, ENDPOINT_CONTAINER_IFNAME, ETHTOOL_STXCSUM, w->conf->tc, err) < 0)
		return -1;
	if (nl_link_set_up(&w->ctr, ifindex, err) < 0 ||
	    nl_addr_add(&w->ctr, ifindex, w->info->address, w->conf->subnet.prefix, err) < 0 ||
	    nl_route_add(&w->ctr, 0, 0, w->conf->gateway, ifindex, 0, err) < 0)
		return fy_error_wrap(err, "configure %s in the container", ENDPOINT_CONTAINER_IFNAME);
	if (nl_link_get(&w->ctr, "lo", &lo, err) == 0 && !lo.up && nl_link_set_up(&w->ctr, lo.ifindex, err) < 0)
		return -1;
	return 0;
}

/* The host holds the gateway address on every host end (a /32, so no subnet route
 * competes) and a /32 route to each container: health checks from the host work. */
static int host_side(struct wiring *w, struct fy_error **err)
{
	int ifindex = w->host_link.ifindex;

	if (nl_link_set_up(&w->host, ifindex, err) < 0 ||
	    nl_addr_add(&w->host, ifindex, w->conf->gateway, 32, err) < 0 ||
	    nl_route_add(&w->host, w->info->address, 32, 0, ifindex, w->conf->gateway, err) < 0)
		return fy_error_wrap(err, "configure the host end \"%s\"", w->info->host_ifname);
	return 0;
}

static int forwarder_side(struct wiring *w, const struct xdp_fwd *fwd, struct fy_error **err)
{
	uint32_t ifindex = (uint32_t)w->host_link.ifindex;
	struct port_value port = { .vni = w->conf->vni,
				   .gateway_ip4 = htonl(w->conf->gateway),
				   .container_ip4 = htonl(w->info->address),
				   .flags = w->conf->tc ? PORT_F_TC : 0 };
	struct fdb_key fk = { .vni = w->conf->vni };
	struct fdb_value fv = { .type = FDB_LOCAL, .ifindex = ifindex };
	struct neigh_key nk = { .vni = w->conf->vni, .ip4 = htonl(w->info->address) };
	struct neigh_value nv;

	memcpy(port.host_mac, w->host_link.mac, 6);
	memcpy(port.container_mac, w->info->mac, 6);
	memcpy(fk.mac, w->info->mac, 6);
	memcpy(nv.mac, w->info->mac, 6);
	memset(nv.pad, 0, sizeof(nv.pad));
	/* The port entry first: destroy finds everything else through it. */
	if (xdp_fwd_port_set(fwd, (int)ifindex, &port, err) < 0)
		return -1;
	test_kill_point("port");
	if (xdp_fwd_fdb_set(fwd, &fk, &fv, err) < 0 || xdp_fwd_neigh_set(fwd, &nk, &nv, err) < 0)
		return -1;
	test_kill_point("maps");
	if (w->conf->tc)
		return xdp_fwd_attached_tc_id((int)ifindex) == fwd->tc_prog_id
			   ? 0
			   : xdp_fwd_attach_tc(fwd, (int)ifindex, err);
	if (xdp_fwd_attached_id((int)ifindex) != fwd->prog_id && xdp_fwd_attach(fwd, (int)ifindex, err) < 0)
		return -1;
	return 0;
}

static int create_locked(const struct endpoint_paths *paths, const char *id, pid_t pid, const struct netconf *conf,
			 struct endpoint_info *info, struct fy_error **err)
{
	_cleanup_close_ int netns = container_netns(pid, err);
	struct wiring w = { .conf = conf, .info = info, .netns_fd = netns, .host.ioctl_fd = -1, .ctr.ioctl_fd = -1 };
	struct xdp_fwd fwd;
	int r;

	if (netns < 0)
		return -1;
	memset(info, 0, sizeof(*info));
	endpoint_host_ifname(id, info->host_ifname);
	if (xdp_fwd_open(paths->pin_dir, XDP_FWD_LOAD, &fwd, err) < 0)
		return -1;
	r = ipam_lease_take(paths->lease_root, conf, id, &info->address, err);
	if (r >= 0) {
		if (conf->has_mac)
			memcpy(info->mac, conf->mac, 6);
		else
			mac_from_ipv4(info->address, info->mac);
		r = nl_open(&w.host, -1, err);
	}
	if (r >= 0) {
		test_kill_point("lease");
		r = nl_open(&w.ctr, netns, err);
	}
	if (r >= 0)
		r = veth_ensure(&w, err);
	if (r >= 0) {
		test_kill_point("veth");
		r = container_side(&w, err);
	}
	if (r >= 0) {
		test_kill_point("container");
		r = host_side(&w, err);
	}
	if (r >= 0) {
		test_kill_point("host");
		r = forwarder_side(&w, &fwd, err);
	}
	info->host_ifindex = w.host_link.ifindex;
	nl_close(&w.ctr);
	nl_close(&w.host);
	xdp_fwd_close(&fwd);
	return r;
}

int endpoint_create(const struct endpoint_paths *paths, const char *id, pid_t pid, const struct netconf *conf,
		    struct endpoint_info *info, struct fy_error **err)
{
	_cleanup_close_ int lock = global_lock(paths, err);
	struct fy_error *undo_err = NULL;

	if (lock < 0)
		return -1;
	if (create_locked(paths, id, pid, conf, info, err) == 0)
		return 0;
	/* Half a network is worse than none: take back whatever this run made. */
	if (destroy_locked(paths, id, &undo_err) < 0) {
		fy_warn("%s", undo_err->msg);
		fy_error_free(&undo_err);
	}
	return fy_error_wrap(err, "wire container \"%s\" into network \"%s\"", id, conf->network);
}

int endpoint_forwarder_reload(const struct endpoint_paths *paths, uint32_t *old_id, uint32_t *new_id,
			      struct fy_error **err)
{
	_cleanup_close_ int lock = global_lock(paths, err);
	struct fy_error *probe = NULL;
	struct xdp_fwd fwd;

	if (lock < 0)
		return -1;
	*old_id = 0;
	if (xdp_fwd_open(paths->pin_dir, XDP_FWD_PINNED_ONLY, &fwd, &probe) == 0)
		*old_id = fwd.prog_id;
	fy_error_free(&probe);
	xdp_fwd_close(&fwd);
	if (xdp_fwd_open(paths->pin_dir, XDP_FWD_RELOAD, &fwd, err) < 0)
		return -1;
	*new_id = fwd.prog_id;
	xdp_fwd_close(&fwd);
	return 0;
}
