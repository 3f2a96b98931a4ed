#include "config.h"

#include "lib/netdev.h"
#include "lib/netlink.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

/* Fixed: MNL_SOCKET_BUFFER_SIZE is a sysconf() call and would make a VLA.  32 KiB holds
 * any one message of an address dump. */

/* Address flags a user can set (ip-address(8)) and that must survive the move; the
 * others (permanent, secondary, tentative ...) are the kernel's to set again. */
#define NETDEV_ADDR_USER_FLAGS \
	(IFA_F_NODAD | IFA_F_HOMEADDRESS | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE | IFA_F_MCAUTOJOIN)

/* ---- names (pure) ------------------------------------------------------------- */

const char *netdev_container_name(const struct spec_net_device *d)
{
	return d->name ? d->name : d->host_name;
}

bool netdev_name_is_template(const char *name)
{
	const char *p = strchr(name, '%');
	return p != NULL && p[1] == 'd' && strchr(p + 2, '%') == NULL;
}

const char *netdev_name_invalid(const char *name, bool allow_template)
{
	if (name[0] == '\0')
		return "it is empty";
	if (strnlen(name, IFNAMSIZ) >= IFNAMSIZ)
		return "it is longer than 15 characters (IFNAMSIZ)";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "\".\" and \"..\" are not interface names";
	for (const char *p = name; *p; p++) {
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return "it contains '/', ':' or white space";
	}
	if (strchr(name, '%') == NULL)
		return NULL;
	if (!netdev_name_is_template(name))
		return "'%' may appear once, as the template \"%d\"";
	if (!allow_template)
		return "a host device is named exactly, not by a template";
	return NULL;
}

bool netdev_address_moves(uint32_t ifa_flags, uint8_t scope)
{
	return (ifa_flags & IFA_F_PERMANENT) && scope == RT_SCOPE_UNIVERSE;
}

/* ---- validation ---------------------------------------------------------------- */

static const struct spec_namespace *network_namespace(const struct spec_linux *l)
{
	for (size_t i = 0; i < l->n_namespaces; i++)
		if (l->namespaces[i].type == SPEC_NS_NETWORK)
			return &l->namespaces[i];
	return NULL;
}

static bool ns_path_given(const struct spec_namespace *ns)
{
	return ns->path != NULL && ns->path[0] != '\0';
}

/* Moving a device into the namespace it is already in would do nothing and report
 * success: a joined path must be another namespace than the runtime's. */
static int check_network_namespace(const struct spec_linux *l, struct fy_error **err)
{
	const struct spec_namespace *ns = network_namespace(l);
	struct stat theirs, ours;

	if (ns == NULL)
		return fy_error_set(err, 0,
				    "config.json: .linux.netDevices: the container needs a network namespace "
				    "of its own (.linux.namespaces has no \"network\")");
	if (!ns_path_given(ns))
		return 0;
	if (stat(ns->path, &theirs) < 0)
		return fy_error_sys(err, "config.json: .linux.netDevices: network namespace \"%s\"", ns->path);
	if (stat("/proc/self/ns/net", &ours) < 0)
		return fy_error_sys(err, "config.json: .linux.netDevices: the runtime's network namespace");
	if (theirs.st_dev == ours.st_dev && theirs.st_ino == ours.st_ino)
		return fy_error_set(err, 0,
				    "config.json: .linux.netDevices: the network namespace \"%s\" is the "
				    "runtime's own, the devices would not move",
				    ns->path);
	return 0;
}

