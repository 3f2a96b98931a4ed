/* cgroupsPath resolution: absolute, relative, default, systemd "slice:prefix:name". */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lib/cgroup-path.h"
#include "lib/error.h"
#include "tests/unit/tap.h"

static void is_path(const char *manager, const char *id, const char *in, const char *want)
{
	struct fy_error *err = NULL;
	char *got = cgroup_path_resolve(manager, id, in, &err);
	tap_is_str(got, want, "%s %s -> %s", manager ? manager : "(default)", in ? in : "(absent)", want);
	if (err)
		tap_diag("error: %s", err->msg);
	fy_error_free(&err);
	free(got);
}

static void is_error(const char *manager, const char *in, const char *needle)
{
	struct fy_error *err = NULL;
	char *got = cgroup_path_resolve(manager, "web", in, &err);
	tap_ok(got == NULL && err && strstr(err->msg, needle), "%s \"%s\" is refused (%s)", manager, in,
	       err ? err->msg : "no error");
	fy_error_free(&err);
	free(got);
}

static void is_clean(const char *in, const char *want)
{
	char *got = cgroup_path_clean(in);
	tap_is_str(got, want, "clean \"%s\"", in);
	free(got);
}

int main(void)
{
	is_clean("/a/b", "/a/b");
	is_clean("a//b/", "/a/b");
	is_clean("/a/./b/../c", "/a/c");
	is_clean("../../etc", "/etc");
	is_clean("/a/../../..", "/");
	is_clean("", "/");

	is_path(NULL, "web", NULL, "/foundry/web");
	is_path("cgroupfs", "web", "", "/foundry/web");
	is_path("cgroupfs", "web", "/pods/web", "/pods/web");
	is_path("cgroupfs", "web", "pods/web", "/pods/web");
	is_path("cgroupfs", "web", "/pods/../../sys/web", "/sys/web");
	is_error("cgroupfs", "/", "root cgroup");
	is_error("cgroupfs", "/a/..", "root cgroup");

	is_path("systemd", "web", NULL, "/system.slice/foundry-web.scope");
	is_path("systemd", "web", "machine.slice:libpod:abc", "/machine.slice/libpod-abc.scope");
	is_path("systemd", "web", "machine-x-y.slice:libpod:abc",
		"/machine.slice/machine-x.slice/machine-x-y.slice/libpod-abc.scope");
	is_path("systemd", "web", ":foundry:abc", "/system.slice/foundry-abc.scope");
	is_path("systemd", "web", "user.slice::abc", "/user.slice/abc.scope");
	is_path("systemd", "web", "a.slice::b.slice", "/a.slice/b.slice");
	is_path("systemd", "web", "-.slice:p:n", "/p-n.scope");
	is_error("systemd", "/not/systemd", "slice:prefix:name");
	is_error("systemd", "a.slice:b", "slice:prefix:name");
	is_error("systemd", "a.slice:p:", "unit name is empty");
	is_error("systemd", "notaslice:p:n", "ending in \".slice\"");
	is_error("systemd", "a--b.slice:p:n", "empty component");

	struct fy_error *err = NULL;
	char *s = cgroup_path_expand_slice("a-b-c.slice", &err);
	tap_is_str(s, "/a.slice/a-b.slice/a-b-c.slice", "expand a-b-c.slice");
	free(s);
	return tap_done();
}
