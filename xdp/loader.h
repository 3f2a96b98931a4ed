/* The forwarder's life in the kernel: load once, pin under the pin directory, reuse the
 * pinned program and maps on every later run, reload a different build without losing
 * the maps, attach to ports (netlink attach: it outlives the hook), and typed access to
 * the maps for the hook and the admin verbs. */
#ifndef FOUNDRY_XDP_LOADER_H
#define FOUNDRY_XDP_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "xdp/fdb.h"

struct fy_error;

#define XDP_FWD_DEFAULT_PIN_DIR "/sys/fs/bpf/foundry"

struct xdp_fwd {
	int prog_fd;        /* foundry_fwd */
	int egress_prog_fd; /* foundry_flood_egress */
	int tc_prog_fd;     /* foundry_fwd_tc */
	uint32_t tc_prog_id;
	uint32_t prog_id;
	int fdb_fd, neigh_fd, ports_fd, tx_ports_fd, flood_ports_fd, counters_fd, meta_fd;
};

enum xdp_fwd_open_mode {
	XDP_FWD_PINNED_ONLY, /* admin verbs: use what is pinned, fail when nothing is */
	XDP_FWD_LOAD,        /* hook: load when absent or when the pinned build differs */
	XDP_FWD_RELOAD,      /* always load this build, keeping the pinned maps */
};

int xdp_fwd_open(const char *pin_dir, enum xdp_fwd_open_mode mode, struct xdp_fwd *fwd, struct fy_error **err);
void xdp_fwd_close(struct xdp_fwd *fwd);

/* Native-mode attach, replacing whatever program the interface had. */
int xdp_fwd_attach(const struct xdp_fwd *fwd, int ifindex, struct fy_error **err);
/* The program id attached to ifindex in native mode, 0 when none. */
uint32_t xdp_fwd_attached_id(int ifindex);
/* tc mode: clsact + cls_bpf on ingress (netlink: outlives the hook), and its query. */
int xdp_fwd_attach_tc(const struct xdp_fwd *fwd, int ifindex, struct fy_error **err);
uint32_t xdp_fwd_attached_tc_id(int ifindex);

/* The port table entry and both devmap entries for ifindex. */
int xdp_fwd_port_set(const struct xdp_fwd *fwd, int ifindex, const struct port_value *port, struct fy_error **err);
/* Removes them; absent entries are not an error. */
void xdp_fwd_port_del(const struct xdp_fwd *fwd, int ifindex);

int xdp_fwd_fdb_set(const struct xdp_fwd *fwd, const struct fdb_key *key, const struct fdb_value *value,
		    struct fy_error **err);
int xdp_fwd_fdb_del(const struct xdp_fwd *fwd, const struct fdb_key *key, struct fy_error **err);
int xdp_fwd_neigh_set(const struct xdp_fwd *fwd, const struct neigh_key *key, const struct neigh_value *value,
		      struct fy_error **err);
void xdp_fwd_neigh_del(const struct xdp_fwd *fwd, const struct neigh_key *key);

/* Iterators: fn returns < 0 to stop. */
int xdp_fwd_fdb_each(const struct xdp_fwd *fwd, int (*fn)(const struct fdb_key *, const struct fdb_value *, void *),
		     void *data);
int xdp_fwd_ports_each(const struct xdp_fwd *fwd, int (*fn)(uint32_t ifindex, const struct port_value *, void *),
		       void *data);
int xdp_fwd_neigh_each(const struct xdp_fwd *fwd,
		       int (*fn)(const struct neigh_key *, const struct neigh_value *, void *), void *data);

/* Sums the per-CPU counters into out[CNT__MAX]. */
int xdp_fwd_counters(const struct xdp_fwd *fwd, uint64_t out[CNT__MAX], struct fy_error **err);
const char *xdp_fwd_counter_name(enum fdb_counter c);

#endif
