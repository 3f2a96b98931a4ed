/* The container operations that are cgroup work: pause, resume, update, ps, events.
 * They belong to the container module's interface (design.md: `container` owns the
 * lifecycle verbs) and are written against its loader (container-internal.h); they
 * live here so the cgroup work could land while lib/container*.c was being written.
 * Moving them into lib/container-ops.c later changes no caller. */
#ifndef FOUNDRY_CGROUP_OPS_H
#define FOUNDRY_CGROUP_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

/* runc: a running or created container can be paused; resume wants a paused one. */
int container_pause(const char *root, const char *id, struct fy_error **err);
int container_resume(const char *root, const char *id, struct fy_error **err);
/* Applies new resources to a live container's cgroup (foundry update). */
int container_update(const char *root, const char *id, const struct spec_resources *res, struct fy_error **err);
/* Host pids of every process in the container's cgroup, ascending. */
int container_pids(const char *root, const char *id, pid_t **pids, size_t *n, struct fy_error **err);

/* `events`: calls emit with one JSON event per line's worth, runc's shape:
 *   {"type":"stats","id":"<id>","data":{...}}    every interval_ms, or once with stats_once
 *   {"type":"oom","id":"<id>"}                   when the kernel OOM-kills in the container
 * Returns when the container stops (0), emit returns < 0, or on error. */
typedef int (*container_event_fn)(const char *json, void *arg);
int container_events(const char *root, const char *id, unsigned interval_ms, bool stats_once,
		     container_event_fn emit, void *arg, struct fy_error **err);

#endif
