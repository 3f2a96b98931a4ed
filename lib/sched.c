#include "config.h"

#include "lib/sched.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

#define WORD_BITS (8 * sizeof(unsigned long))

/* ---- cpu and node lists ----------------------------------------------------------- */

static void mask_set(struct sched_mask *mask, unsigned int bit)
{
	mask->bits[bit / WORD_BITS] |= 1UL << (bit % WORD_BITS);
}

int sched_mask_test(const struct sched_mask *mask, unsigned int bit)
{
	return bit < SCHED_MASK_BITS && (mask->bits[bit / WORD_BITS] >> (bit % WORD_BITS)) & 1UL;
}

unsigned int sched_mask_count(const struct sched_mask *mask)
{
	unsigned int n = 0;

	for (size_t i = 0; i < SCHED_MASK_WORDS; i++)
		n += (unsigned int)__builtin_popcountl(mask->bits[i]);
	return n;
}

static int parse_number(const char **p, unsigned int *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v >= SCHED_MASK_BITS)
			return -2;
		s++;
	}
	*out = (unsigned int)v;
	*p = s;
	return 0;
}

int sched_list_parse(const char *list, const char *what, struct sched_mask *mask, struct fy_error **err)
{
	const char *p = list ? list : "";

	memset(mask, 0, sizeof *mask);
	if (*p == '\0')
		return 0;
	for (;;) {
		unsigned int lo, hi;
		int r = parse_number(&p, &lo);

		hi = lo;
		if (r == 0 && *p == '-') {
			p++;
			r = parse_number(&p, &hi);
		}
		if (r == -2)
			return fy_error_set(err, ERANGE, "%s: \"%s\": numbers must be below %d", what, list,
					    SCHED_MASK_BITS);
		if (r < 0 || (*p != ',' && *p != '\0'))
			return fy_error_set(err, EINVAL, "%s: \"%s\": expected a list like \"0-3,7\"", what, list);
		if (hi < lo)
			return fy_error_set(err, EINVAL, "%s: \"%s\": range %u-%u goes backwards", what, list, lo, hi);
		for (unsigned int b = lo; b <= hi; b++)
			mask_set(mask, b);
		if (*p == '\0')
			return 0;
		p++;
	}
}

/* ---- scheduler -------------------------------------------------------------------- */

struct name_value {
	const char *name;
	long value;
};

static int lookup(const struct name_value *t, size_t n, const char *name, long *value)
{
	for (size_t i = 0; name && i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			*value = t[i].value;
			return 0;
		}
	}
	return -1;
}

