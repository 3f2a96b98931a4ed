/* A container's network endpoint, end to end: lease, veth pair, addresses and routes on
 * both sides, the peer prepared for redirects, the forwarder attached and its maps written
 * (endpoint_create), and all of it undone (endpoint_destroy).
 *
 * Both run under one lock (<lease root>/xdp.lock), are idempotent, and a create that fails
 * half-way destroys what it made.  Destroy needs only the container id: the host-side veth
 * name is derived from it and the leases record the rest, so it also cleans up after a
 * create that was killed. */
#ifndef FOUNDRY_XDP_ENDPOINT_H
#define FOUNDRY_XDP_ENDPOINT_H

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

#include "xdp/netconf.h"

struct fy_error;

struct endpoint_paths {
	const char *lease_root; /* IPAM_DEFAULT_ROOT */
	const char *pin_dir;    /* XDP_FWD_DEFAULT_PIN_DIR */
};

struct endpoint_info {
	char host_ifname[IF_NAMESIZE];
	int host_ifindex;
	uint32_t address; /* host byte order */
	uint8_t mac[6];
};

#define ENDPOINT_CONTAINER_IFNAME "eth0"

/* "fy" + 13 hex digits of a hash of the id: fits IFNAMSIZ, stable across runs. */
void endpoint_host_ifname(const char *id, char name[IF_NAMESIZE]);

int endpoint_create(const struct endpoint_paths *paths, const char *id, pid_t pid, const struct netconf *conf,
		    struct endpoint_info *info, struct fy_error **err);
int endpoint_destroy(const struct endpoint_paths *paths, const char *id, struct fy_error **err);

/* Loads this build's forwarder now, keeping the pinned maps, and moves every port to it. */
int endpoint_forwarder_reload(const struct endpoint_paths *paths, uint32_t *old_id, uint32_t *new_id,
			      struct fy_error **err);

#endif
