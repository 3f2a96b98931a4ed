/* rtnetlink through libmnl: the link, address and route operations the XDP hook and
 * netDevices need, plus the ethtool feature switches (SIOCETHTOOL).  A socket is bound to the
 * network namespace it was opened in, so one opened "in" a container's netns keeps
 * working there after the process returns to its own. */
#ifndef FOUNDRY_NETLINK_H
#define FOUNDRY_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

struct fy_error;
struct mnl_socket;
struct nlmsghdr;

struct nl_sock {
	struct mnl_socket *mnl;
	unsigned portid;
	unsigned seq;
	int ioctl_fd; /* AF_INET datagram socket in the same netns, for SIOCETHTOOL */
};

struct nl_link {
	int ifindex;
	int peer_ifindex;         /* IFLA_LINK: a veth's peer (in its own netns) */
	bool peer_in_other_netns; /* IFLA_LINK_NETNSID present */
	unsigned mtu;
	uint8_t mac[6];
	bool up;
};

/* netns_fd < 0: the current namespace. */
int nl_open(struct nl_sock *s, int netns_fd, struct fy_error **err);
void nl_close(struct nl_sock *s);

/* Sends one request and reads its answers up to the ack (when the request asks for one)
 * or the end of a dump, passing each message to cb.  0, or -errno (the kernel's answer or
 * a socket error).  For requests the helpers below do not cover. */
int nl_request(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* 0 and *link when it exists, 1 when there is no such interface. */
int nl_link_get(struct nl_sock *s, const char *name, struct nl_link *link, struct fy_error **err);
/* One RTM_NEWLINK creates both ends, the peer directly in peer_netns_fd under peer_name,
 * so no half-made pair is ever visible under a temporary name. */
int nl_veth_create(struct nl_sock *s, const char *name, const char *peer_name, int peer_netns_fd, unsigned mtu,
		   const uint8_t peer_mac[6], struct fy_error **err);
int nl_link_set_up(struct nl_sock *s, int ifindex, struct fy_error **err);
/* Deleting an absent link is not an error. */
int nl_link_del(struct nl_sock *s, const char *name, struct fy_error **err);
/* addr, gw, src: host byte order; replaces an existing equal address/route (idempotent). */
int nl_addr_add(struct nl_sock *s, int ifindex, uint32_t addr, unsigned prefix, struct fy_error **err);
int nl_route_add(struct nl_sock *s, uint32_t dst, unsigned prefix, uint32_t gw, int ifindex, uint32_t src,
		 struct fy_error **err);

/* ETHTOOL_SGRO / ETHTOOL_STXCSUM on an interface of s's namespace. */
int nl_ethtool_set(struct nl_sock *s, const char *ifname, uint32_t cmd, bool on, struct fy_error **err);

#endif
