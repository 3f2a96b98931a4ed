/* The v2 device program (see cgroup-device-bpf.h).  Register use in the program:
 *   r1 = ctx (struct bpf_cgroup_dev_ctx), then scratch
 *   r2 = device type (BPF_DEVCG_DEV_*)   r3 = access (BPF_DEVCG_ACC_*)
 *   r4 = major                          r5 = minor
 * One block per rule, each ending in "r0 = allow; exit", each test jumping to the
 * next block on a mismatch. */
#include "config.h"

#include "lib/cgroup-device-bpf.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off) INSN(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_IMM(op, dst, imm) INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src) INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_IMM(dst, imm) INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
/* 32-bit compares: major/minor are u32, an immediate is sign-extended in 64-bit ones. */
#define JNE32_IMM(dst, imm, off) INSN(BPF_JMP32 | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JNE32_REG(dst, src, off) INSN(BPF_JMP32 | BPF_JNE | BPF_X, dst, src, off, 0)
#define JEQ32_IMM(dst, imm, off) INSN(BPF_JMP32 | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static void emit(struct cgroup_device_prog *prog, struct bpf_insn insn)
{
	prog->insns = xrealloc(prog->insns, (prog->n_insns + 1) * sizeof(*prog->insns));
	prog->insns[prog->n_insns++] = insn;
}

static unsigned bpf_access(unsigned access)
{
	return ((access & CG_DEV_MKNOD) ? BPF_DEVCG_ACC_MKNOD : 0) | ((access & CG_DEV_READ) ? BPF_DEVCG_ACC_READ : 0) |
	       ((access & CG_DEV_WRITE) ? BPF_DEVCG_ACC_WRITE : 0);
}

/* Emits one rule; returns true when it matches everything (the program ends there). */
static bool emit_rule(struct cgroup_device_prog *prog, const struct cgroup_device_rule *r)
{
	struct bpf_insn tests[6];
	size_t n = 0;
	bool all_access = (r->access & CG_DEV_ALL) == CG_DEV_ALL;

	if (r->type != 'a')
		tests[n++] = JNE32_IMM(2, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0);
	if (!all_access) {
		/* An allow rule covers a request that is a subset of its access
		 * ((r3 & access) == r3); a deny rule any request that asks for one of its
		 * accesses ((r3 & access) != 0), as "deny w" refuses an open for rw in v1. */
		tests[n++] = MOV32_REG(1, 3);
		tests[n++] = ALU32_IMM(BPF_AND, 1, (int32_t)bpf_access(r->access));
		tests[n++] = r->allow ? JNE32_REG(1, 3, 0) : JEQ32_IMM(1, 0, 0);
	}
	if (r->major >= 0)
		tests[n++] = JNE32_IMM(4, (int32_t)(uint32_t)r->major, 0);
	if (r->minor >= 0)
		tests[n++] = JNE32_IMM(5, (int32_t)(uint32_t)r->minor, 0);
	/* Each jump skips the rest of its block: the later tests and the two-insn tail. */
	for (size_t i = 0; i < n; i++) {
		if (BPF_CLASS(tests[i].code) == BPF_JMP32)
			tests[i].off = (int16_t)(n - i - 1 + 2);
		emit(prog, tests[i]);
	}
	emit(prog, MOV64_IMM(0, r->allow ? 1 : 0));
	emit(prog, EXIT());
	return n == 0;
}