/* include/uapi/linux/sched.h; SCHED_ISO (4) is reserved there but never implemented. */
static const struct name_value policies[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },
	{ "SCHED_BATCH", 3 }, { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

static const struct name_value sched_flags[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

enum { POLICY_FIFO = 1, POLICY_RR = 2, POLICY_DEADLINE = 6 };

/* The kernel's own checks (sched_setattr(2), __checkparam_dl), made here so that a bad
 * config fails before anything is created and with a message that says which field. */
static int check_scheduler_values(const struct spec_scheduler *s, long policy, struct fy_error **err)
{
	bool realtime = policy == POLICY_FIFO || policy == POLICY_RR;

	if (s->has_nice && (s->nice < -20 || s->nice > 19))
		return fy_error_set(err, EINVAL, ".process.scheduler.nice: %d is outside -20..19", s->nice);
	if (realtime && (s->priority < 1 || s->priority > 99))
		return fy_error_set(err, EINVAL, ".process.scheduler.priority: %s needs a priority in 1..99, got %d",
				    s->policy, s->priority);
	if (!realtime && s->priority != 0)
		return fy_error_set(err, EINVAL, ".process.scheduler.priority: must be 0 for %s, got %d", s->policy,
				    s->priority);
	if (policy != POLICY_DEADLINE) {
		if (s->runtime || s->deadline || s->period)
			return fy_error_set(
			    err, EINVAL,
			    ".process.scheduler: runtime, deadline and period are for SCHED_DEADLINE, not %s",
			    s->policy);
		return 0;
	}
	/* Deadline parameters: runtime <= deadline <= period (0: period = deadline), and a
	 * runtime of at least 1024ns (the kernel's DL_SCALE resolution). */
	if (s->deadline == 0)
		return fy_error_set(err, EINVAL, ".process.scheduler.deadline: SCHED_DEADLINE needs a deadline");
	if (s->runtime < 1024)
		return fy_error_set(err, EINVAL,
				    ".process.scheduler.runtime: SCHED_DEADLINE needs at least 1024ns, got %llu",
				    (unsigned long long)s->runtime);
	if (s->runtime > s->deadline)
		return fy_error_set(err, EINVAL, ".process.scheduler: runtime %llu is larger than deadline %llu",
				    (unsigned long long)s->runtime, (unsigned long long)s->deadline);
	if (s->period != 0 && s->period < s->deadline)
		return fy_error_set(err, EINVAL, ".process.scheduler: period %llu is shorter than deadline %llu",
				    (unsigned long long)s->period, (unsigned long long)s->deadline);
	if ((s->deadline | s->period) >> 63)
		return fy_error_set(err, EINVAL, ".process.scheduler: deadline and period must be below 2^63");
	return 0;
}

int sched_scheduler_plan(const struct spec_scheduler *s, struct sched_attr_v1 *out, struct fy_error **err)
{
	long policy, flag;

	memset(out, 0, sizeof *out);
	if (s->policy && strcmp(s->policy, "SCHED_ISO") == 0)
		return fy_error_set(err, EINVAL,
				    ".process.scheduler.policy: SCHED_ISO is reserved but not implemented by Linux");
	if (lookup(policies, ARRAY_SIZE(policies), s->policy, &policy) < 0)
		return fy_error_set(err, EINVAL, ".process.scheduler.policy: unknown policy \"%s\"",
				    s->policy ? s->policy : "");
	for (size_t i = 0; i < s->n_flags; i++) {
		if (lookup(sched_flags, ARRAY_SIZE(sched_flags), s->flags[i], &flag) < 0)
			return fy_error_set(err, EINVAL, ".process.scheduler.flags[%zu]: unknown flag \"%s\"", i,
					    s->flags[i]);
		out->sched_flags |= (uint64_t)flag;
	}
	if (check_scheduler_values(s, policy, err) < 0)
		return -1;
	/* The spec gives no clamp values: like runc, the UTIL_CLAMP flags go with 0s. */
	out->size = sizeof *out;
	out->sched_policy = (uint32_t)policy;
	out->sched_nice = s->nice;
	out->sched_priority = (uint32_t)s->priority;
	out->sched_runtime = s->runtime;
	out->sched_deadline = s->deadline;
	out->sched_period = s->period;
	return 0;
}

int sched_scheduler_apply(const struct sched_attr_v1 *attr, struct fy_error **err)
{
	if (syscall(SYS_sched_setattr, 0, attr, 0) < 0)
		return fy_error_sys(err, "set the scheduler (policy %u, priority %u, nice %d)", attr->sched_policy,
				    attr->sched_priority, attr->sched_nice);
	return 0;
}

/* ---- ioPriority ------------------------------------------------------------------- */

/* include/uapi/linux/ioprio.h */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_WHO_PROCESS 1

static const struct name_value ioprio_classes[] = {
	{ "IOPRIO_CLASS_RT", 1 },
	{ "IOPRIO_CLASS_BE", 2 },
	{ "IOPRIO_CLASS_IDLE", 3 },
};

int sched_ioprio_plan(const struct spec_io_priority *io, int *value, struct fy_error **err)
{
	long class_;

	if (lookup(ioprio_classes, ARRAY_SIZE(ioprio_classes), io->class_, &class_) < 0)
		return fy_error_set(err, EINVAL, ".process.ioPriority.class: unknown class \"%s\"",
				    io->class_ ? io->class_ : "");
	if (io->priority < 0 || io->priority > 7)
		return fy_error_set(err, EINVAL, ".process.ioPriority.priority: %d is outside 0..7", io->priority);
	*value = (int)(class_ << IOPRIO_CLASS_SHIFT) | io->priority;
	return 0;
}

int sched_ioprio_apply(int value, struct fy_error **err)
{
	/* Who 0 is the caller; the container's processes inherit it from init. */
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, value) < 0)
		return fy_error_sys(err, "set the I/O priority (class %d, priority %d)", value >> IOPRIO_CLASS_SHIFT,
				    value & 7);
	return 0;
}

