#include "config.h"

#include "lib/netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

/* A fixed size: MNL_SOCKET_BUFFER_SIZE is a run-time sysconf() and would be a VLA. */
#define NL_BUF_SIZE 16384

static int open_here(struct nl_sock *s, struct fy_error **err)
{
	s->mnl = mnl_socket_open(NETLINK_ROUTE);
	if (!s->mnl)
		return fy_error_sys(err, "open rtnetlink socket");
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0)
		return fy_error_sys(err, "bind rtnetlink socket");
	s->portid = mnl_socket_get_portid(s->mnl);
	s->seq = (unsigned)time(NULL);
	s->ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->ioctl_fd < 0)
		return fy_error_sys(err, "open ethtool socket");
	return 0;
}

int nl_open(struct nl_sock *s, int netns_fd, struct fy_error **err)
{
	_cleanup_close_ int self = -1;
	int ret;

	memset(s, 0, sizeof(*s));
	s->ioctl_fd = -1;
	if (netns_fd < 0)
		return open_here(s, err);
	/* Sockets keep the namespace they were created in: enter, open, come back. */
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return fy_error_sys(err, "open own network namespace");
	if (setns(netns_fd, CLONE_NEWNET) < 0)
		return fy_error_sys(err, "enter the container's network namespace");
	ret = open_here(s, err);
	if (setns(self, CLONE_NEWNET) < 0) {
		/* Carrying on in the wrong namespace would configure the wrong interfaces. */
		fy_error_free(err);
		return fy_error_sys(err, "return to the host network namespace");
	}
	return ret;
}

void nl_close(struct nl_sock *s)
{
	if (s->mnl)
		mnl_socket_close(s->mnl);
	if (s->ioctl_fd >= 0)
		close(s->ioctl_fd);
	s->mnl = NULL;
	s->ioctl_fd = -1;
}

int nl_request(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[NL_BUF_SIZE];
	unsigned seq = ++s->seq;
	ssize_t n;
	int r;

	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(s->mnl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(s->mnl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		r = mnl_cb_run(buf, (size_t)n, seq, s->portid, cb, data);
	} while (r > 0);
	return r < 0 ? -errno : 0;
}

/* The helpers' requests always want the kernel's ack: -errno on NLMSG_ERROR. */
static int nl_talk(struct nl_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	nlh->nlmsg_flags |= NLM_F_ACK;
	return nl_request(s, nlh, cb, data);
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct nl_link *link = data;

	switch (mnl_attr_get_type(attr)) {
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			link->mtu = mnl_attr_get_u32(attr);
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			link->peer_ifindex = (int)mnl_attr_get_u32(attr);
		break;
	case IFLA_LINK_NETNSID: link->peer_in_other_netns = true; break;
	case IFLA_ADDRESS:
		if (mnl_attr_get_payload_len(attr) == 6)
			memcpy(link->mac, mnl_attr_get_payload(attr), 6);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *link = data;
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	link->ifindex = ifm->ifi_index;
	link->up = ifm->ifi_flags & IFF_UP;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, link);
	return MNL_CB_OK;
}

int nl_link_get(struct nl_sock *s, const char *name, struct nl_link *link, struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int r;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(link, 0, sizeof(*link));
	r = nl_talk(s, nlh, link_cb, link);
	if (r == -ENODEV)
		return 1;
	if (r < 0)
		return fy_error_set(err, -r, "look up interface \"%s\"", name);
	return 0;
}

int nl_veth_create(struct nl_sock *s, const char *name, const char *peer_name, int peer_netns_fd, unsigned mtu,
		   const uint8_t peer_mac[6], struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm, *peer;
	struct nlattr *linkinfo, *infodata, *peerinfo;
	int r;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	infodata = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peerinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer));
	peer->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, peer_mac);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd);
	mnl_attr_nest_end(nlh, peerinfo);
	mnl_attr_nest_end(nlh, infodata);
	mnl_attr_nest_end(nlh, linkinfo);
	r = nl_talk(s, nlh, NULL, NULL);
	if (r < 0)
		return fy_error_set(err, -r, "create veth pair \"%s\" / \"%s\" (MTU %u)", name, peer_name, mtu);
	return 0;
}

int nl_link_set_up(struct nl_sock *s, int ifindex, struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int r;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	r = nl_talk(s, nlh, NULL, NULL);
	if (r < 0)
		return fy_error_set(err, -r, "set interface %d up", ifindex);
	return 0;
}

int nl_link_del(struct nl_sock *s, const char *name, struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int r;

	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	r = nl_talk(s, nlh, NULL, NULL);
	if (r < 0 && r != -ENODEV)
		return fy_error_set(err, -r, "delete interface \"%s\"", name);
	return 0;
}

int nl_addr_add(struct nl_sock *s, int ifindex, uint32_t addr, unsigned prefix, struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint32_t be = htonl(addr);
	char ip[INET_ADDRSTRLEN];
	int r;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, be);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, be);
	r = nl_talk(s, nlh, NULL, NULL);
	if (r < 0) {
		inet_ntop(AF_INET, &be, ip, sizeof(ip));
		return fy_error_set(err, -r, "add address %s/%u to interface %d", ip, prefix, ifindex);
	}
	return 0;
}

int nl_route_add(struct nl_sock *s, uint32_t dst, unsigned prefix, uint32_t gw, int ifindex, uint32_t src,
		 struct fy_error **err)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	uint32_t be = htonl(dst);
	char ip[INET_ADDRSTRLEN];
	int r;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (unsigned char)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (prefix)
		mnl_attr_put_u32(nlh, RTA_DST, be);
	if (gw)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(gw));
	if (src)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, htonl(src));
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	r = nl_talk(s, nlh, NULL, NULL);
	if (r < 0) {
		inet_ntop(AF_INET, &be, ip, sizeof(ip));
		return fy_error_set(err, -r, "add route to %s/%u via interface %d", ip, prefix, ifindex);
	}
	return 0;
}

int nl_ethtool_set(struct nl_sock *s, const char *ifname, uint32_t cmd, bool on, struct fy_error **err)
{
	struct ethtool_value ev = { .cmd = cmd, .data = on };
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(s->ioctl_fd, SIOCETHTOOL, &ifr) < 0)
		return fy_error_sys(err, "ethtool: set %s %s on \"%s\"",
				    cmd == ETHTOOL_SGRO      ? "gro"
				    : cmd == ETHTOOL_STXCSUM ? "tx-checksumming"
							     : "feature",
				    on ? "on" : "off", ifname);
	return 0;
}
