/* The forwarder's maps: the one definition of their keys and values, included by the BPF
 * program (xdp/forwarder.bpf.c, after vmlinux.h) and by user space (xdp/loader.c).
 *
 * Every struct is padded by hand to a multiple of 8 bytes with explicit fields, so both
 * compilers lay it out the same and a later field can take a pad slot without moving the
 * others.  The pinned maps survive program reloads; libbpf refuses to reuse a pinned map
 * whose key or value size changed, so changing a size here is a layout break that needs
 * `foundry-xdp-hook reset` (see man/foundry-xdp-hook.8).
 */
#ifndef FOUNDRY_XDP_FDB_H
#define FOUNDRY_XDP_FDB_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define FDB_MAX_ENTRIES 65536
#define FDB_MAX_PORTS 4096

/* fdb: {vni, mac} -> where the frame goes. */
struct fdb_key {
	__u32 vni;
	__u8 mac[6];
	__u8 pad[2];
};

enum fdb_type {
	FDB_LOCAL = 1,  /* a container on this host: redirect to its host-side veth */
	FDB_REMOTE = 2, /* a container behind another host's VTEP: VXLAN (later issue) */
};

struct fdb_value {
	__u32 type;       /* enum fdb_type */
	__u32 ifindex;    /* LOCAL: host-side veth */
	__u32 remote_ip4; /* REMOTE: VTEP IPv4 address, network byte order */
	__u32 pad;
};

/* neigh: {vni, IPv4} -> MAC, so ARP requests are answered in XDP without flooding. */
struct neigh_key {
	__u32 vni;
	__u32 ip4; /* network byte order */
};

struct neigh_value {
	__u8 mac[6];
	__u8 pad[2];
};

/* ports: ifindex of a host-side veth -> the container behind it. */
struct port_value {
	__u32 vni;
	__u32 gateway_ip4; /* network byte order; ARP for it is answered with host_mac */
	__u8 host_mac[6];  /* the host-side veth: frames to it go up the host stack */
	__u8 pad0[2];
	__u8 container_mac[6]; /* the only source MAC accepted from this port */
	__u8 pad1[2];
	__u32 container_ip4; /* network byte order */
	__u32 flags;         /* PORT_F_* */
};

/* The port is served by the tc program (foundry_fwd_tc) instead of XDP: same maps, but the
 * skb is kept, so the container keeps TSO and checksum offload. */
#define PORT_F_TC 1u

/* Per-CPU counters, one array slot each.  Names for them are in fdb_counter_names(). */
enum fdb_counter {
	CNT_RX,             /* frames seen on a port */
	CNT_REDIRECTED,     /* unicast to a LOCAL fdb entry */
	CNT_FLOODED,        /* broadcast/multicast/unknown unicast flooded within the VNI */
	CNT_PASSED_HOST,    /* addressed to the gateway: XDP_PASS to the host stack */
	CNT_ARP_ANSWERED,   /* ARP request answered from neigh (XDP_TX) */
	CNT_DROP_MALFORMED, /* truncated Ethernet/ARP header */
	CNT_DROP_NO_PORT,   /* arrived on an interface not in the port table */
	CNT_DROP_SPOOFED,   /* source MAC is not the port's container MAC */
	CNT_DROP_REMOTE,    /* REMOTE fdb entry: no VXLAN encapsulation yet */
	CNT_DROP_OTHER_VNI, /* flood copy suppressed on a port of another VNI */
	CNT_DROP_REDIRECT,  /* bpf_redirect_map() refused the frame */
	CNT__MAX,
};

/* meta: one slot (key 0) recording which build of the program is pinned, so a hook run
 * from another build knows to reload it (keeping every other map). */
struct meta_value {
	__u64 build_hash; /* FNV-1a of the embedded BPF object */
	__u64 pad;
};

#endif