/* ---- personality ------------------------------------------------------------------ */

int sched_personality_plan(const struct spec_personality *p, unsigned long *persona, struct fy_error **err)
{
	if (p->domain && strcmp(p->domain, "LINUX") == 0)
		*persona = PER_LINUX;
	else if (p->domain && strcmp(p->domain, "LINUX32") == 0)
		*persona = PER_LINUX32;
	else
		return fy_error_set(err, EINVAL, ".linux.personality.domain: \"%s\" is not LINUX or LINUX32",
				    p->domain ? p->domain : "");
	/* config-linux.md "Personality": "Currently no flag values are supported." */
	if (p->n_flags > 0)
		return fy_error_set(err, EINVAL, ".linux.personality.flags: \"%s\": no personality flag is supported",
				    p->flags[0]);
	return 0;
}

int sched_personality_apply(unsigned long persona, struct fy_error **err)
{
	if (personality(persona) < 0)
		return fy_error_sys(err, "set the personality %#lx", persona);
	return 0;
}

/* ---- memoryPolicy ----------------------------------------------------------------- */

/* include/uapi/linux/mempolicy.h */
enum {
	MODE_DEFAULT,
	MODE_PREFERRED,
	MODE_BIND,
	MODE_INTERLEAVE,
	MODE_LOCAL,
	MODE_PREFERRED_MANY,
	MODE_WEIGHTED_INTERLEAVE
};

static const struct name_value mpol_modes[] = {
	{ "MPOL_DEFAULT", MODE_DEFAULT },
	{ "MPOL_PREFERRED", MODE_PREFERRED },
	{ "MPOL_BIND", MODE_BIND },
	{ "MPOL_INTERLEAVE", MODE_INTERLEAVE },
	{ "MPOL_LOCAL", MODE_LOCAL },
	{ "MPOL_PREFERRED_MANY", MODE_PREFERRED_MANY },
	{ "MPOL_WEIGHTED_INTERLEAVE", MODE_WEIGHTED_INTERLEAVE },
};

#define MPOL_FLAG_STATIC_NODES (1 << 15)
#define MPOL_FLAG_RELATIVE_NODES (1 << 14)
#define MPOL_FLAG_NUMA_BALANCING (1 << 13)

static const struct name_value mpol_flags[] = {
	{ "MPOL_F_STATIC_NODES", MPOL_FLAG_STATIC_NODES },
	{ "MPOL_F_RELATIVE_NODES", MPOL_FLAG_RELATIVE_NODES },
	{ "MPOL_F_NUMA_BALANCING", MPOL_FLAG_NUMA_BALANCING },
};

