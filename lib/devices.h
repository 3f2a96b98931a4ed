/* /dev inside the container: the spec's default devices (config-linux.md "Default
 * Devices"), linux.devices, and the standard links. */
#ifndef FOUNDRY_DEVICES_H
#define FOUNDRY_DEVICES_H

#include <stdbool.h>

#include "spec/config.h"

struct fy_error;

/* Creates the nodes and links under <rootfd>/dev.  In a user namespace mknod is not
 * allowed: the host's node is bind-mounted onto an empty file instead. */
int devices_create(int rootfd, const struct spec_linux *linux_, bool in_user_ns, struct fy_error **err);

#endif
