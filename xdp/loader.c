#include "config.h"

#include "xdp/loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"
#include "xdp/forwarder.skel.h"

#define BPFFS_ROOT "/sys/fs/bpf"
#define PROG_PIN "foundry_fwd"
#define EGRESS_PIN "foundry_flood_egress"
#define TC_PIN "foundry_fwd_tc"

static const char *const counter_names[CNT__MAX] = {
	[CNT_RX] = "rx",
	[CNT_REDIRECTED] = "redirected",
	[CNT_FLOODED] = "flooded",
	[CNT_PASSED_HOST] = "passed_to_host",
	[CNT_ARP_ANSWERED] = "arp_answered",
	[CNT_DROP_MALFORMED] = "drop_malformed",
	[CNT_DROP_NO_PORT] = "drop_no_port",
	[CNT_DROP_SPOOFED] = "drop_spoofed_source",
	[CNT_DROP_REMOTE] = "drop_remote_no_vxlan",
	[CNT_DROP_OTHER_VNI] = "drop_flood_other_vni",
	[CNT_DROP_REDIRECT] = "drop_redirect_failed",
};

const char *xdp_fwd_counter_name(enum fdb_counter c)
{
	return c < CNT__MAX ? counter_names[c] : "?";
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	_cleanup_free_ char *line = NULL;

	size_t len;

	if (level == LIBBPF_DEBUG || vasprintf(&line, fmt, ap) < 0)
		return 0;
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		line[len - 1] = '\0';
	fy_debug("%s", line);
	return 0;
}

/* Which build is embedded: FNV-1a over the BPF object, compared with the pinned meta. */
static uint64_t build_hash(void)
{
	size_t sz;
	const uint8_t *p = forwarder__elf_bytes(&sz);
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < sz; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static bool is_bpffs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

/* bpffs is not mounted on every host (notes, trap 7). */
static int pin_dir_prepare(const char *pin_dir, struct fy_error **err)
{
	if (!is_bpffs(BPFFS_ROOT) && strncmp(pin_dir, BPFFS_ROOT "/", strlen(BPFFS_ROOT) + 1) == 0) {
		if (mount("bpf", BPFFS_ROOT, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0)
			return fy_error_sys(err, "mount bpffs on " BPFFS_ROOT);
	}
	if (mkdir(pin_dir, 0700) < 0 && errno != EEXIST)
		return fy_error_sys(err, "create pin directory \"%s\"", pin_dir);
	if (!is_bpffs(pin_dir))
		return fy_error_set(err, ENOTSUP, "pin directory \"%s\" is not on a bpf filesystem", pin_dir);
	return 0;
}

static int pinned_get(const char *pin_dir, const char *name, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", pin_dir, name);
	int fd = bpf_obj_get(path);

	if (fd < 0)
		return fy_error_sys(err, "open pinned \"%s\"", path);
	return fd;
}

static uint32_t prog_id_of(int fd)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

static int open_pinned(const char *pin_dir, struct xdp_fwd *fwd, struct fy_error **err)
{
	struct {
		const char *name;
		int *fd;
	} pins[] = {
		{ PROG_PIN, &fwd->prog_fd },       { EGRESS_PIN, &fwd->egress_prog_fd },
		{ TC_PIN, &fwd->tc_prog_fd },      { "fdb", &fwd->fdb_fd },
		{ "neigh", &fwd->neigh_fd },       { "ports", &fwd->ports_fd },
		{ "tx_ports", &fwd->tx_ports_fd }, { "flood_ports", &fwd->flood_ports_fd },
		{ "counters", &fwd->counters_fd }, { "meta", &fwd->meta_fd },
	};

	for (size_t i = 0; i < ARRAY_SIZE(pins); i++) {
		*pins[i].fd = pinned_get(pin_dir, pins[i].name, err);
		if (*pins[i].fd < 0)
			return -1;
	}
	fwd->prog_id = prog_id_of(fwd->prog_fd);
	fwd->tc_prog_id = prog_id_of(fwd->tc_prog_fd);
	return 0;
}

static int pin_prog(struct bpf_program *prog, const char *pin_dir, const char *name, struct fy_error **err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", pin_dir, name);

	/* A pin cannot be replaced in place; the caller's lock keeps the gap invisible. */
	if (unlink(path) < 0 && errno != ENOENT)
		return fy_error_sys(err, "remove old pin \"%s\"", path);
	if (bpf_obj_pin(bpf_program__fd(prog), path) < 0)
		return fy_error_sys(err, "pin \"%s\"", path);
	return 0;
}

struct reattach {
	const struct xdp_fwd *fwd;
	struct fy_error **err;
};

/* After a reload every port moves to the new program and the flood devmap entries to the
 * new egress program: the maps they read are the same ones, so nothing is forgotten. */
static int reattach_port(uint32_t ifindex, const struct port_value *port, void *data)
{
	struct reattach *r = data;
	char name[IF_NAMESIZE];

	if (!if_indextoname(ifindex, name))
		return 0; /* its veth is gone; poststop will drop the entry */
	if (port->flags & PORT_F_TC ? xdp_fwd_attach_tc(r->fwd, (int)ifindex, r->err) < 0
				    : xdp_fwd_attach(r->fwd, (int)ifindex, r->err) < 0)
		return -1;
	if (xdp_fwd_port_set(r->fwd, (int)ifindex, port, r->err) < 0)
		return -1;
	return 0;
}

/* The kernel adds BPF_F_RDONLY_PROG to every devmap it creates but refuses it at creation,
 * so a definition can carry it neither way: adopt the pinned map's flags before libbpf
 * compares them, so the pinned devmaps are reused instead of refused as "mismatched". */
static void adopt_pinned_devmap_flags(struct bpf_object *obj, const char *pin_dir)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
	{
		_cleanup_free_ char *path = xasprintf("%s/%s", pin_dir, bpf_map__name(map));
		struct bpf_map_info info = { 0 };
		uint32_t len = sizeof(info);
		int fd = bpf_obj_get(path);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.type == bpf_map__type(map) &&
		    (info.map_flags & ~(uint32_t)BPF_F_RDONLY_PROG) == bpf_map__map_flags(map))
			bpf_map__set_map_flags(map, info.map_flags);
		close(fd);
	}
}