void cgroup_device_prog_compile(const struct cgroup_device_rule *rules, size_t n, struct cgroup_device_prog *prog)
{
	*prog = (struct cgroup_device_prog){ 0 };
	emit(prog, LDX_W(2, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(prog, ALU32_IMM(BPF_AND, 2, 0xFFFF));
	emit(prog, LDX_W(3, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(prog, ALU32_IMM(BPF_RSH, 3, 16));
	emit(prog, LDX_W(4, 1, offsetof(struct bpf_cgroup_dev_ctx, major)));
	emit(prog, LDX_W(5, 1, offsetof(struct bpf_cgroup_dev_ctx, minor)));
	for (size_t i = n; i-- > 0;) {
		/* Rules with an out-of-range number can never match a real device. */
		if (rules[i].major > UINT32_MAX || rules[i].minor > UINT32_MAX)
			continue;
		if (emit_rule(prog, &rules[i]))
			return; /* the verifier rejects unreachable code after it */
	}
	emit(prog, MOV64_IMM(0, 0));
	emit(prog, EXIT());
}

void cgroup_device_prog_clear(struct cgroup_device_prog *prog)
{
	free(prog->insns);
	*prog = (struct cgroup_device_prog){ 0 };
}

/* A tiny interpreter for the instructions compile() emits, so tests check what the
 * program decides rather than how it is spelt. */
int cgroup_device_prog_eval(const struct cgroup_device_prog *prog, char type, unsigned access, uint32_t major,
			    uint32_t minor)
{
	uint64_t reg[11] = { 0 };
	struct bpf_cgroup_dev_ctx ctx = {
		.access_type = (bpf_access(access) << 16) | (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
		.major = major,
		.minor = minor,
	};

	for (size_t pc = 0; pc < prog->n_insns; pc++) {
		const struct bpf_insn *in = &prog->insns[pc];
		switch (in->code) {
		case BPF_LDX | BPF_MEM | BPF_W: {
			uint32_t v;
			memcpy(&v, (const char *)&ctx + in->off, sizeof(v));
			reg[in->dst_reg] = v;
			break;
		}
		case BPF_ALU | BPF_AND | BPF_K:
			reg[in->dst_reg] = (uint32_t)(reg[in->dst_reg] & (uint32_t)in->imm);
			break;
		case BPF_ALU | BPF_RSH | BPF_K: reg[in->dst_reg] = (uint32_t)reg[in->dst_reg] >> in->imm; break;
		case BPF_ALU | BPF_MOV | BPF_X: reg[in->dst_reg] = (uint32_t)reg[in->src_reg]; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: reg[in->dst_reg] = (uint64_t)(int64_t)in->imm; break;
		case BPF_JMP32 | BPF_JNE | BPF_K:
			if ((uint32_t)reg[in->dst_reg] != (uint32_t)in->imm)
				pc += (size_t)in->off;
			break;
		case BPF_JMP32 | BPF_JEQ | BPF_K:
			if ((uint32_t)reg[in->dst_reg] == (uint32_t)in->imm)
				pc += (size_t)in->off;
			break;
		case BPF_JMP32 | BPF_JNE | BPF_X:
			if ((uint32_t)reg[in->dst_reg] != (uint32_t)reg[in->src_reg])
				pc += (size_t)in->off;
			break;
		case BPF_JMP | BPF_EXIT: return (int)reg[0];
		default: return -1;
		}
	}
	return -1; /* fell off the end: the verifier would reject this */
}

static int query_attached(int cgfd, uint32_t *ids, uint32_t *count)
{
	uint32_t flags = 0;
	return bpf_prog_query(cgfd, BPF_CGROUP_DEVICE, 0, &flags, ids, count);
}

int cgroup_device_prog_count(const char *cgroup_dir, struct fy_error **err)
{
	_cleanup_close_ int cgfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint32_t ids[64], count = ARRAY_SIZE(ids);

	if (cgfd < 0)
		return fy_error_sys(err, "open cgroup %s", cgroup_dir);
	if (query_attached(cgfd, ids, &count) < 0)
		return fy_error_sys(err, "query device programs of cgroup %s", cgroup_dir);
	return (int)count;
}

int cgroup_device_prog_attach(const char *cgroup_dir, const struct cgroup_device_prog *prog, struct fy_error **err)
{
	_cleanup_close_ int cgfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int prog_fd = -1;
	_cleanup_free_ char *log = xzalloc(65536);
	uint32_t old[64], n_old = ARRAY_SIZE(old);
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = 65536, .log_level = 0);

	if (cgfd < 0)
		return fy_error_sys(err, "open cgroup %s", cgroup_dir);
	if (query_attached(cgfd, old, &n_old) < 0)
		n_old = 0;
	prog_fd =
	    bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, "foundry_devices", "GPL", prog->insns, prog->n_insns, &opts);
	if (prog_fd < 0) {
		int saved = errno;
		if (saved == EINVAL) {
			/* Ask again with the verifier log, to say why. */
			opts.log_level = 1;
			prog_fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, "foundry_devices", "GPL", prog->insns,
						prog->n_insns, &opts);
		}
		if (prog_fd < 0)
			return fy_error_set(err, saved, "load the device cgroup program (%zu instructions)%s%s",
					    prog->n_insns, *log ? ": verifier: " : "", log);
	}
	if (bpf_prog_attach(prog_fd, cgfd, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) < 0) {
		/* Someone attached a program without ALLOW_MULTI: replace it instead. */
		if (bpf_prog_attach(prog_fd, cgfd, BPF_CGROUP_DEVICE, 0) < 0)
			return fy_error_sys(err, "attach the device cgroup program to %s", cgroup_dir);
		return 0;
	}
	for (uint32_t i = 0; i < n_old; i++) {
		_cleanup_close_ int old_fd = bpf_prog_get_fd_by_id(old[i]);
		if (old_fd < 0 || bpf_prog_detach2(old_fd, cgfd, BPF_CGROUP_DEVICE) < 0)
			return fy_error_sys(err, "detach the previous device cgroup program %u from %s", old[i],
					    cgroup_dir);
	}
	return 0;
}
