/* A container's network settings: the org.foundry.net.* annotations, validated, with the
 * defaults that make a container with the hook and no annotations just work. */
#ifndef FOUNDRY_XDP_NETCONF_H
#define FOUNDRY_XDP_NETCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fy_error;
struct spec_kv;

#define NETCONF_PREFIX "org.foundry.net."
#define NETCONF_DEFAULT_NETWORK "foundry"
#define NETCONF_DEFAULT_SUBNET "10.88.0.0/16"
#define NETCONF_DEFAULT_VNI 1
/* Jumbo by default: native XDP on the host end turns TSO off on the container's side, so
 * TCP throughput scales with the frame size, and xdp.frags lifts the ~3.5k cap (notes,
 * trap 3).  Measured (xdp/README.md): 1500 -> ~0.3x the bridge, 9000 -> ~0.5x,
 * 65000 -> above it.  TCP to the outside negotiates its MSS down; the host fragments or
 * answers "fragmentation needed" for the rest. */
#define NETCONF_DEFAULT_MTU 65000
#define NETCONF_MAX_MTU 65535
#define NETCONF_VNI_MAX 0xffffffu

struct ipv4_subnet {
	uint32_t network; /* host byte order, host bits zero */
	unsigned prefix;  /* 8..30 */
};

struct netconf {
	char network[65]; /* [A-Za-z0-9_.-]{1,64} */
	struct ipv4_subnet subnet;
	uint32_t gateway; /* host byte order: the subnet's first address */
	uint32_t vni;     /* 1..16777215 (24 bits, as VXLAN) */
	uint32_t address; /* host byte order; 0 = allocate */
	bool has_mac;
	uint8_t mac[6];
	unsigned mtu;
	bool tc; /* org.foundry.net.mode=tc: the skb path instead of XDP */
};

/* Fills conf from the annotations (any order, unknown org.foundry.net.* keys are errors so a
 * typo is not silently ignored).  Errors name the annotation, the value and the format. */
int netconf_from_annotations(const struct spec_kv *kv, size_t n, struct netconf *conf, struct fy_error **err);

int ipv4_parse(const char *s, uint32_t *out);
int ipv4_subnet_parse(const char *s, struct ipv4_subnet *out);
bool ipv4_subnet_contains(const struct ipv4_subnet *subnet, uint32_t addr);
uint32_t ipv4_subnet_broadcast(const struct ipv4_subnet *subnet);
void ipv4_format(uint32_t addr, char buf[16]);
int mac_parse(const char *s, uint8_t mac[6]);
void mac_format(const uint8_t mac[6], char buf[18]);
/* 02:fd:<the four address bytes>: locally administered, unicast, unique per address. */
void mac_from_ipv4(uint32_t addr, uint8_t mac[6]);
bool netconf_network_name_valid(const char *name);

#endif