static int load_build(const char *pin_dir, uint64_t hash, struct xdp_fwd *fwd, struct fy_error **err)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	struct forwarder *skel = forwarder__open_opts(&opts);
	struct meta_value meta = { .build_hash = hash };
	struct reattach r = { fwd, err };
	uint32_t zero = 0;
	int ret;

	if (!skel)
		return fy_error_sys(err, "open the embedded XDP forwarder object");
	/* Maps are pinned by name: libbpf reuses the pinned ones when their layout matches. */
	adopt_pinned_devmap_flags(skel->obj, pin_dir);
	ret = forwarder__load(skel);
	if (ret < 0) {
		forwarder__destroy(skel);
		return fy_error_set(err, -ret,
				    "load the XDP forwarder (if the pinned maps under \"%s\" have another layout, "
				    "detach its ports and remove the pins to start afresh)",
				    pin_dir);
	}
	if (pin_prog(skel->progs.foundry_fwd, pin_dir, PROG_PIN, err) < 0 ||
	    pin_prog(skel->progs.foundry_flood_egress, pin_dir, EGRESS_PIN, err) < 0 ||
	    pin_prog(skel->progs.foundry_fwd_tc, pin_dir, TC_PIN, err) < 0) {
		forwarder__destroy(skel);
		return -1;
	}
	forwarder__destroy(skel);
	if (open_pinned(pin_dir, fwd, err) < 0)
		return -1;
	if (xdp_fwd_ports_each(fwd, reattach_port, &r) < 0)
		return -1;
	if (bpf_map_update_elem(fwd->meta_fd, &zero, &meta, BPF_ANY) < 0)
		return fy_error_sys(err, "record the forwarder build in \"%s/meta\"", pin_dir);
	return 0;
}

int xdp_fwd_open(const char *pin_dir, enum xdp_fwd_open_mode mode, struct xdp_fwd *fwd, struct fy_error **err)
{
	uint64_t hash = build_hash();
	struct meta_value meta = { 0 };
	uint32_t zero = 0;

	memset(fwd, 0, sizeof(*fwd));
	fwd->prog_fd = fwd->egress_prog_fd = fwd->tc_prog_fd = fwd->fdb_fd = fwd->neigh_fd = fwd->ports_fd =
	    fwd->tx_ports_fd = fwd->flood_ports_fd = fwd->counters_fd = fwd->meta_fd = -1;
	libbpf_set_print(fy_log_debug_enabled() ? libbpf_print : NULL);
	if (mode == XDP_FWD_PINNED_ONLY) {
		if (open_pinned(pin_dir, fwd, err) < 0)
			return fy_error_wrap(err, "the XDP forwarder is not loaded (no container has been wired yet?)");
		return 0;
	}
	if (pin_dir_prepare(pin_dir, err) < 0)
		return -1;
	if (mode == XDP_FWD_LOAD) {
		struct fy_error *probe = NULL;

		if (open_pinned(pin_dir, fwd, &probe) == 0 && bpf_map_lookup_elem(fwd->meta_fd, &zero, &meta) == 0 &&
		    meta.build_hash == hash)
			return 0;
		fy_error_free(&probe);
		xdp_fwd_close(fwd);
	}
	return load_build(pin_dir, hash, fwd, err);
}

