#include "config.h"

#include "lib/seccomp.h"

#include <errno.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

struct name_value {
	const char *name;
	uint32_t value;
};

/* The spec's list (as of libseccomp 2.6); tokens this libseccomp lacks stay 0. */
static const struct name_value arch_names[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
#ifdef SCMP_ARCH_LOONGARCH64
	{ "SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64 },
#else
	{ "SCMP_ARCH_LOONGARCH64", 0 },
#endif
#ifdef SCMP_ARCH_M68K
	{ "SCMP_ARCH_M68K", SCMP_ARCH_M68K },
#else
	{ "SCMP_ARCH_M68K", 0 },
#endif
#ifdef SCMP_ARCH_SH
	{ "SCMP_ARCH_SH", SCMP_ARCH_SH },
	{ "SCMP_ARCH_SHEB", SCMP_ARCH_SHEB },
#else
	{ "SCMP_ARCH_SH", 0 },
	{ "SCMP_ARCH_SHEB", 0 },
#endif
};

static const struct name_value flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV },
};

static const struct name_value op_names[] = {
	{ "SCMP_CMP_NE", SCMP_CMP_NE },
	{ "SCMP_CMP_LT", SCMP_CMP_LT },
	{ "SCMP_CMP_LE", SCMP_CMP_LE },
	{ "SCMP_CMP_EQ", SCMP_CMP_EQ },
	{ "SCMP_CMP_GE", SCMP_CMP_GE },
	{ "SCMP_CMP_GT", SCMP_CMP_GT },
	{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

/* Actions that carry data take it from errnoRet; the rest must not have one. */
static const struct {
	const char *name;
	uint32_t value;
	bool takes_errno;
} action_names[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL, false },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP, false },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG, false },
	{ "SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false },
};

static int lookup(const struct name_value *table, size_t n, const char *name, uint32_t *value)
{
	for (size_t i = 0; name && i < n; i++) {
		if (strcmp(table[i].name, name) == 0) {
			*value = table[i].value;
			return 0;
		}
	}
	return -1;
}

int seccomp_action_from_name(const char *name, bool has_errno, uint32_t errno_ret, uint32_t *action,
			     struct fy_error **err)
{
	for (size_t i = 0; name && i < ARRAY_SIZE(action_names); i++) {
		if (strcmp(action_names[i].name, name) != 0)
			continue;
		if (!action_names[i].takes_errno) {
			if (has_errno)
				return fy_error_set(err, EINVAL,
						    "action %s does not take an errno return code (errnoRet %u)", name,
						    errno_ret);
			*action = action_names[i].value;
			return 0;
		}
		/* SECCOMP_RET_DATA is 16 bits; a larger value would be silently truncated. */
		if (has_errno && errno_ret > 0xffff)
			return fy_error_set(err, EINVAL, "action %s: errnoRet %u does not fit in 16 bits", name,
					    errno_ret);
		*action = action_names[i].value | (has_errno ? errno_ret : (uint32_t)EPERM);
		return 0;
	}
	return fy_error_set(err, EINVAL, "unknown action \"%s\"", name ? name : "");
}

int seccomp_arch_from_name(const char *name, uint32_t *arch)
{
	if (lookup(arch_names, ARRAY_SIZE(arch_names), name, arch) < 0)
		return -1;
	return *arch == 0 ? 1 : 0;
}

int seccomp_op_from_name(const char *name, enum scmp_compare *op)
{
	uint32_t v;

	if (lookup(op_names, ARRAY_SIZE(op_names), name, &v) < 0)
		return -1;
	*op = (enum scmp_compare)v;
	return 0;
}

int seccomp_flag_from_name(const char *name, unsigned int *flag)
{
	uint32_t v;

	if (lookup(flag_names, ARRAY_SIZE(flag_names), name, &v) < 0)
		return -1;
	*flag = v;
	return 0;
}

void seccomp_plan_free(struct seccomp_plan *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		free(p->rules[i].syscall);
	free(p->rules);
	free(p->arches);
	memset(p, 0, sizeof *p);
}

static int plan_args(const struct spec_syscall *sc, size_t idx, struct scmp_arg_cmp *args, struct fy_error **err)
{
	for (size_t i = 0; i < sc->n_args; i++) {
		const struct spec_seccomp_arg *a = &sc->args[i];
		enum scmp_compare op;

		if (a->index >= SECCOMP_PLAN_MAX_ARGS)
			return fy_error_set(err, EINVAL,
					    ".linux.seccomp.syscalls[%zu].args[%zu].index: %u is not below %d", idx, i,
					    a->index, SECCOMP_PLAN_MAX_ARGS);
		if (seccomp_op_from_name(a->op, &op) < 0)
			return fy_error_set(err, EINVAL,
					    ".linux.seccomp.syscalls[%zu].args[%zu].op: unknown operator \"%s\"", idx,
					    i, a->op ? a->op : "");
		/* MASKED_EQ is (arg & value) == valueTwo; the other operators compare with value. */
		args[i] = (struct scmp_arg_cmp){
			.arg = a->index,
			.op = op,
			.datum_a = a->value,
			.datum_b = op == SCMP_CMP_MASKED_EQ ? a->value_two : 0,
		};
	}
	return 0;
}