static int check_device(const struct spec_linux *l, size_t i, struct fy_error **err)
{
	const struct spec_net_device *d = &l->net_devices[i];
	const char *name = netdev_container_name(d);
	const char *why = netdev_name_invalid(d->host_name, false);

	if (why)
		return fy_error_set(err, 0, "config.json: .linux.netDevices[\"%s\"]: not a valid interface name: %s",
				    d->host_name, why);
	if (d->name && (why = netdev_name_invalid(d->name, true)) != NULL)
		return fy_error_set(err, 0,
				    "config.json: .linux.netDevices[\"%s\"].name: \"%s\" is not a valid "
				    "interface name: %s",
				    d->host_name, d->name, why);
	for (size_t j = 0; j < i && !netdev_name_is_template(name); j++) {
		if (strcmp(netdev_container_name(&l->net_devices[j]), name) == 0)
			return fy_error_set(err, 0,
					    "config.json: .linux.netDevices[\"%s\"]: the name \"%s\" is "
					    "already given to .linux.netDevices[\"%s\"]",
					    d->host_name, name, l->net_devices[j].host_name);
	}
	if (if_nametoindex(d->host_name) == 0) {
		if (errno == ENODEV || errno == ENXIO)
			return fy_error_set(err, 0,
					    "config.json: .linux.netDevices[\"%s\"]: no such network device "
					    "in the runtime's network namespace",
					    d->host_name);
		return fy_error_sys(err, "config.json: .linux.netDevices[\"%s\"]: look up the device", d->host_name);
	}
	return 0;
}

int netdev_validate(const struct spec_linux *l, struct fy_error **err)
{
	if (l == NULL || l->n_net_devices == 0)
		return 0;
	if (check_network_namespace(l, err) < 0)
		return -1;
	for (size_t i = 0; i < l->n_net_devices; i++)
		if (check_device(l, i, err) < 0)
			return -1;
	return 0;
}

/* ---- rtnetlink ------------------------------------------------------------------ */