int sched_mempolicy_plan(const struct spec_memory_policy *m, struct sched_mempolicy *out, struct fy_error **err)
{
	long mode, flag;
	int flags = 0;

	memset(out, 0, sizeof *out);
	if (lookup(mpol_modes, ARRAY_SIZE(mpol_modes), m->mode, &mode) < 0)
		return fy_error_set(err, EINVAL, ".linux.memoryPolicy.mode: unknown mode \"%s\"",
				    m->mode ? m->mode : "");
	for (size_t i = 0; i < m->n_flags; i++) {
		if (lookup(mpol_flags, ARRAY_SIZE(mpol_flags), m->flags[i], &flag) < 0)
			return fy_error_set(err, EINVAL, ".linux.memoryPolicy.flags[%zu]: unknown flag \"%s\"", i,
					    m->flags[i]);
		flags |= (int)flag;
	}
	if ((flags & MPOL_FLAG_STATIC_NODES) && (flags & MPOL_FLAG_RELATIVE_NODES))
		return fy_error_set(
		    err, EINVAL,
		    ".linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
	if (sched_list_parse(m->nodes, ".linux.memoryPolicy.nodes", &out->nodes, err) < 0)
		return -1;
	out->has_nodes = sched_mask_count(&out->nodes) > 0;
	/* set_mempolicy(2): DEFAULT and LOCAL take no nodes; the modes that spread or
	 * restrict allocations need at least one; PREFERRED takes one or none (local). */
	if ((mode == MODE_DEFAULT || mode == MODE_LOCAL) && out->has_nodes)
		return fy_error_set(err, EINVAL, ".linux.memoryPolicy.nodes: %s takes no nodes, got \"%s\"", m->mode,
				    m->nodes);
	if ((mode == MODE_BIND || mode == MODE_INTERLEAVE || mode == MODE_PREFERRED_MANY ||
	     mode == MODE_WEIGHTED_INTERLEAVE) &&
	    !out->has_nodes)
		return fy_error_set(err, EINVAL, ".linux.memoryPolicy.nodes: %s needs at least one node", m->mode);
	out->mode = (int)mode | flags;
	return 0;
}

int sched_mempolicy_apply(const struct sched_mempolicy *m, struct fy_error **err)
{
	/* maxnode counts one more than the bits passed: the kernel's get_nodes() drops the
	 * last one (a historic off-by-one every caller compensates for). */
	long r = syscall(SYS_set_mempolicy, m->mode, m->has_nodes ? m->nodes.bits : NULL,
			 m->has_nodes ? (unsigned long)SCHED_MASK_BITS + 1 : 0UL);

	if (r < 0)
		return fy_error_sys(err, "set the memory policy (mode %#x)", (unsigned int)m->mode);
	return 0;
}

/* ---- execCPUAffinity -------------------------------------------------------------- */

int sched_cpu_affinity_apply(pid_t pid, const char *list, const char *what, struct fy_error **err)
{
	struct sched_mask mask;
	cpu_set_t set;

	if (list == NULL || *list == '\0')
		return 0;
	if (sched_list_parse(list, what, &mask, err) < 0)
		return -1;
	CPU_ZERO(&set);
	for (unsigned int cpu = 0; cpu < SCHED_MASK_BITS && cpu < CPU_SETSIZE; cpu++)
		if (sched_mask_test(&mask, cpu))
			CPU_SET(cpu, &set);
	if (sched_setaffinity(pid, sizeof set, &set) < 0)
		return fy_error_sys(err, "%s: pin process %d to cpus \"%s\"", what, (int)pid, list);
	return 0;
}

/* ---- the whole config ------------------------------------------------------------- */

int sched_validate(const struct spec_config *config, struct fy_error **err)
{
	const struct spec_process *proc = config->process;
	const struct spec_linux *l = config->linux_;
	struct sched_attr_v1 attr;
	struct sched_mempolicy mpol;
	struct sched_mask mask;
	unsigned long persona;
	int ioprio;

	if (proc && proc->scheduler && sched_scheduler_plan(proc->scheduler, &attr, err) < 0)
		return -1;
	if (proc && proc->io_priority && sched_ioprio_plan(proc->io_priority, &ioprio, err) < 0)
		return -1;
	if (proc && proc->exec_cpu_affinity) {
		if (sched_list_parse(proc->exec_cpu_affinity->initial, ".process.execCPUAffinity.initial", &mask, err) <
			0 ||
		    sched_list_parse(proc->exec_cpu_affinity->final, ".process.execCPUAffinity.final", &mask, err) < 0)
			return -1;
	}
	if (l && l->personality && sched_personality_plan(l->personality, &persona, err) < 0)
		return -1;
	if (l && l->memory_policy && sched_mempolicy_plan(l->memory_policy, &mpol, err) < 0)
		return -1;
	return 0;
}

int sched_apply_process(const struct spec_config *config, struct fy_error **err)
{
	const struct spec_process *proc = config->process;
	const struct spec_linux *l = config->linux_;

	if (proc && proc->scheduler) {
		struct sched_attr_v1 attr;
		if (sched_scheduler_plan(proc->scheduler, &attr, err) < 0 || sched_scheduler_apply(&attr, err) < 0)
			return -1;
	}
	if (proc && proc->io_priority) {
		int value;
		if (sched_ioprio_plan(proc->io_priority, &value, err) < 0 || sched_ioprio_apply(value, err) < 0)
			return -1;
	}
	if (l && l->personality) {
		unsigned long persona;
		if (sched_personality_plan(l->personality, &persona, err) < 0 ||
		    sched_personality_apply(persona, err) < 0)
			return -1;
	}
	if (l && l->memory_policy) {
		struct sched_mempolicy mpol;
		if (sched_mempolicy_plan(l->memory_policy, &mpol, err) < 0 || sched_mempolicy_apply(&mpol, err) < 0)
			return -1;
	}
	return 0;
}
