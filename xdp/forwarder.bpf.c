// SPDX-License-Identifier: GPL-2.0
/* Foundry's XDP forwarder, attached (native mode) to the host-side end of every container
 * veth.  See shared/design.md "Data plane" and shared/notes/xdp-on-veth.md.
 *
 *   ingress port --ports--> {vni, gateway, host MAC, container MAC}
 *   dst == host MAC                 -> XDP_PASS (the host stack: gateway, health checks)
 *   ARP request for a known address -> answered here, sent back out of the port, nothing flooded
 *   unicast, fdb LOCAL              -> redirect through tx_ports (a DEVMAP_HASH: measured
 *                                      faster and lossless where bpf_redirect(ifindex) lost 10%)
 *   fdb REMOTE                      -> dropped and counted until VXLAN lands (later issue)
 *   broadcast / unknown unicast     -> flood_ports with BPF_F_BROADCAST|EXCLUDE_INGRESS; the
 *                                      devmap egress program keeps the copies inside the VNI
 *
 * Both programs are xdp.frags: with frags the peer MTU is not capped at ~3.5k, and a
 * jumbo MTU on the container link is what closes most of the TCP gap to the bridge
 * (native XDP on a veth turns TSO off on its peer).
 */
#include "vmlinux.h"

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdp/fdb.h"

#define ETH_P_ARP_ 0x0806
#define ARPOP_REQUEST_ 1
#define ARPOP_REPLY_ 2
#define ARPHRD_ETHER_ 1
#define ETH_P_IP_ 0x0800

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FDB_MAX_ENTRIES);
	__type(key, struct fdb_key);
	__type(value, struct fdb_value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FDB_MAX_ENTRIES);
	__type(key, struct neigh_key);
	__type(value, struct neigh_value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} neigh SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FDB_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct port_value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, FDB_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, FDB_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} flood_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct meta_value);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} meta SEC(".maps");

/* The Ethernet/IPv4 ARP body (RFC 826), which the kernel's struct arphdr leaves out. */
struct arp_eth_ipv4 {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
	__u8 sha[6];
	__u8 sip[4];
	__u8 tha[6];
	__u8 tip[4];
} __attribute__((packed));

static __always_inline int count(enum fdb_counter c, int verdict)
{
	__u32 key = c;
	__u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (v)
		*v += 1;
	return verdict;
}

static __always_inline bool mac_eq(const __u8 *a, const __u8 *b)
{
	return ((const __u16 *)a)[0] == ((const __u16 *)b)[0] && ((const __u16 *)a)[1] == ((const __u16 *)b)[1] &&
	       ((const __u16 *)a)[2] == ((const __u16 *)b)[2];
}

/* ---- the forwarding decision, shared by the XDP and the tc entry points ------------- */

enum fwd_verdict {
	FWD_MALFORMED, /* shorter than an Ethernet header */
	FWD_NO_PORT,   /* arrived on an interface that is not a port */
	FWD_SPOOFED,   /* source MAC is not the port's container */
	FWD_HOST,      /* addressed to the host end: up the host stack */
	FWD_ARP,       /* a broadcast ARP frame: maybe answered from neigh */
	FWD_FLOOD,     /* other broadcast or multicast */
	FWD_UNKNOWN,   /* unicast to a MAC the fdb does not know */
	FWD_REMOTE,    /* REMOTE fdb entry: no VXLAN encapsulation yet */
	FWD_LOCAL,     /* a container on this host: *out_ifindex */
};

static __always_inline enum fwd_verdict fwd_classify(struct ethhdr *eth, void *data_end, __u32 ingress,
						     struct port_value **port_out, __u32 *out_ifindex)
{
	struct fdb_key key = {};
	struct port_value *port;
	struct fdb_value *dst;

