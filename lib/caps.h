/* process.capabilities (config.md "Linux Process"): the five capability sets, with libcap.
 *
 * Planning is pure: names are resolved against libcap's table and the running kernel's
 * last capability, and anything that cannot be mapped is a warning, not a failure
 * (the spec: "Any value which cannot be mapped ... MUST be logged as a warning").
 *
 * Applying is split around setuid(2), because the kernel clears the permitted and
 * effective sets when a process with uid 0 switches to a non-zero uid:
 *
 *     caps_apply_bounding()      drops the bounding set; needs CAP_SETPCAP, so while still root
 *     caps_prepare_keep()        PR_SET_KEEPCAPS: the permitted set survives setuid
 *     setgroups/setgid/setuid    (the caller)
 *     caps_apply_after_setuid()  effective/permitted/inheritable (capset), then ambient
 *                                (PR_CAP_AMBIENT_RAISE needs the cap in permitted and
 *                                inheritable first), then clears KEEPCAPS
 */
#ifndef FOUNDRY_CAPS_H
#define FOUNDRY_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "spec/config.h"

struct fy_error;

/* One bit per capability number (CAP_CHOWN is bit 0). */
struct caps_plan {
	/* false when process.capabilities is absent: the process keeps whatever it has,
	 * as runc does.  An absent set inside the object means the empty set. */
	bool apply;
	unsigned int last_cap; /* the kernel's /proc/sys/kernel/cap_last_cap */
	uint64_t bounding;
	uint64_t effective;
	uint64_t permitted;
	uint64_t inheritable;
	uint64_t ambient;
};

/* "CAP_CHOWN" -> 0.  Only the spec's spelling (upper case, CAP_ prefix) is accepted.
 * Returns -1 for a name libcap does not know. */
int caps_from_name(const char *name, int *cap);
/* 0 -> "CAP_CHOWN" (a static string; "CAP_<n>" numbers are not returned: NULL then). */
const char *caps_to_name(int cap);

/* The plan for a kernel whose last capability is last_cap (pure: for tests). */
int caps_plan_for_kernel(const struct spec_capabilities *c, unsigned int last_cap, struct caps_plan *out,
			 struct fy_error **err);
/* The plan for the running kernel.  c may be NULL (capabilities absent). */
int caps_plan(const struct spec_capabilities *c, struct caps_plan *out, struct fy_error **err);

/* Before setuid, with CAP_SETPCAP: drops every capability not in p->bounding from the
 * bounding set and clears the ambient set. */
int caps_apply_bounding(const struct caps_plan *p, struct fy_error **err);
/* Before setuid: keep the permitted set across the uid change. */
int caps_prepare_keep(struct fy_error **err);
/* After setuid: sets effective, permitted and inheritable, raises the ambient caps and
 * clears KEEPCAPS.  A capability the process cannot be given is a warning. */
int caps_apply_after_setuid(const struct caps_plan *p, struct fy_error **err);

#endif