/* Conditions on distinct arguments are ANDed in one rule.  When the same argument appears
 * twice, runc (whose behaviour profiles were written against) adds one rule per
 * condition, which ORs them; libseccomp would reject both in one rule. */
static bool args_repeat_index(const struct scmp_arg_cmp *args, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (args[i].arg == args[j].arg)
				return true;
	return false;
}

static void plan_push(struct seccomp_plan *p, const char *name, int nr, uint32_t action,
		      const struct scmp_arg_cmp *args, unsigned int n_args)
{
	struct seccomp_plan_rule *r;

	p->rules = xrealloc(p->rules, (p->n_rules + 1) * sizeof *p->rules);
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof *r);
	r->syscall = xstrdup(name);
	r->nr = nr;
	r->action = action;
	r->n_args = n_args;
	if (n_args)
		memcpy(r->args, args, n_args * sizeof *args);
}

static int plan_syscall(struct seccomp_plan *p, const struct spec_syscall *sc, size_t idx, struct fy_error **err)
{
	struct scmp_arg_cmp args[SECCOMP_PLAN_MAX_ARGS];
	uint32_t action;

	if (sc->n_names == 0)
		return fy_error_set(err, EINVAL, ".linux.seccomp.syscalls[%zu].names: must contain at least one name",
				    idx);
	if (seccomp_action_from_name(sc->action, sc->has_errno_ret, sc->errno_ret, &action, err) < 0)
		return fy_error_wrap(err, ".linux.seccomp.syscalls[%zu].action", idx);
	if (sc->n_args > SECCOMP_PLAN_MAX_ARGS)
		return fy_error_set(err, EINVAL,
				    ".linux.seccomp.syscalls[%zu].args: %zu conditions, a syscall has %d arguments",
				    idx, sc->n_args, SECCOMP_PLAN_MAX_ARGS);
	if (plan_args(sc, idx, args, err) < 0)
		return -1;
	if (action == SCMP_ACT_NOTIFY)
		p->uses_notify = true;
	for (size_t n = 0; n < sc->n_names; n++) {
		const char *name = sc->names[n];
		int nr = seccomp_syscall_resolve_name(name);

		if (nr == __NR_SCMP_ERROR) {
			fy_warn(".linux.seccomp.syscalls[%zu]: unknown syscall \"%s\", skipped", idx, name);
			continue;
		}
		/* The init writes to its sync socket after the filter is in: a notification
		 * there would wait for an agent that has not been given the fd yet. */
		if (action == SCMP_ACT_NOTIFY && (strcmp(name, "write") == 0 || strcmp(name, "sendmsg") == 0))
			return fy_error_set(err, EINVAL,
					    ".linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY cannot be used for \"%s\": "
					    "the runtime needs it to hand over the notify fd",
					    idx, name);
		/* libseccomp refuses a rule whose action is the default one; it adds nothing. */
		if (action == p->default_action)
			continue;
		if (args_repeat_index(args, sc->n_args)) {
			for (size_t i = 0; i < sc->n_args; i++)
				plan_push(p, name, nr, action, &args[i], 1);
		} else {
			plan_push(p, name, nr, action, args, (unsigned int)sc->n_args);
		}
	}
	return 0;
}

