/* Address leases: one file per leased address under <root>/<network>/, named by the
 * address and holding the container id, written and removed under an flock on
 * <root>/<network>/lock so that parallel hooks never hand out one address twice.
 * <root>/<network>/network records the subnet and VNI the network was created with, so a
 * container that names the same network with other settings is refused. */
#ifndef FOUNDRY_XDP_IPAM_H
#define FOUNDRY_XDP_IPAM_H

#include <stdint.h>

#include "xdp/netconf.h"

struct fy_error;

#define IPAM_DEFAULT_ROOT "/var/lib/foundry/net"

/* Takes (or finds, when id already holds one) a lease in conf->network.  A requested
 * address (conf->address != 0) must be free or already held by id.  *addr is host order. */
int ipam_lease_take(const char *root, const struct netconf *conf, const char *id, uint32_t *addr,
		    struct fy_error **err);

struct ipam_lease {
	char network[65];
	uint32_t address;
	uint32_t vni;
	struct ipv4_subnet subnet;
};

/* Calls fn for every lease id holds, in any network under root (poststop may not know the
 * network: the annotations of a crashed create are not trusted to still be there). */
int ipam_leases_of(const char *root, const char *id, int (*fn)(const struct ipam_lease *lease, void *data), void *data,
		   struct fy_error **err);

/* Removes id's lease in network (all of them when network is NULL); no lease is not an error. */
int ipam_lease_release(const char *root, const char *network, const char *id, struct fy_error **err);

#endif
