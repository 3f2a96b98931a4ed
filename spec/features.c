/* features.md: the runtime's features document, built from what libcap and libseccomp
 * report on this host. */
#include <config.h> /* autoconf's; "config.h" would find spec/config.h */

#include "spec/features.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>
#include <sys/capability.h>

#include "lib/util.h"
#include "spec/config-internal.h"
#include "spec/emit.h"

/* The options the mount code recognises: config.md's "Linux mount options" table, the
 * same set `runc features` reports (idmapped mounts are not supported yet). */
static const char *const mount_option_names[] = {
	"async",
	"atime",
	"bind",
	"defaults",
	"dev",
	"diratime",
	"dirsync",
	"exec",
	"iversion",
	"lazytime",
	"loud",
	"mand",
	"noatime",
	"nodev",
	"nodiratime",
	"noexec",
	"noiversion",
	"nolazytime",
	"nomand",
	"norelatime",
	"nostrictatime",
	"nosuid",
	"nosymfollow",
	"private",
	"ratime",
	"rbind",
	"rdev",
	"rdiratime",
	"relatime",
	"remount",
	"rexec",
	"rnoatime",
	"rnodev",
	"rnodiratime",
	"rnoexec",
	"rnorelatime",
	"rnostrictatime",
	"rnosuid",
	"rnosymfollow",
	"ro",
	"rprivate",
	"rrelatime",
	"rro",
	"rrw",
	"rshared",
	"rslave",
	"rstrictatime",
	"rsuid",
	"rsymfollow",
	"runbindable",
	"rw",
	"shared",
	"silent",
	"slave",
	"strictatime",
	"suid",
	"symfollow",
	"sync",
	"tmpcopyup",
	"unbindable",
	NULL,
};

static void emit_kstrlist(yajl_gen g, const char *key, const char *const *names)
{
	emit_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; names[i]; i++)
		emit_str(g, names[i]);
	yajl_gen_array_close(g);
}

static void emit_enabled(yajl_gen g, const char *key, bool enabled)
{
	emit_key(g, key);
	yajl_gen_map_open(g);
	emit_kbool(g, "enabled", enabled);
	yajl_gen_map_close(g);
}

/* Every capability libcap can name on this host, as "CAP_SYS_ADMIN". */
static void emit_capabilities(yajl_gen g)
{
	emit_key(g, "capabilities");
	yajl_gen_array_open(g);
	for (cap_value_t c = 0; c < cap_max_bits(); c++) {
		char *name = cap_to_name(c);
		/* libcap names a capability it does not know by its number. */
		if (name && !isdigit((unsigned char)name[0])) {
			for (char *p = name; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			emit_str(g, name);
		}
		cap_free(name);
	}
	yajl_gen_array_close(g);
}

static bool arch_known(const char *name)
{
	char lower[64];
	size_t i;

	/* SCMP_ARCH_X86_64 -> x86_64, the spelling seccomp_arch_resolve_name takes. */
	for (i = 0; name[10 + i] && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)name[10 + i]);
	lower[i] = '\0';
	return seccomp_arch_resolve_name(lower) != 0;
}

/* The filter flags libseccomp can set, and the API level (seccomp_api_get: what the kernel
 * and libseccomp support together) each needs. */
static const struct {
	const char *name;
	unsigned int api_level;
	bool known;
} seccomp_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", 2, true },
	{ "SECCOMP_FILTER_FLAG_LOG", 3, true },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4, true },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 7,
	  SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6) },
};

static void emit_seccomp_flags(yajl_gen g)
{
	unsigned int api = seccomp_api_get();

	emit_key(g, "knownFlags");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_flags); i++)
		if (seccomp_flags[i].known)
			emit_str(g, seccomp_flags[i].name);
	yajl_gen_array_close(g);
	emit_key(g, "supportedFlags");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_flags); i++)
		if (seccomp_flags[i].known && api >= seccomp_flags[i].api_level)
			emit_str(g, seccomp_flags[i].name);
	yajl_gen_array_close(g);
}

static void emit_seccomp(yajl_gen g)
{
	emit_key(g, "seccomp");
	yajl_gen_map_open(g);
	emit_kbool(g, "enabled", true);
	emit_kstrlist(g, "actions", spec_seccomp_action_names);
	emit_kstrlist(g, "operators", spec_seccomp_operator_names);
	emit_key(g, "archs");
	yajl_gen_array_open(g);
	for (size_t i = 0; spec_seccomp_arch_names[i]; i++)
		if (arch_known(spec_seccomp_arch_names[i]))
			emit_str(g, spec_seccomp_arch_names[i]);
	yajl_gen_array_close(g);
	emit_seccomp_flags(g);
	yajl_gen_map_close(g);
}

static void emit_linux(yajl_gen g)
{
	emit_key(g, "linux");
	yajl_gen_map_open(g);
	emit_kstrlist(g, "namespaces", spec_namespace_names);
	emit_capabilities(g);
	emit_key(g, "cgroup");
	yajl_gen_map_open(g);
	emit_kbool(g, "v1", true);
	emit_kbool(g, "v2", true);
	emit_kbool(g, "systemd", false);
	emit_kbool(g, "systemdUser", false);
	emit_kbool(g, "rdma", true);
	yajl_gen_map_close(g);
	emit_seccomp(g);
	emit_enabled(g, "apparmor", false);
	emit_enabled(g, "selinux", false);
	emit_enabled(g, "intelRdt", false);
	emit_key(g, "mountExtensions");
	yajl_gen_map_open(g);
	emit_enabled(g, "idmap", false);
	yajl_gen_map_close(g);
	emit_enabled(g, "netDevices", true);
	yajl_gen_map_close(g);
}

char *spec_features_to_json(size_t *len)
{
	const struct scmp_version *sv = seccomp_version();
	char libseccomp[64];
	yajl_gen g = emit_new(true, "    ");

	snprintf(libseccomp, sizeof libseccomp, "%u.%u.%u", sv->major, sv->minor, sv->micro);
	yajl_gen_map_open(g);
	emit_kstr(g, "ociVersionMin", "1.0.0");
	emit_kstr(g, "ociVersionMax", FY_SPEC_VERSION);
	emit_kstrlist(g, "hooks", spec_hook_stage_names);
	emit_kstrlist(g, "mountOptions", mount_option_names);
	emit_linux(g);
	emit_key(g, "annotations");
	yajl_gen_map_open(g);
	emit_kstr(g, "io.github.seccomp.libseccomp.version", libseccomp);
	emit_kstr(g, "org.foundry.commit", FY_GIT_COMMIT);
	emit_kstr(g, "org.foundry.version", PACKAGE_VERSION);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	return emit_finish(g, len);
}