static int plan_header(const struct spec_seccomp *s, struct seccomp_plan *p, struct fy_error **err)
{
	if (s->default_action == NULL)
		return fy_error_set(err, EINVAL, ".linux.seccomp.defaultAction: required");
	if (seccomp_action_from_name(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
				     &p->default_action, err) < 0)
		return fy_error_wrap(err, ".linux.seccomp.defaultAction");
	/* The kernel would notify every syscall, the ones init needs to hand the fd over too. */
	if (p->default_action == SCMP_ACT_NOTIFY)
		return fy_error_set(err, EINVAL,
				    ".linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
	for (size_t i = 0; i < s->n_architectures; i++) {
		uint32_t arch;
		int r = seccomp_arch_from_name(s->architectures[i], &arch);

		if (r < 0)
			return fy_error_set(err, EINVAL,
					    ".linux.seccomp.architectures[%zu]: unknown architecture \"%s\"", i,
					    s->architectures[i]);
		if (r > 0) {
			fy_warn(".linux.seccomp.architectures[%zu]: %s is not supported by this libseccomp, skipped", i,
				s->architectures[i]);
			continue;
		}
		p->arches = xrealloc(p->arches, (p->n_arches + 1) * sizeof *p->arches);
		p->arches[p->n_arches++] = arch;
	}
	for (size_t i = 0; i < s->n_flags; i++) {
		unsigned int flag;

		if (seccomp_flag_from_name(s->flags[i], &flag) < 0)
			return fy_error_set(err, EINVAL, ".linux.seccomp.flags[%zu]: unknown flag \"%s\"", i,
					    s->flags[i]);
		p->filter_flags |= flag;
	}
	if (s->listener_metadata && s->listener_path == NULL)
		return fy_error_set(err, EINVAL, ".linux.seccomp.listenerMetadata: set without listenerPath");
	return 0;
}

int seccomp_plan_build(const struct spec_seccomp *s, struct seccomp_plan *out, struct fy_error **err)
{
	memset(out, 0, sizeof *out);
	if (plan_header(s, out, err) < 0) {
		seccomp_plan_free(out);
		return -1;
	}
	for (size_t i = 0; i < s->n_syscalls; i++) {
		if (plan_syscall(out, &s->syscalls[i], i, err) < 0) {
			seccomp_plan_free(out);
			return -1;
		}
	}
	if (out->uses_notify && s->listener_path == NULL) {
		seccomp_plan_free(out);
		return fy_error_set(err, EINVAL,
				    ".linux.seccomp: SCMP_ACT_NOTIFY is used but listenerPath is not set: the process "
				    "would block on the first notified syscall");
	}
	return 0;
}

static void ctx_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

scmp_filter_ctx seccomp_filter_build(const struct seccomp_plan *p, struct fy_error **err)
{
	__attribute__((cleanup(ctx_releasep))) scmp_filter_ctx ctx = seccomp_init(p->default_action);
	scmp_filter_ctx ret;
	int r;

	if (ctx == NULL) {
		fy_error_set(err, EINVAL, "create the seccomp filter (default action %#x)", p->default_action);
		return NULL;
	}
	for (size_t i = 0; i < p->n_arches; i++) {
		r = seccomp_arch_add(ctx, p->arches[i]);
		if (r < 0 && r != -EEXIST) {
			fy_error_set(err, -r, "add architecture %#x to the seccomp filter", p->arches[i]);
			return NULL;
		}
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct seccomp_plan_rule *rule = &p->rules[i];

		r = seccomp_rule_add_array(ctx, rule->action, rule->nr, rule->n_args, rule->args);
		if (r < 0) {
			fy_error_set(err, -r, "add the seccomp rule for \"%s\" (action %#x, %u conditions)",
				     rule->syscall, rule->action, rule->n_args);
			return NULL;
		}
	}
	ret = ctx;
	ctx = NULL;
	return ret;
}

/* The BPF program libseccomp generated, read back through a memfd. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **insns, size_t *n, struct fy_error **err)
{
	_cleanup_close_ int fd = memfd_create("foundry-seccomp", MFD_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	if (fd < 0)
		return fy_error_sys(err, "create a memfd for the seccomp program");
	r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return fy_error_set(err, -r, "export the seccomp program");
	if (lseek(fd, 0, SEEK_SET) < 0)
		return fy_error_sys(err, "rewind the seccomp program");
	if (fy_read_fd(fd, &buf, &len, err) < 0)
		return fy_error_wrap(err, "read back the seccomp program");
	if (len == 0 || len % sizeof(struct sock_filter) != 0)
		return fy_error_set(err, EINVAL, "the exported seccomp program has a bad size (%zu bytes)", len);
	*insns = (struct sock_filter *)buf;
	*n = len / sizeof(struct sock_filter);
	buf = NULL;
	return 0;
}

int seccomp_filter_load(scmp_filter_ctx ctx, const struct seccomp_plan *p, int *notify_fd, struct fy_error **err)
{
	_cleanup_free_ struct sock_filter *insns = NULL;
	unsigned long flags = p->filter_flags;
	size_t n = 0;
	long r;

	*notify_fd = -1;
	if (export_bpf(ctx, &insns, &n, err) < 0)
		return -1;
	if (n > USHRT_MAX)
		return fy_error_set(err, E2BIG, "the seccomp program has %zu instructions", n);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	if (p->uses_notify) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* TSYNC reports a thread's id on failure, which clashes with returning the fd. */
		if (flags & SECCOMP_FILTER_FLAG_TSYNC)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	}
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (r < 0) {
		if (errno == EACCES)
			return fy_error_sys(err,
					    "load the seccomp filter: neither no_new_privs nor CAP_SYS_ADMIN is set");
		if (errno == EINVAL && flags != 0)
			return fy_error_sys(
			    err, "load the seccomp filter (flags %#lx: is every flag supported by this kernel?)",
			    flags);
		return fy_error_sys(err, "load the seccomp filter");
	}
	if (p->uses_notify)
		*notify_fd = (int)r;
	return 0;
}

int seccomp_install(const struct spec_seccomp *s, int *notify_fd, struct fy_error **err)
{
	struct seccomp_plan plan;
	scmp_filter_ctx ctx;
	int r;

	*notify_fd = -1;
	if (seccomp_plan_build(s, &plan, err) < 0)
		return -1;
	ctx = seccomp_filter_build(&plan, err);
	if (ctx == NULL) {
		seccomp_plan_free(&plan);
		return -1;
	}
	r = seccomp_filter_load(ctx, &plan, notify_fd, err);
	seccomp_release(ctx);
	seccomp_plan_free(&plan);
	return r;
}
