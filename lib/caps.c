#include "config.h"

#include "lib/caps.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "lib/error.h"
#include "lib/util.h"

#define CAPS_MAX_BITS 64

/* libcap knows names in lower case; the spec spells them CAP_CHOWN. */
static const char *const cap_names[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int caps_from_name(const char *name, int *cap)
{
	char lower[64];
	cap_value_t value;
	size_t len;

	if (name == NULL || strncmp(name, "CAP_", 4) != 0)
		return -1;
	len = strlen(name);
	if (len >= sizeof lower)
		return -1;
	for (size_t i = 0; i <= len; i++) {
		/* Mixed case is not the spec's spelling; refuse it rather than guess. */
		if (islower((unsigned char)name[i]))
			return -1;
		lower[i] = (char)tolower((unsigned char)name[i]);
	}
	if (cap_from_name(lower, &value) < 0 || value < 0 || value >= CAPS_MAX_BITS)
		return -1;
	*cap = value;
	return 0;
}

const char *caps_to_name(int cap)
{
	if (cap < 0 || (size_t)cap >= ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

/* Resolves one spec array into a mask; what cannot be mapped is logged and left out. */
static uint64_t plan_set(const char *set, char **names, size_t n, unsigned int last_cap)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < n; i++) {
		int cap;

		if (caps_from_name(names[i], &cap) < 0) {
			fy_warn("process.capabilities.%s: unknown capability \"%s\", ignored", set, names[i]);
			continue;
		}
		if ((unsigned int)cap > last_cap) {
			fy_warn("process.capabilities.%s: %s is not supported by this kernel (its last capability is "
				"%u), ignored",
				set, names[i], last_cap);
			continue;
		}
		mask |= UINT64_C(1) << cap;
	}
	return mask;
}

int caps_plan_for_kernel(const struct spec_capabilities *c, unsigned int last_cap, struct caps_plan *out,
			 struct fy_error **err)
{
	memset(out, 0, sizeof *out);
	if (last_cap >= CAPS_MAX_BITS)
		return fy_error_set(err, ERANGE,
				    "plan capabilities: the kernel's last capability %u does not fit in %d bits",
				    last_cap, CAPS_MAX_BITS);
	out->last_cap = last_cap;
	if (c == NULL)
		return 0;
	out->apply = true;
	out->bounding = plan_set("bounding", c->bounding, c->n_bounding, last_cap);
	out->effective = plan_set("effective", c->effective, c->n_effective, last_cap);
	out->permitted = plan_set("permitted", c->permitted, c->n_permitted, last_cap);
	out->inheritable = plan_set("inheritable", c->inheritable, c->n_inheritable, last_cap);
	out->ambient = plan_set("ambient", c->ambient, c->n_ambient, last_cap);
	return 0;
}

int caps_plan(const struct spec_capabilities *c, struct caps_plan *out, struct fy_error **err)
{
	/* cap_max_bits() reads /proc/sys/kernel/cap_last_cap (or probes) once. */
	int bits = (int)cap_max_bits();

	if (bits <= 0)
		return fy_error_set(err, EINVAL, "plan capabilities: cannot tell the kernel's last capability");
	return caps_plan_for_kernel(c, (unsigned int)bits - 1, out, err);
}

static const char *cap_label(int cap, char *buf, size_t len)
{
	const char *name = caps_to_name(cap);

	if (name)
		return name;
	snprintf(buf, len, "capability %d", cap);
	return buf;
}

int caps_apply_bounding(const struct caps_plan *p, struct fy_error **err)
{
	if (!p->apply)
		return 0;
	/* An ambient cap inherited by the runtime must not reach the container
	 * (CVE-2022-29162 class): start from an empty ambient set. */
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return fy_error_sys(err, "clear the ambient capability set");
	for (unsigned int cap = 0; cap <= p->last_cap; cap++) {
		char buf[32];

		if (p->bounding & (UINT64_C(1) << cap))
			continue;
		if (cap_get_bound((cap_value_t)cap) != 1)
			continue; /* already gone, or unknown to this kernel */
		if (cap_drop_bound((cap_value_t)cap) < 0)
			return fy_error_sys(err, "drop %s from the bounding set", cap_label((int)cap, buf, sizeof buf));
	}
	return 0;
}

int caps_prepare_keep(struct fy_error **err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fy_error_sys(err, "keep capabilities across setuid (PR_SET_KEEPCAPS)");
	return 0;
}

static void warn_missing(const char *set, uint64_t wanted, uint64_t got, const char *why)
{
	for (int cap = 0; cap < CAPS_MAX_BITS; cap++) {
		char buf[32];

		if ((wanted & ~got) & (UINT64_C(1) << cap))
			fy_warn("process.capabilities.%s: %s cannot be granted (%s), ignored", set,
				cap_label(cap, buf, sizeof buf), why);
	}
}

static uint64_t current_mask(cap_t current, cap_flag_t flag, unsigned int last_cap)
{
	uint64_t mask = 0;

	for (unsigned int cap = 0; cap <= last_cap; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(current, (cap_value_t)cap, flag, &v) == 0 && v == CAP_SET)
			mask |= UINT64_C(1) << cap;
	}
	return mask;
}

