#include "config.h"

#include "xdp/netconf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/config.h"

int ipv4_parse(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*out = ntohl(a.s_addr);
	return 0;
}

void ipv4_format(uint32_t addr, char buf[16])
{
	struct in_addr a = { .s_addr = htonl(addr) };

	inet_ntop(AF_INET, &a, buf, 16);
}

int ipv4_subnet_parse(const char *s, struct ipv4_subnet *out)
{
	_cleanup_free_ char *copy = xstrdup(s);
	char *slash = strchr(copy, '/');
	long prefix;
	uint32_t addr, mask;

	if (!slash)
		return -1;
	*slash = '\0';
	if (ipv4_parse(copy, &addr) < 0 || fy_parse_long(slash + 1, &prefix) < 0)
		return -1;
	/* /31 and /32 leave no room for a gateway and a container. */
	if (prefix < 8 || prefix > 30)
		return -1;
	mask = ~0u << (32 - prefix);
	if (addr & ~mask)
		return -1;
	out->network = addr;
	out->prefix = (unsigned)prefix;
	return 0;
}

bool ipv4_subnet_contains(const struct ipv4_subnet *subnet, uint32_t addr)
{
	uint32_t mask = ~0u << (32 - subnet->prefix);

	return (addr & mask) == subnet->network;
}

uint32_t ipv4_subnet_broadcast(const struct ipv4_subnet *subnet)
{
	return subnet->network | ~(~0u << (32 - subnet->prefix));
}

int mac_parse(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)strtoul(s + i * 3, NULL, 16);
	return 0;
}

void mac_format(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void mac_from_ipv4(uint32_t addr, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0xfd;
	mac[2] = (uint8_t)(addr >> 24);
	mac[3] = (uint8_t)(addr >> 16);
	mac[4] = (uint8_t)(addr >> 8);
	mac[5] = (uint8_t)addr;
}

bool netconf_network_name_valid(const char *name)
{
	size_t len = strlen(name);

	/* It names a directory under the lease root: no '/', and not "." or "..". */
	if (len == 0 || len > 64 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return false;
	return true;
}

static int bad(struct fy_error **err, const char *key, const char *value, const char *expected)
{
	return fy_error_set(err, EINVAL, "annotation %s%s=\"%s\": expected %s", NETCONF_PREFIX, key, value, expected);
}

static int set_one(struct netconf *conf, const char *key, const char *value, const char **subnet_s,
		   const char **address_s, struct fy_error **err)
{
	long n;

	if (strcmp(key, "enable") == 0) {
		/* podman's hooks.d selects containers with it; the hook itself has nothing to do. */
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return bad(err, key, value, "true or false");
	} else if (strcmp(key, "network") == 0) {
		if (!netconf_network_name_valid(value))
			return bad(err, key, value, "a network name of 1-64 characters from [A-Za-z0-9_.-]");
		snprintf(conf->network, sizeof(conf->network), "%s", value);
	} else if (strcmp(key, "subnet") == 0) {
		if (ipv4_subnet_parse(value, &conf->subnet) < 0)
			return bad(err, key, value,
				   "an IPv4 network in CIDR form with a prefix of 8-30, e.g. 10.88.0.0/16");
		*subnet_s = value;
	} else if (strcmp(key, "vni") == 0) {
		if (fy_parse_long(value, &n) < 0 || n < 1 || n > (long)NETCONF_VNI_MAX)
			return bad(err, key, value, "a VXLAN network identifier, an integer from 1 to 16777215");
		conf->vni = (uint32_t)n;
	} else if (strcmp(key, "address") == 0) {
		if (ipv4_parse(value, &conf->address) < 0)
			return bad(err, key, value, "an IPv4 address inside the network's subnet, e.g. 10.88.0.5");
		*address_s = value;
	} else if (strcmp(key, "mac") == 0) {
		if (mac_parse(value, conf->mac) < 0 || (conf->mac[0] & 1) ||
		    !(conf->mac[0] | conf->mac[1] | conf->mac[2] | conf->mac[3] | conf->mac[4] | conf->mac[5]))
			return bad(err, key, value, "a unicast MAC address as six hex pairs, e.g. 02:fd:0a:58:00:05");
		conf->has_mac = true;
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(value, "xdp") != 0 && strcmp(value, "tc") != 0)
			return bad(err, key, value, "xdp (the XDP forwarder) or tc (the same maps on the skb path)");
		conf->tc = strcmp(value, "tc") == 0;
	} else if (strcmp(key, "mtu") == 0) {
		if (fy_parse_long(value, &n) < 0 || n < 68 || n > NETCONF_MAX_MTU)
			return bad(err, key, value, "an MTU, an integer from 68 to 65535");
		conf->mtu = (unsigned)n;
	} else {
		return fy_error_set(
		    err, EINVAL,
		    "annotation %s%s: unknown (known: enable, network, subnet, vni, address, mac, mtu, mode)",
		    NETCONF_PREFIX, key);
	}
	return 0;
}

int netconf_from_annotations(const struct spec_kv *kv, size_t n, struct netconf *conf, struct fy_error **err)
{
	const char *subnet_s = NETCONF_DEFAULT_SUBNET, *address_s = NULL;
	size_t plen = strlen(NETCONF_PREFIX);
	char buf[16];

	memset(conf, 0, sizeof(*conf));
	snprintf(conf->network, sizeof(conf->network), "%s", NETCONF_DEFAULT_NETWORK);
	ipv4_subnet_parse(NETCONF_DEFAULT_SUBNET, &conf->subnet);
	conf->vni = NETCONF_DEFAULT_VNI;
	conf->mtu = NETCONF_DEFAULT_MTU;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(kv[i].key, NETCONF_PREFIX, plen) != 0)
			continue;
		if (set_one(conf, kv[i].key + plen, kv[i].value ? kv[i].value : "", &subnet_s, &address_s, err) < 0)
			return -1;
	}
	conf->gateway = conf->subnet.network + 1;
	if (address_s &&
	    (!ipv4_subnet_contains(&conf->subnet, conf->address) || conf->address == conf->gateway ||
	     conf->address == conf->subnet.network || conf->address == ipv4_subnet_broadcast(&conf->subnet))) {
		ipv4_format(conf->gateway, buf);
		return fy_error_set(err, EINVAL,
				    "annotation %saddress=\"%s\": expected a host address inside the subnet %s, "
				    "other than the gateway %s",
				    NETCONF_PREFIX, address_s, subnet_s, buf);
	}
	return 0;
}
