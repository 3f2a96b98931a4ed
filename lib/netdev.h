/* linux.netDevices (config-linux.md "Network Devices"): moving named host interfaces into
 * the container's network namespace, with their permanent global addresses, and setting
 * them up there.
 *
 * The spec forbids moving them back at delete: when the namespace dies, the kernel
 * returns physical devices to the initial namespace and destroys virtual ones (veth,
 * macvlan ...).  So nothing here runs at delete, and a create that fails after a move
 * leaves the device to the same kernel rule. */
#ifndef FOUNDRY_NETDEV_H
#define FOUNDRY_NETDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

/* The name the device gets inside the container: .name, or the host name. */
const char *netdev_container_name(const struct spec_net_device *d);

/* A name the kernel turns into a free one ("eth%d" -> "eth0"): exactly one '%', and it
 * is "%d" (net/core/dev.c, dev_alloc_name). */
bool netdev_name_is_template(const char *name);

/* NULL when name is a valid interface name (net/core/dev.c, dev_valid_name: not empty,
 * shorter than IFNAMSIZ, not "." or "..", no '/', ':' or white space), else why not.
 * A template is valid only when allow_template is set. */
const char *netdev_name_invalid(const char *name, bool allow_template);

/* Which addresses move with the device: permanent (IFA_F_PERMANENT), global scope
 * (RT_SCOPE_UNIVERSE), of any family (config-linux.md, RFC 3549 2.3.3.2). */
bool netdev_address_moves(uint32_t ifa_flags, uint8_t scope);

/* Before anything exists: the container has a network namespace of its own (new, or a
 * path that is not the runtime's), every name is valid, no two devices get the same name,
 * and every host device exists in the runtime's network namespace.  Errors name
 * `config.json: .linux.netDevices["eth9"]` and why. */
int netdev_validate(const struct spec_linux *l, struct fy_error **err);

/* In the parent, after clone and before the init goes on (the init is still waiting,
 * so nothing in the container sees a half-configured device).  pid is the init; its
 * network namespace is /proc/<pid>/ns/net, or the path in linux.namespaces when the
 * container joins one (the init joins it only later).  Every device is checked first
 * (it exists; its name is free in the container unless a template), then each is moved
 * and renamed in one request, set up, and given back its addresses. */
int netdev_move_all(pid_t pid, const struct spec_linux *l, struct fy_error **err);

#endif