	if ((void *)(eth + 1) > data_end)
		return FWD_MALFORMED;
	port = bpf_map_lookup_elem(&ports, &ingress);
	if (!port)
		return FWD_NO_PORT;
	*port_out = port;
	if (!mac_eq(eth->h_source, port->container_mac))
		return FWD_SPOOFED;
	if (mac_eq(eth->h_dest, port->host_mac))
		return FWD_HOST;
	if (eth->h_dest[0] & 1)
		return eth->h_proto == bpf_htons(ETH_P_ARP_) ? FWD_ARP : FWD_FLOOD;
	key.vni = port->vni;
	__builtin_memcpy(key.mac, eth->h_dest, 6);
	dst = bpf_map_lookup_elem(&fdb, &key);
	if (!dst)
		return FWD_UNKNOWN;
	if (dst->type != FDB_LOCAL)
		return FWD_REMOTE;
	*out_ifindex = dst->ifindex;
	return FWD_LOCAL;
}

/* The MAC that answers an ARP request on this port (the host end's for the gateway, else
 * the neighbour table's), or NULL when the forwarder does not answer it. */
static __always_inline const __u8 *arp_answer(const struct arp_eth_ipv4 *arp, const struct port_value *port)
{
	struct neigh_key nk = { .vni = port->vni };
	struct neigh_value *nv;

	if (arp->op != bpf_htons(ARPOP_REQUEST_) || arp->htype != bpf_htons(ARPHRD_ETHER_) ||
	    arp->ptype != bpf_htons(ETH_P_IP_) || arp->hlen != 6 || arp->plen != 4)
		return NULL;
	__builtin_memcpy(&nk.ip4, arp->tip, 4);
	if (nk.ip4 == port->gateway_ip4)
		return port->host_mac;
	nv = bpf_map_lookup_elem(&neigh, &nk);
	return nv ? nv->mac : NULL;
}

/* Turns the request into the reply from mac, in place. */
static __always_inline void arp_make_reply(struct ethhdr *eth, struct arp_eth_ipv4 *arp, const __u8 *mac)
{
	__u8 sip[4];

	__builtin_memcpy(eth->h_dest, eth->h_source, 6);
	__builtin_memcpy(eth->h_source, mac, 6);
	__builtin_memcpy(sip, arp->sip, 4);
	arp->op = bpf_htons(ARPOP_REPLY_);
	__builtin_memcpy(arp->tha, arp->sha, 6);
	__builtin_memcpy(arp->sip, arp->tip, 4);
	__builtin_memcpy(arp->tip, sip, 4);
	__builtin_memcpy(arp->sha, mac, 6);
}

/* ---- the XDP path --------------------------------------------------------------------- */

static __always_inline int flood(void)
{
	if (bpf_redirect_map(&flood_ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS) != XDP_REDIRECT)
		return count(CNT_DROP_REDIRECT, XDP_DROP);
	return count(CNT_FLOODED, XDP_REDIRECT);
}

static __always_inline int xdp_arp(struct ethhdr *eth, void *data_end, const struct port_value *port, __u32 ingress)
{
	struct arp_eth_ipv4 *arp = (void *)(eth + 1);
	const __u8 *mac;

	if ((void *)(arp + 1) > data_end)
		return count(CNT_DROP_MALFORMED, XDP_DROP);
	mac = arp_answer(arp, port);
	if (!mac)
		return flood();
	arp_make_reply(eth, arp, mac);
	/* Sent back out through tx_ports rather than XDP_TX: veth kicks the peer's NAPI after an
	 * XDP_TX only when the peer has an XDP program of its own, so with GRO alone the reply
	 * sat in the peer's ring until some later frame flushed it (seen as a 1 s ARP delay).
	 * A redirect to the ingress port goes through ndo_xdp_xmit, which always flushes. */
	if (bpf_redirect_map(&tx_ports, ingress, 0) != XDP_REDIRECT)
		return count(CNT_DROP_REDIRECT, XDP_DROP);
	return count(CNT_ARP_ANSWERED, XDP_REDIRECT);
}