void xdp_fwd_close(struct xdp_fwd *fwd)
{
	int *fds[] = { &fwd->prog_fd,  &fwd->egress_prog_fd, &fwd->tc_prog_fd,     &fwd->fdb_fd,      &fwd->neigh_fd,
		       &fwd->ports_fd, &fwd->tx_ports_fd,    &fwd->flood_ports_fd, &fwd->counters_fd, &fwd->meta_fd };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int xdp_fwd_attach(const struct xdp_fwd *fwd, int ifindex, struct fy_error **err)
{
	/* Netlink attach (not a bpf_link): it stays when the hook exits and goes with the veth. */
	int r = bpf_xdp_attach(ifindex, fwd->prog_fd, XDP_FLAGS_DRV_MODE, NULL);

	if (r < 0)
		return fy_error_set(err, -r, "attach the XDP forwarder to interface %d", ifindex);
	return 0;
}

uint32_t xdp_fwd_attached_id(int ifindex)
{
	uint32_t id = 0;

	if (bpf_xdp_query_id(ifindex, XDP_FLAGS_DRV_MODE, &id) < 0)
		return 0;
	return id;
}

int xdp_fwd_attach_tc(const struct xdp_fwd *fwd, int ifindex, struct fy_error **err)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1, .prog_fd = fwd->tc_prog_fd,
		    .flags = BPF_TC_F_REPLACE);
	int r = bpf_tc_hook_create(&hook);

	if (r < 0 && r != -EEXIST)
		return fy_error_set(err, -r, "add the clsact qdisc to interface %d", ifindex);
	r = bpf_tc_attach(&hook, &opts);
	if (r < 0)
		return fy_error_set(err, -r, "attach the tc forwarder to interface %d", ifindex);
	return 0;
}

uint32_t xdp_fwd_attached_tc_id(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = 1, .priority = 1);

	if (bpf_tc_query(&hook, &opts) < 0)
		return 0;
	return opts.prog_id;
}

int xdp_fwd_port_set(const struct xdp_fwd *fwd, int ifindex, const struct port_value *port, struct fy_error **err)
{
	uint32_t key = (uint32_t)ifindex;
	struct bpf_devmap_val tx = { .ifindex = key };
	struct bpf_devmap_val flood = { .ifindex = key, .bpf_prog.fd = fwd->egress_prog_fd };

	if (bpf_map_update_elem(fwd->ports_fd, &key, port, BPF_ANY) < 0)
		return fy_error_sys(err, "write port %d into the port table", ifindex);
	if (bpf_map_update_elem(fwd->tx_ports_fd, &key, &tx, BPF_ANY) < 0)
		return fy_error_sys(err, "write port %d into the redirect devmap", ifindex);
	if (bpf_map_update_elem(fwd->flood_ports_fd, &key, &flood, BPF_ANY) < 0)
		return fy_error_sys(err, "write port %d into the flood devmap", ifindex);
	return 0;
}

void xdp_fwd_port_del(const struct xdp_fwd *fwd, int ifindex)
{
	uint32_t key = (uint32_t)ifindex;

	/* The devmaps first: no flood may reach a port whose table entry is gone. */
	bpf_map_delete_elem(fwd->flood_ports_fd, &key);
	bpf_map_delete_elem(fwd->tx_ports_fd, &key);
	bpf_map_delete_elem(fwd->ports_fd, &key);
}

int xdp_fwd_fdb_set(const struct xdp_fwd *fwd, const struct fdb_key *key, const struct fdb_value *value,
		    struct fy_error **err)
{
	if (bpf_map_update_elem(fwd->fdb_fd, key, value, BPF_ANY) < 0)
		return fy_error_sys(err, "write the fdb entry");
	return 0;
}