struct link_info {
	int ifindex;
	char name[IFNAMSIZ];
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_info *info = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	info->ifindex = ifm->ifi_index;
	mnl_attr_for_each(attr, nlh, sizeof *ifm)
	{
		if (mnl_attr_get_type(attr) == IFLA_IFNAME && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(info->name, sizeof info->name, "%s", mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

/* By name (ifindex 0) or by index.  Returns 0, -ENODEV when there is no such link, or
 * another -errno. */
static int link_get(struct nl_sock *r, const char *name, int ifindex, struct link_info *info)
{
	char buf[MNL_NLMSG_HDRLEN + 256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(info, 0, sizeof *info);
	return nl_request(r, nlh, link_cb, info);
}

/* ---- addresses ------------------------------------------------------------------- */

struct netdev_addr {
	uint8_t family;
	uint8_t prefixlen;
	uint32_t flags;
	uint16_t len; /* of each address below: 4 or 16 */
	bool has_local, has_address, has_broadcast;
	uint8_t local[16], address[16], broadcast[16];
};

struct addr_list {
	int ifindex;
	struct netdev_addr *v;
	size_t n;
};

static void copy_addr(const struct nlattr *attr, uint8_t out[16], bool *has, uint16_t *len)
{
	uint16_t n = mnl_attr_get_payload_len(attr);
	if (n != 4 && n != 16)
		return;
	memcpy(out, mnl_attr_get_payload(attr), n);
	*len = n;
	*has = true;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *list = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	struct netdev_addr a = { .family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen, .flags = ifa->ifa_flags };

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != list->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof *ifa)
	{
		switch (mnl_attr_get_type(attr)) {
		case IFA_LOCAL: copy_addr(attr, a.local, &a.has_local, &a.len); break;
		case IFA_ADDRESS: copy_addr(attr, a.address, &a.has_address, &a.len); break;
		case IFA_BROADCAST: copy_addr(attr, a.broadcast, &a.has_broadcast, &a.len); break;
		case IFA_FLAGS: /* all 32 bits; ifa_flags holds only the low 8 */
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				a.flags = mnl_attr_get_u32(attr);
			break;
		}
	}
	if (!netdev_address_moves(a.flags, ifa->ifa_scope) || !(a.has_local || a.has_address))
		return MNL_CB_OK;
	list->v = xrealloc(list->v, (list->n + 1) * sizeof *list->v);
	list->v[list->n++] = a;
	return MNL_CB_OK;
}

/* The device's addresses that move, read before the move: leaving a namespace
 * flushes them. */
static int addr_dump(struct nl_sock *host, struct addr_list *list)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = AF_UNSPEC;
	return nl_request(host, nlh, addr_cb, list);
}

static int addr_add(struct nl_sock *inside, int ifindex, const struct netdev_addr *a)
{
	char buf[MNL_NLMSG_HDRLEN + 256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint32_t flags = a->flags & NETDEV_ADDR_USER_FLAGS;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	/* No IFA_LABEL: it must start with the device's name, which may have changed. */
	if (a->has_local)
		mnl_attr_put(nlh, IFA_LOCAL, a->len, a->local);
	if (a->has_address)
		mnl_attr_put(nlh, IFA_ADDRESS, a->len, a->address);
	if (a->has_broadcast)
		mnl_attr_put(nlh, IFA_BROADCAST, a->len, a->broadcast);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return nl_request(inside, nlh, NULL, NULL);
}

static void addr_text(const struct netdev_addr *a, char *out, size_t size)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->has_local ? a->local : a->address, ip, sizeof ip);
	snprintf(out, size, "%s/%u", ip, a->prefixlen);
}

/* ---- the move -------------------------------------------------------------------- */

/* Moves and renames in one request (IFLA_NET_NS_FD + IFLA_IFNAME), as `ip link set dev X
 * netns N name Y` does: renamed first, the device could clash with a host name; renamed
 * after, with a name of the container's.  A template name is left to the kernel, which
 * picks a free one in the container's namespace.  IFLA_NEW_IFINDEX fixes the index the
 * device gets there, so that it can be found again whatever its name became. */
static int link_move(struct nl_sock *host, int ifindex, int new_ifindex, int netns_fd, const char *name)
{
	char buf[MNL_NLMSG_HDRLEN + 256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof *ifm);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_NEW_IFINDEX, (uint32_t)new_ifindex);
	return nl_request(host, nlh, NULL, NULL);
}

/* The device keeps its index when the container's namespace does not use it (the usual
 * case: a new namespace holds only lo); else the next free one. */
static int free_ifindex(struct nl_sock *inside, int ifindex, int *out)
{
	struct link_info info;
	int r;

	while ((r = link_get(inside, NULL, ifindex, &info)) == 0)
		ifindex++;
	if (r != -ENODEV)
		return r;
	*out = ifindex;
	return 0;
}

/* Everything that can be checked before any device moves, so that a clash on the second
 * device does not strand the first: the host device exists, and its name is free in the
 * container (a template always finds a free one). */
static int check_before_move(struct nl_sock *host, struct nl_sock *inside, const struct spec_net_device *d,
			     int *ifindex, struct fy_error **err)
{
	const char *name = netdev_container_name(d);
	struct link_info info;
	int r = link_get(host, d->host_name, 0, &info);

	if (r == -ENODEV)
		return fy_error_set(err, 0, "no such network device in the runtime's network namespace");
	if (r < 0)
		return fy_error_set(err, -r, "look up the device");
	*ifindex = info.ifindex;
	if (netdev_name_is_template(name))
		return 0;
	r = link_get(inside, name, 0, &info);
	if (r == 0)
		return fy_error_set(err, 0,
				    "a network device named \"%s\" already exists in the container's "
				    "network namespace (a name with %%d in it lets the kernel pick a free one)",
				    name);
	if (r != -ENODEV)
		return fy_error_set(err, -r, "look up \"%s\" in the container's network namespace", name);
	return 0;
}

static int move_one(struct nl_sock *host, struct nl_sock *inside, int netns_fd, const struct spec_net_device *d,
		    int ifindex, struct fy_error **err)
{
	struct addr_list addrs = { .ifindex = ifindex };
	struct link_info moved;
	int new_ifindex = 0, r;

	_cleanup_free_ struct netdev_addr *owned = NULL;
	r = addr_dump(host, &addrs);
	owned = addrs.v;
	if (r < 0)
		return fy_error_set(err, -r, "read the device's addresses");
	if ((r = free_ifindex(inside, ifindex, &new_ifindex)) < 0)
		return fy_error_set(err, -r, "find a free interface index in the container's network namespace");
	if ((r = link_move(host, ifindex, new_ifindex, netns_fd, netdev_container_name(d))) < 0)
		return fy_error_set(err, -r, "%s",
				    r == -EINVAL ? "the kernel refused to move it (lo, bridges and other "
						   "namespace-local devices cannot leave their namespace)"
						 : "change its network namespace");
	if ((r = link_get(inside, NULL, new_ifindex, &moved)) < 0)
		return fy_error_set(err, -r, "find it in the container's network namespace (index %d)", new_ifindex);
	fy_debug("network device \"%s\" is \"%s\" (index %d) in the container, %zu address(es) to restore",
		 d->host_name, moved.name, new_ifindex, addrs.n);
	if (nl_link_set_up(inside, new_ifindex, err) < 0)
		return fy_error_wrap(err, "set \"%s\" up in the container", moved.name);
	for (size_t i = 0; i < addrs.n; i++) {
		if ((r = addr_add(inside, new_ifindex, &addrs.v[i])) < 0 && r != -EEXIST) {
			char text[96];
			addr_text(&addrs.v[i], text, sizeof text);
			return fy_error_set(err, -r, "add address %s to \"%s\" in the container", text, moved.name);
		}
	}
	return 0;
}

/* The init joins a network namespace given by path only after GO: use the path then. */
static int open_container_netns(pid_t pid, const struct spec_linux *l, struct fy_error **err)
{
	const struct spec_namespace *ns = network_namespace(l);
	_cleanup_free_ char *proc = xasprintf("/proc/%d/ns/net", (int)pid);
	const char *path = ns && ns_path_given(ns) ? ns->path : proc;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fy_error_sys(err, "open the container's network namespace \"%s\"", path);
	return fd;
}

static int move_all_with(struct nl_sock *host, struct nl_sock *inside, int netns_fd, const struct spec_linux *l,
			 struct fy_error **err)
{
	_cleanup_free_ int *ifindex = xzalloc(l->n_net_devices * sizeof *ifindex);

