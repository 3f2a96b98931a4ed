/* The mount plan: config.json's mounts turned into fully resolved mount(2) calls by pure
 * code (unit-tested without root), applied later by lib/rootfs.c. */
#ifndef FOUNDRY_MOUNTS_H
#define FOUNDRY_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "spec/config.h"

struct fy_error;

struct mount_step {
	char *source;                 /* absolute for binds (relative ones resolved against the bundle) */
	char *destination;            /* inside the container, absolute */
	char *type;                   /* NULL for binds */
	unsigned long flags;          /* MS_* for the mount itself (MS_BIND, MS_REC, MS_RDONLY, ...) */
	unsigned long clear;          /* MS_* the options turned off (rw, suid, ...): kept for remounts */
	unsigned long propagation[4]; /* MS_SHARED/MS_SLAVE/... (|MS_REC), applied in order after */
	size_t n_propagation;
	char *data; /* what mount(2) passes to the filesystem: "mode=755,size=65536k" */
	/* The recursive options (rro, rnosuid, ...): MOUNT_ATTR_* for mount_setattr with
	 * AT_RECURSIVE, so submounts of an rbind get them too (config.md, mount options). */
	unsigned long long rec_set;
	unsigned long long rec_clear;
	bool bind;
	bool remount_bind; /* a bind with flags that only a remount applies (ro, nosuid, ...) */
};

struct mount_plan {
	struct mount_step *steps;
	size_t n_steps;
	unsigned long root_propagation; /* linux.rootfsPropagation, 0 when unset */
};

/* Builds the plan from config->mounts; errors name the mount: `.mounts[3]: unknown type "foo"`. */
int mount_plan_build(const struct spec_config *config, const char *bundle, struct mount_plan *plan,
		     struct fy_error **err);
void mount_plan_free(struct mount_plan *plan);

/* Parses a rootfsPropagation value ("shared", "rslave", ...).  0 on unknown. */
unsigned long mount_propagation_flag(const char *name);

/* Turns one options array into flags/clear/propagation/data.  Exposed for unit tests. */
int mount_options_parse(char *const *options, size_t n, struct mount_step *step, struct fy_error **err);

#endif