int xdp_fwd_fdb_del(const struct xdp_fwd *fwd, const struct fdb_key *key, struct fy_error **err)
{
	if (bpf_map_delete_elem(fwd->fdb_fd, key) < 0)
		return fy_error_sys(err, "delete the fdb entry");
	return 0;
}

int xdp_fwd_neigh_set(const struct xdp_fwd *fwd, const struct neigh_key *key, const struct neigh_value *value,
		      struct fy_error **err)
{
	if (bpf_map_update_elem(fwd->neigh_fd, key, value, BPF_ANY) < 0)
		return fy_error_sys(err, "write the neighbour entry");
	return 0;
}

void xdp_fwd_neigh_del(const struct xdp_fwd *fwd, const struct neigh_key *key)
{
	bpf_map_delete_elem(fwd->neigh_fd, key);
}

/* Walks a hash map by key; keys are collected first so fn may delete entries. */
static int map_each(int fd, size_t key_size, size_t value_size, int (*fn)(const void *, const void *, void *),
		    void *data)
{
	_cleanup_free_ uint8_t *keys = NULL;
	_cleanup_free_ uint8_t *value = xmalloc(value_size);
	size_t n = 0, cap = 0;
	uint8_t *prev = NULL;

	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			keys = xrealloc(keys, cap * key_size);
			prev = n ? keys + (n - 1) * key_size : NULL;
		}
		if (bpf_map_get_next_key(fd, prev, keys + n * key_size) < 0)
			break;
		prev = keys + n * key_size;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(fd, keys + i * key_size, value) < 0)
			continue;
		if (fn(keys + i * key_size, value, data) < 0)
			return -1;
	}
	return 0;
}

struct each_ctx {
	void *fn;
	void *data;
};

static int fdb_thunk(const void *k, const void *v, void *data)
{
	struct each_ctx *c = data;

	return ((int (*)(const struct fdb_key *, const struct fdb_value *, void *))c->fn)(k, v, c->data);
}

static int port_thunk(const void *k, const void *v, void *data)
{
	struct each_ctx *c = data;

	return ((int (*)(uint32_t, const struct port_value *, void *))c->fn)(*(const uint32_t *)k, v, c->data);
}

static int neigh_thunk(const void *k, const void *v, void *data)
{
	struct each_ctx *c = data;

	return ((int (*)(const struct neigh_key *, const struct neigh_value *, void *))c->fn)(k, v, c->data);
}

int xdp_fwd_fdb_each(const struct xdp_fwd *fwd, int (*fn)(const struct fdb_key *, const struct fdb_value *, void *),
		     void *data)
{
	struct each_ctx c = { (void *)fn, data };

	return map_each(fwd->fdb_fd, sizeof(struct fdb_key), sizeof(struct fdb_value), fdb_thunk, &c);
}

int xdp_fwd_ports_each(const struct xdp_fwd *fwd, int (*fn)(uint32_t ifindex, const struct port_value *, void *),
		       void *data)
{
	struct each_ctx c = { (void *)fn, data };

	return map_each(fwd->ports_fd, sizeof(uint32_t), sizeof(struct port_value), port_thunk, &c);
}

int xdp_fwd_neigh_each(const struct xdp_fwd *fwd,
		       int (*fn)(const struct neigh_key *, const struct neigh_value *, void *), void *data)
{
	struct each_ctx c = { (void *)fn, data };

	return map_each(fwd->neigh_fd, sizeof(struct neigh_key), sizeof(struct neigh_value), neigh_thunk, &c);
}

int xdp_fwd_counters(const struct xdp_fwd *fwd, uint64_t out[CNT__MAX], struct fy_error **err)
{
	int ncpu = libbpf_num_possible_cpus();
	_cleanup_free_ uint64_t *percpu = NULL;

	if (ncpu < 0)
		return fy_error_set(err, -ncpu, "count possible CPUs");
	percpu = xzalloc(sizeof(uint64_t) * (size_t)ncpu);
	for (uint32_t c = 0; c < CNT__MAX; c++) {
		out[c] = 0;
		if (bpf_map_lookup_elem(fwd->counters_fd, &c, percpu) < 0)
			return fy_error_sys(err, "read counter \"%s\"", counter_names[c]);
		for (int i = 0; i < ncpu; i++)
			out[c] += percpu[i];
	}
	return 0;
}
