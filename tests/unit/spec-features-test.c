/* spec/: the features document (features.md, features-linux.md). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "lib/util.h"
#include "tests/unit/tap.h"
#include "spec/features.h"

static yajl_val get(yajl_val v, const char *a, const char *b, const char *c)
{
	const char *path[] = { a, b, c, NULL };
	return yajl_tree_get(v, path, yajl_t_any);
}

static bool array_has(yajl_val arr, const char *s)
{
	for (size_t i = 0; YAJL_IS_ARRAY(arr) && i < arr->u.array.len; i++) {
		yajl_val item = arr->u.array.values[i];
		if (YAJL_IS_STRING(item) && strcmp(item->u.string, s) == 0)
			return true;
	}
	return false;
}

static bool is_true(yajl_val v)
{
	return v != NULL && YAJL_IS_TRUE(v);
}

static bool is_false(yajl_val v)
{
	return v != NULL && YAJL_IS_FALSE(v);
}

static bool capability_names_well_formed(yajl_val caps)
{
	for (size_t i = 0; i < caps->u.array.len; i++) {
		const char *s = YAJL_GET_STRING(caps->u.array.values[i]);
		if (s == NULL || strncmp(s, "CAP_", 4) != 0)
			return false;
		for (const char *p = s + 4; *p; p++)
			if (!isupper((unsigned char)*p) && *p != '_')
				return false;
	}
	return true;
}

static void test_document(yajl_val doc)
{
	/* config.md's "MUST" mount options. */
	static const char *const must_options[] = {
		"async",       "atime",      "bind",       "defaults",   "dev",           "diratime",    "dirsync",
		"exec",        "iversion",   "lazytime",   "loud",       "noatime",       "nodev",       "nodiratime",
		"noexec",      "noiversion", "nolazytime", "norelatime", "nostrictatime", "nosuid",      "private",
		"rbind",       "relatime",   "remount",    "ro",         "rprivate",      "rshared",     "rslave",
		"runbindable", "rw",         "shared",     "silent",     "slave",         "strictatime", "suid",
		"sync",        "unbindable",
	};
	static const char *const hooks[] = { "prestart",       "createRuntime", "createContainer",
					     "startContainer", "poststart",     "poststop" };
	static const char *const namespaces[] = { "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time" };
	yajl_val v, caps, seccomp;
	bool all;

	tap_is_str(YAJL_GET_STRING(get(doc, "ociVersionMin", NULL, NULL)), "1.0.0", "ociVersionMin");
	tap_is_str(YAJL_GET_STRING(get(doc, "ociVersionMax", NULL, NULL)), "1.3.0", "ociVersionMax");
	v = get(doc, "hooks", NULL, NULL);
	all = YAJL_IS_ARRAY(v) && v->u.array.len == ARRAY_SIZE(hooks);
	for (size_t i = 0; all && i < ARRAY_SIZE(hooks); i++)
		all = array_has(v, hooks[i]);
	tap_ok(all, "all six hooks");
	v = get(doc, "mountOptions", NULL, NULL);
	all = YAJL_IS_ARRAY(v);
	for (size_t i = 0; all && i < ARRAY_SIZE(must_options); i++)
		if (!(all = array_has(v, must_options[i])))
			tap_diag("missing mount option %s", must_options[i]);
	tap_ok(all, "every MUST mount option of config.md");
	tap_ok(!array_has(v, "idmap") && array_has(v, "rro") && !array_has(v, "gid=5"),
	       "recursive options listed; no idmap (not supported) and no filesystem-specific options");
	v = get(doc, "linux", "namespaces", NULL);
	all = YAJL_IS_ARRAY(v) && v->u.array.len == ARRAY_SIZE(namespaces);
	for (size_t i = 0; all && i < ARRAY_SIZE(namespaces); i++)
		all = array_has(v, namespaces[i]);
	tap_ok(all, "all eight namespaces");
	caps = get(doc, "linux", "capabilities", NULL);
	tap_ok(YAJL_IS_ARRAY(caps) && caps->u.array.len >= 38, "capabilities from libcap");
	tap_ok(array_has(caps, "CAP_SYS_ADMIN") && array_has(caps, "CAP_CHOWN") && array_has(caps, "CAP_BPF"),
	       "capabilities include CAP_SYS_ADMIN, CAP_CHOWN, CAP_BPF");
	tap_ok(YAJL_IS_ARRAY(caps) && capability_names_well_formed(caps), "capability names match ^CAP_[A-Z_]+$");
	tap_ok(is_true(get(doc, "linux", "cgroup", "v1")) && is_true(get(doc, "linux", "cgroup", "v2")) &&
		   is_false(get(doc, "linux", "cgroup", "systemd")) &&
		   is_false(get(doc, "linux", "cgroup", "systemdUser")) && is_true(get(doc, "linux", "cgroup", "rdma")),
	       "cgroup: v1, v2, rdma; no systemd");
	seccomp = get(doc, "linux", "seccomp", NULL);
	tap_ok(is_true(get(seccomp, "enabled", NULL, NULL)), "seccomp enabled");
	tap_ok(array_has(get(seccomp, "actions", NULL, NULL), "SCMP_ACT_NOTIFY") &&
		   array_has(get(seccomp, "operators", NULL, NULL), "SCMP_CMP_MASKED_EQ"),
	       "seccomp actions and operators");
	tap_ok(array_has(get(seccomp, "archs", NULL, NULL), "SCMP_ARCH_X86_64") &&
		   array_has(get(seccomp, "archs", NULL, NULL), "SCMP_ARCH_AARCH64"),
	       "seccomp archs from libseccomp");
	tap_ok(array_has(get(seccomp, "knownFlags", NULL, NULL), "SECCOMP_FILTER_FLAG_TSYNC"), "seccomp knownFlags");
	tap_ok(YAJL_IS_ARRAY(get(seccomp, "supportedFlags", NULL, NULL)), "seccomp supportedFlags");
	tap_ok(is_false(get(doc, "linux", "apparmor", "enabled")) &&
		   is_false(get(doc, "linux", "selinux", "enabled")) &&
		   is_false(get(doc, "linux", "intelRdt", "enabled")),
	       "apparmor, selinux, intelRdt disabled");
	v = get(doc, "linux", "mountExtensions", "idmap");
	tap_ok(!is_true(get(v, "enabled", NULL, NULL)), "mountExtensions.idmap not enabled (not supported yet)");
	v = get(doc, "annotations", NULL, NULL);
	tap_is_str(YAJL_IS_OBJECT(v) ? YAJL_GET_STRING(get(v, "org.foundry.version", NULL, NULL)) : NULL,
		   PACKAGE_VERSION, "annotations name the foundry version");
}

int main(void)
{
	char errbuf[256];
	size_t len;
	_cleanup_free_ char *json = spec_features_to_json(&len);
	yajl_val doc = yajl_tree_parse(json, errbuf, sizeof errbuf);

	tap_ok(doc != NULL && YAJL_IS_OBJECT(doc), "the features document is a JSON object");
	tap_ok(strncmp(json, "{\n    \"ociVersionMin\"", 21) == 0 && json[len - 1] == '\n',
	       "pretty-printed with four spaces like runc features");
	if (doc)
		test_document(doc);
	yajl_tree_free(doc);
	return tap_done();
}
