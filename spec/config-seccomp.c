/* config-linux.md "Seccomp".  The name lists are the schema's (defs-linux.json); `features`
 * reports the subset libseccomp on this host knows. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include <stdlib.h>

#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/json.h"

const char *const spec_seccomp_action_names[] = {
	"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",   "SCMP_ACT_ERRNO",
	"SCMP_ACT_TRACE", "SCMP_ACT_ALLOW",        "SCMP_ACT_LOG",         "SCMP_ACT_NOTIFY", NULL,
};

const char *const spec_seccomp_operator_names[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

const char *const spec_seccomp_arch_names[] = {
	"SCMP_ARCH_X86",         "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",     "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64",     "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",    "SCMP_ARCH_MIPS",
	"SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64",
	"SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",         "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",
	"SCMP_ARCH_S390",        "SCMP_ARCH_S390X",       "SCMP_ARCH_SH",      "SCMP_ARCH_SHEB",
	"SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",    "SCMP_ARCH_RISCV64", NULL,
};

const char *const spec_seccomp_flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	NULL,
};

static int parse_arg(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_seccomp_arg *a = elem;

	if (sj_u32(j, obj, "index", SJ_REQUIRED, &a->index, NULL) < 0 ||
	    sj_u64(j, obj, "value", SJ_REQUIRED, &a->value, NULL) < 0 ||
	    sj_u64(j, obj, "valueTwo", SJ_OPTIONAL, &a->value_two, &a->has_value_two) < 0 ||
	    sj_enum_string(j, obj, "op", SJ_REQUIRED, spec_seccomp_operator_names, &a->op) < 0)
		return -1;
	return 0;
}

static int parse_syscall(struct spec_json *j, yajl_val obj, void *elem)
{
	struct spec_syscall *s = elem;

	if (sj_strv(j, obj, "names", SJ_REQUIRED, NULL, &s->names, &s->n_names, NULL) < 0)
		return -1;
	/* defs-linux.json "Syscall": names has minItems 1. */
	if (s->n_names == 0)
		return sj_fail_member(j, obj, "names", "a non-empty array of strings");
	if (sj_enum_string(j, obj, "action", SJ_REQUIRED, spec_seccomp_action_names, &s->action) < 0 ||
	    sj_u32(j, obj, "errnoRet", SJ_OPTIONAL, &s->errno_ret, &s->has_errno_ret) < 0 ||
	    sj_object_array(j, obj, "args", SJ_OPTIONAL, sizeof(struct spec_seccomp_arg), parse_arg, (void **)&s->args,
			    &s->n_args) < 0)
		return -1;
	return 0;
}

static int parse_seccomp_body(struct spec_json *j, yajl_val obj, struct spec_seccomp *s)
{
	if (sj_enum_string(j, obj, "defaultAction", SJ_REQUIRED, spec_seccomp_action_names, &s->default_action) < 0 ||
	    sj_u32(j, obj, "defaultErrnoRet", SJ_OPTIONAL, &s->default_errno_ret, &s->has_default_errno_ret) < 0 ||
	    sj_strv(j, obj, "architectures", SJ_OPTIONAL, spec_seccomp_arch_names, &s->architectures,
		    &s->n_architectures, NULL) < 0 ||
	    sj_strv(j, obj, "flags", SJ_OPTIONAL, spec_seccomp_flag_names, &s->flags, &s->n_flags, NULL) < 0 ||
	    sj_string(j, obj, "listenerPath", SJ_OPTIONAL, &s->listener_path) < 0 ||
	    sj_string(j, obj, "listenerMetadata", SJ_OPTIONAL, &s->listener_metadata) < 0 ||
	    sj_object_array(j, obj, "syscalls", SJ_OPTIONAL, sizeof(struct spec_syscall), parse_syscall,
			    (void **)&s->syscalls, &s->n_syscalls) < 0)
		return -1;
	return 0;
}

int spec_seccomp_parse(struct spec_json *j, yajl_val parent, struct spec_seccomp **out)
{
	yajl_val obj;
	size_t mark;

	if (sj_object(j, parent, "seccomp", SJ_OPTIONAL, &obj) < 0)
		return -1;
	if (obj == NULL)
		return 0;
	*out = xzalloc(sizeof **out);
	mark = sj_push_key(j, "seccomp");
	if (parse_seccomp_body(j, obj, *out) < 0)
		return -1;
	sj_pop(j, mark);
	return 0;
}

void spec_seccomp_free(struct spec_seccomp *s)
{
	if (s == NULL)
		return;
	free(s->default_action);
	fy_strv_free(s->architectures);
	fy_strv_free(s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		struct spec_syscall *sc = &s->syscalls[i];
		fy_strv_free(sc->names);
		free(sc->action);
		for (size_t k = 0; k < sc->n_args; k++)
			free(sc->args[k].op);
		free(sc->args);
	}
	free(s->syscalls);
	free(s);
}
