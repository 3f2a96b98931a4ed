/* Process scheduling attributes: process.scheduler (sched_setattr), process.ioPriority
 * (ioprio_set), process.execCPUAffinity (sched_setaffinity), linux.personality and
 * linux.memoryPolicy (set_mempolicy).
 *
 * Each has a pure plan step (names and ranges checked, lists parsed) that the core runs
 * before creating anything, and an apply step for the process itself.  All of them are
 * kept across execve, so init applies them before execve; the scheduler (real-time
 * policies, a negative nice) and an IOPRIO_CLASS_RT priority need CAP_SYS_NICE /
 * CAP_SYS_ADMIN, so init applies them before the capabilities are dropped.
 */
#ifndef FOUNDRY_SCHED_H
#define FOUNDRY_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/config.h"

struct fy_error;

/* Bits in a cpu or node mask (CPU_SETSIZE, and the kernel's largest MAX_NUMNODES). */
#define SCHED_MASK_BITS 1024
#define SCHED_MASK_WORDS (SCHED_MASK_BITS / (8 * sizeof(unsigned long)))

struct sched_mask {
	unsigned long bits[SCHED_MASK_WORDS];
};

/* Parses a list like "0-3,7" (comma-separated numbers and ranges) into *mask.  what names
 * the field in errors.  An empty string gives an empty mask. */
int sched_list_parse(const char *list, const char *what, struct sched_mask *mask, struct fy_error **err);
int sched_mask_test(const struct sched_mask *mask, unsigned int bit);
unsigned int sched_mask_count(const struct sched_mask *mask);

/* The kernel's struct sched_attr (include/uapi/linux/sched/types.h), SCHED_ATTR_SIZE_VER1. */
struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

int sched_scheduler_plan(const struct spec_scheduler *s, struct sched_attr_v1 *out, struct fy_error **err);
int sched_scheduler_apply(const struct sched_attr_v1 *attr, struct fy_error **err);

/* IOPRIO_PRIO_VALUE(class, priority). */
int sched_ioprio_plan(const struct spec_io_priority *io, int *value, struct fy_error **err);
int sched_ioprio_apply(int value, struct fy_error **err);

int sched_personality_plan(const struct spec_personality *p, unsigned long *persona, struct fy_error **err);
int sched_personality_apply(unsigned long persona, struct fy_error **err);

struct sched_mempolicy {
	int mode; /* MPOL_* with the MPOL_F_* flags or'ed in, as set_mempolicy takes it */
	struct sched_mask nodes;
	bool has_nodes;
};
int sched_mempolicy_plan(const struct spec_memory_policy *m, struct sched_mempolicy *out, struct fy_error **err);
int sched_mempolicy_apply(const struct sched_mempolicy *m, struct fy_error **err);

/* execCPUAffinity: pins pid (0: the caller) to the cpus of list.  NULL or "" does nothing
 * (the spec: the kernel decides).  The spec scopes it to processes started by `exec`, not
 * the container's init: "initial" is applied by the runtime to the new process before it
 * joins the container's cgroup, "final" by the process itself right before execve. */
int sched_cpu_affinity_apply(pid_t pid, const char *list, const char *what, struct fy_error **err);

/* Everything above, checked before the container is created. */
int sched_validate(const struct spec_config *config, struct fy_error **err);
/* scheduler, ioPriority, personality and memoryPolicy of the config, applied to the calling
 * process (init, before dropping capabilities). */
int sched_apply_process(const struct spec_config *config, struct fy_error **err);

#endif