	for (size_t i = 0; i < l->n_net_devices; i++) {
		if (check_before_move(host, inside, &l->net_devices[i], &ifindex[i], err) < 0)
			return fy_error_wrap(err, "network device \"%s\"", l->net_devices[i].host_name);
	}
	for (size_t i = 0; i < l->n_net_devices; i++) {
		const struct spec_net_device *d = &l->net_devices[i];
		if (move_one(host, inside, netns_fd, d, ifindex[i], err) < 0)
			return fy_error_wrap(err, "move network device \"%s\" into the container as \"%s\"",
					     d->host_name, netdev_container_name(d));
	}
	return 0;
}

int netdev_move_all(pid_t pid, const struct spec_linux *l, struct fy_error **err)
{
	struct nl_sock host = { .ioctl_fd = -1 }, inside = { .ioctl_fd = -1 };

	if (l == NULL || l->n_net_devices == 0)
		return 0;
	_cleanup_close_ int netns_fd = open_container_netns(pid, l, err);
	if (netns_fd < 0)
		return -1;
	/* A socket keeps the network namespace it was made in: nl_open enters the
	 * container's to make `inside`, and comes back. */
	int ret = nl_open(&host, -1, err);
	if (ret == 0)
		ret = nl_open(&inside, netns_fd, err);
	if (ret == 0)
		ret = move_all_with(&host, &inside, netns_fd, l, err);
	nl_close(&host);
	nl_close(&inside);
	return ret;
}
