/* The cgroup planning layer: linux.resources -> an ordered list of {controller, file,
 * value} writes and a normalised device rule list.  Pure code: no file system access,
 * so unit tests check every conversion without root.
 *
 * Where each controller lives is an input (struct cgroup_placement): on a hybrid host
 * hugetlb may be a v2 controller while memory is v1, and each write is planned in the
 * format of the hierarchy its controller is on.
 */
#ifndef FOUNDRY_CGROUP_PLAN_H
#define FOUNDRY_CGROUP_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/config.h"

struct fy_error;

enum cgroup_controller {
	CG_CPU,
	CG_CPUACCT,
	CG_CPUSET,
	CG_MEMORY,
	CG_PIDS,
	CG_BLKIO, /* v1 blkio, v2 io */
	CG_HUGETLB,
	CG_NET_CLS,
	CG_NET_PRIO,
	CG_RDMA,
	CG_MISC,
	CG_DEVICES, /* v1 devices; v2 has a BPF program instead */
	CG_FREEZER, /* v1 freezer; v2 has cgroup.freeze */
	CG_CORE,    /* v2 core files (cgroup.*): always present with a v2 hierarchy */
	CG_CONTROLLER_COUNT,
};

/* v1 mount directory name / v2 controller name ("blkio" / "io"); NULL when none. */
const char *cgroup_controller_v1_name(enum cgroup_controller c);
const char *cgroup_controller_v2_name(enum cgroup_controller c);
/* Looks a v2 controller up by name ("io" -> CG_BLKIO, "cgroup" -> CG_CORE); -1 if unknown. */
int cgroup_controller_from_v2_name(const char *name);

enum cgroup_version { CG_ABSENT = 0, CG_V1, CG_V2 };

struct cgroup_placement {
	enum cgroup_version where[CG_CONTROLLER_COUNT];
};

enum {
	/* The file may be missing on this kernel (kmem, rsvd, burst): skip with a warning. */
	CG_WRITE_OPTIONAL = 1 << 0,
};

struct cgroup_write {
	enum cgroup_controller controller;
	enum cgroup_version version;
	char *file; /* a plain file name in the controller's directory */
	char *value;
	char *resource; /* ".memory.limit", ".unified[\"io.max\"]" ... for errors */
	unsigned flags;
};

/* A device cgroup rule with wildcards resolved: type 'a', 'b' or 'c'; major/minor -1
 * for any; access a mask of CG_DEV_* bits. */
enum { CG_DEV_MKNOD = 1, CG_DEV_READ = 2, CG_DEV_WRITE = 4, CG_DEV_ALL = 7 };
struct cgroup_device_rule {
	bool allow;
	char type;
	int64_t major;
	int64_t minor;
	unsigned access;
};

struct cgroup_plan {
	struct cgroup_write *writes;
	size_t n_writes;
	/* Set when linux.resources.devices was given: the rules in evaluation order
	 * (later rules override earlier ones, as v1 devices.allow/deny do). */
	bool has_devices;
	struct cgroup_device_rule *devices;
	size_t n_devices;
};

/* Plans resources for the given placement.  Extra device nodes (linux.devices) are
 * allowed after the rules, followed by the devices every container gets (null, zero,
 * full, random, urandom, tty, ptmx, the pts), as runc does.  An error names the resource
 * and why: ".cpu.realtimeRuntime: not supported on cgroup v2". */
int cgroup_plan_build(const struct spec_resources *res, const struct cgroup_placement *placement,
		      const struct spec_device *extra_devices, size_t n_extra_devices, struct cgroup_plan *plan,
		      struct fy_error **err);
void cgroup_plan_clear(struct cgroup_plan *plan);

/* ---- conversions (runc's, so that the same config gives the same files) ---------- */

/* cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 (unset). */
uint64_t cgroup_convert_shares_to_weight(uint64_t shares);
/* blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0 (unset). */
uint64_t cgroup_convert_blkio_weight_to_io_weight(uint64_t weight);
/* OCI memory.swap is memory+swap; v2 memory.swap.max is swap alone.  Returns 0 and
 * sets *out (-1 = "max", 0 = leave unset) or -1 with an error. */
int cgroup_convert_swap_to_v2(int64_t swap, int64_t memory, int64_t *out, struct fy_error **err);
/* "2MB" -> 2097152; -1 when malformed. */
int64_t cgroup_parse_page_size(const char *s);

/* Validates a unified map key: a plain "<controller>.<name>" file name in the
 * container's own directory (no '/', no "..").  Sets *controller (CG_CORE for cgroup.*). */
int cgroup_unified_key_check(const char *key, enum cgroup_controller *controller, struct fy_error **err);

/* Formats one rule as a v1 devices.allow/deny line: "c 1:3 rwm", "a *:* rwm". */
char *cgroup_device_rule_v1(const struct cgroup_device_rule *rule);

#endif