SEC("xdp.frags")
int foundry_fwd(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 ingress = ctx->ingress_ifindex;
	struct port_value *port = NULL;
	__u32 out = 0;

	count(CNT_RX, 0);
	switch (fwd_classify(eth, data_end, ingress, &port, &out)) {
	case FWD_MALFORMED: return count(CNT_DROP_MALFORMED, XDP_DROP);
	case FWD_NO_PORT: return count(CNT_DROP_NO_PORT, XDP_DROP);
	case FWD_SPOOFED: return count(CNT_DROP_SPOOFED, XDP_DROP);
	case FWD_HOST: return count(CNT_PASSED_HOST, XDP_PASS);
	case FWD_ARP: return port ? xdp_arp(eth, data_end, port, ingress) : XDP_DROP;
	case FWD_FLOOD:
	case FWD_UNKNOWN: return flood();
	case FWD_REMOTE: return count(CNT_DROP_REMOTE, XDP_DROP);
	case FWD_LOCAL: break;
	}
	if (bpf_redirect_map(&tx_ports, out, 0) != XDP_REDIRECT)
		return count(CNT_DROP_REDIRECT, XDP_DROP);
	return count(CNT_REDIRECTED, XDP_REDIRECT);
}

/* ---- the tc path -------------------------------------------------------------------
 * The same forwarding decisions on the skb, for ports in tc mode (PORT_F_TC): a tc ingress
 * program on the host end keeps the skb, so the container keeps TSO and partial checksums
 * and no frame is copied into an xdp_frame.  Floods are not replicated here: broadcast
 * other than ARP goes to the host stack. */
#define TC_ACT_OK_ 0
#define TC_ACT_SHOT_ 2

static __always_inline int tc_arp(struct __sk_buff *skb, const struct port_value *port, __u32 ingress)
{
	struct ethhdr *eth;
	struct arp_eth_ipv4 *arp;
	const __u8 *mac;

	if (bpf_skb_pull_data(skb, sizeof(*eth) + sizeof(*arp)) < 0)
		return count(CNT_DROP_MALFORMED, TC_ACT_SHOT_);
	eth = (void *)(long)skb->data;
	arp = (void *)(eth + 1);
	if ((void *)(arp + 1) > (void *)(long)skb->data_end)
		return count(CNT_DROP_MALFORMED, TC_ACT_SHOT_);
	mac = arp_answer(arp, port);
	if (!mac)
		return count(CNT_PASSED_HOST, TC_ACT_OK_);
	arp_make_reply(eth, arp, mac);
	/* Out of the host end's egress: straight back to the container. */
	count(CNT_ARP_ANSWERED, 0);
	return bpf_redirect(ingress, 0);
}

SEC("tc")
int foundry_fwd_tc(struct __sk_buff *skb)
{
	struct ethhdr *eth = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 ingress = skb->ingress_ifindex;
	struct port_value *port = NULL;
	__u32 out = 0;

	count(CNT_RX, 0);
	switch (fwd_classify(eth, data_end, ingress, &port, &out)) {
	case FWD_MALFORMED: return count(CNT_DROP_MALFORMED, TC_ACT_SHOT_);
	case FWD_NO_PORT: return count(CNT_DROP_NO_PORT, TC_ACT_SHOT_);
	case FWD_SPOOFED: return count(CNT_DROP_SPOOFED, TC_ACT_SHOT_);
	case FWD_ARP: return port ? tc_arp(skb, port, ingress) : TC_ACT_SHOT_;
	case FWD_HOST:
	case FWD_FLOOD:
	case FWD_UNKNOWN: return count(CNT_PASSED_HOST, TC_ACT_OK_);
	case FWD_REMOTE: return count(CNT_DROP_REMOTE, TC_ACT_SHOT_);
	case FWD_LOCAL: break;
	}
	/* Egress of the destination's host end: veth hands it to the container's eth0. */
	count(CNT_REDIRECTED, 0);
	return bpf_redirect(out, 0);
}

/* Runs on every copy a flood sends: a devmap broadcast goes to every port in the map,
 * so the VNI boundary is enforced here, per egress port. */
SEC("xdp.frags/devmap")
int foundry_flood_egress(struct xdp_md *ctx)
{
	__u32 in_ifindex = ctx->ingress_ifindex;
	__u32 out_ifindex = ctx->egress_ifindex;
	struct port_value *in = bpf_map_lookup_elem(&ports, &in_ifindex);
	struct port_value *out = bpf_map_lookup_elem(&ports, &out_ifindex);

	if (!in || !out || in->vni != out->vni)
		return count(CNT_DROP_OTHER_VNI, XDP_DROP);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
