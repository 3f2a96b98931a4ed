/* The OCI state (runtime.md "State", schema/state-schema.json): what `foundry state`
 * prints and what every hook reads on stdin. */
#ifndef FOUNDRY_SPEC_STATE_H
#define FOUNDRY_SPEC_STATE_H

#include <stddef.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

struct spec_state {
	char *oci_version;
	char *id;
	char *status; /* creating | created | running | stopped (and paused, as runc) */
	pid_t pid;    /* 0 when there is none (stopped); omitted then */
	char *bundle;
	/* runc adds these to `state` output; podman and containerd read them. */
	char *rootfs;
	char *created; /* RFC 3339 UTC with nanoseconds */
	char *owner;
	struct spec_kv *annotations;
	size_t n_annotations;
};

/* Serialises the state as one JSON object.  `pretty` indents like runc's `state`. */
char *spec_state_to_json(const struct spec_state *state, bool pretty, size_t *len);
/* Parses a state document (a hook's stdin).  Unknown properties are ignored. */
struct spec_state *spec_state_parse(const char *json, size_t len, struct fy_error **err);
void spec_state_free(struct spec_state *state);

#endif