static uint64_t bounding_mask(unsigned int last_cap)
{
	uint64_t mask = 0;

	for (unsigned int cap = 0; cap <= last_cap; cap++)
		if (cap_get_bound((cap_value_t)cap) == 1)
			mask |= UINT64_C(1) << cap;
	return mask;
}

static void set_flags(cap_t caps, cap_flag_t flag, uint64_t mask)
{
	for (int cap = 0; cap < CAPS_MAX_BITS; cap++) {
		cap_value_t v = cap;

		if (mask & (UINT64_C(1) << cap))
			cap_set_flag(caps, flag, 1, &v, CAP_SET);
	}
}

/* What capset(2) will accept, from the process's current sets (capabilities(7),
 * "Programmatically adjusting capability sets"): permitted can only shrink, effective
 * must be within the new permitted, and without CAP_SETPCAP in effective (gone after
 * setuid) inheritable must be within the old inheritable and permitted, and always within
 * the old inheritable and the bounding set. */
static int grantable_sets(const struct caps_plan *p, uint64_t *eff, uint64_t *prm, uint64_t *inh, struct fy_error **err)
{
	cap_t current = cap_get_proc();

	if (current == NULL)
		return fy_error_sys(err, "read the process's capabilities");
	uint64_t old_p = current_mask(current, CAP_PERMITTED, p->last_cap);
	uint64_t old_i = current_mask(current, CAP_INHERITABLE, p->last_cap);
	uint64_t old_e = current_mask(current, CAP_EFFECTIVE, p->last_cap);
	uint64_t bset = bounding_mask(p->last_cap);
	cap_free(current);

	bool setpcap = old_e & (UINT64_C(1) << CAP_SETPCAP);
	*prm = p->permitted & old_p;
	warn_missing("permitted", p->permitted, *prm, "not in the runtime's permitted set");
	*eff = p->effective & *prm;
	warn_missing("effective", p->effective, *eff, "not in the permitted set");
	*inh = p->inheritable & (old_i | bset) & (setpcap ? ~UINT64_C(0) : (old_i | old_p));
	warn_missing("inheritable", p->inheritable, *inh, "not in the bounding or permitted set");
	return 0;
}

static void raise_ambient(const struct caps_plan *p, uint64_t prm, uint64_t inh)
{
	for (unsigned int cap = 0; cap <= p->last_cap; cap++) {
		char buf[32];
		const char *name = cap_label((int)cap, buf, sizeof buf);

		if (!(p->ambient & (UINT64_C(1) << cap)))
			continue;
		/* PR_CAP_AMBIENT_RAISE: EPERM unless the cap is permitted and inheritable. */
		if (!(prm & inh & (UINT64_C(1) << cap))) {
			fy_warn("process.capabilities.ambient: %s cannot be raised: it is not in both the permitted "
				"and inheritable sets, ignored",
				name);
			continue;
		}
		if (cap_set_ambient((cap_value_t)cap, CAP_SET) < 0)
			fy_warn("process.capabilities.ambient: raise %s: %s, ignored", name, strerror(errno));
	}
}

int caps_apply_after_setuid(const struct caps_plan *p, struct fy_error **err)
{
	uint64_t eff = 0, prm = 0, inh = 0;

	if (p->apply) {
		if (grantable_sets(p, &eff, &prm, &inh, err) < 0)
			return -1;
		cap_t caps = cap_init();
		if (caps == NULL)
			return fy_error_sys(err, "allocate a capability set");
		set_flags(caps, CAP_EFFECTIVE, eff);
		set_flags(caps, CAP_PERMITTED, prm);
		set_flags(caps, CAP_INHERITABLE, inh);
		int r = cap_set_proc(caps);
		int saved = errno;
		cap_free(caps);
		if (r < 0)
			return fy_error_set(err, saved, "set the effective, permitted and inheritable capabilities");
		/* capset lowered anything ambient that left P or I; start clean anyway. */
		if (cap_reset_ambient() < 0 && errno != EINVAL)
			return fy_error_sys(err, "clear the ambient capability set");
		raise_ambient(p, prm, inh);
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return fy_error_sys(err, "clear PR_SET_KEEPCAPS");
	return 0;
}
