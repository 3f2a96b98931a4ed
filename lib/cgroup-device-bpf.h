/* The cgroup v2 device controller: a BPF_PROG_TYPE_CGROUP_DEVICE program assembled from
 * the device rules (as runc's devicefilter and crun's ebpf.c do) and attached to the
 * container's cgroup.  v2 has no devices.allow/deny: the program is the whitelist. */
#ifndef FOUNDRY_CGROUP_DEVICE_BPF_H
#define FOUNDRY_CGROUP_DEVICE_BPF_H

#include <linux/bpf.h>
#include <stddef.h>

#include "lib/cgroup-plan.h"

struct fy_error;

struct cgroup_device_prog {
	struct bpf_insn *insns;
	size_t n_insns;
};

/* Compiles rules (evaluation order: a later rule overrides an earlier one, like
 * writes to v1 devices.allow/deny) into a program that checks them last to first and
 * returns at the first match; no match denies.  A rule that matches every device ends
 * the program, since nothing before it can matter.  Pure code. */
void cgroup_device_prog_compile(const struct cgroup_device_rule *rules, size_t n, struct cgroup_device_prog *prog);
void cgroup_device_prog_clear(struct cgroup_device_prog *prog);

/* Runs the compiled program's decision in C, for tests: 1 allow, 0 deny.  type is
 * 'b' or 'c', access a CG_DEV_* mask. */
int cgroup_device_prog_eval(const struct cgroup_device_prog *prog, char type, unsigned access, uint32_t major,
			    uint32_t minor);

/* Loads the program and attaches it to the cgroup directory (BPF_F_ALLOW_MULTI), then
 * detaches the device programs that were there before, so that an update replaces
 * the whitelist instead of adding to it. */
int cgroup_device_prog_attach(const char *cgroup_dir, const struct cgroup_device_prog *prog, struct fy_error **err);
/* How many device programs are attached to the directory (tests, diagnostics). */
int cgroup_device_prog_count(const char *cgroup_dir, struct fy_error **err);

#endif
