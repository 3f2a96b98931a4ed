/* The mount plan (lib/mounts.c): config.json mounts -> mount(2) calls, without root. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/error.h"
#include "lib/mounts.h"
#include "lib/util.h"
#include "spec/config.h"
#include "tests/unit/tap.h"

static struct spec_config *parse(const char *json)
{
	_cleanup_error_ struct fy_error *err = NULL;
	struct spec_config *c = spec_config_parse(json, strlen(json), "config.json", &err);
	if (c == NULL)
		tap_diag("parse failed: %s", err->msg);
	return c;
}

static void test_options(void)
{
	char *opts[] = { "nosuid", "noexec", "nodev", "relatime", "ro", "mode=755", "size=65536k", "rshared", NULL };
	struct mount_step step = { 0 };
	_cleanup_error_ struct fy_error *err = NULL;

	tap_is_int(mount_options_parse(opts, 8, &step, &err), 0, "options parse");
	tap_is_int(step.flags, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY,
		   "flag words become MS_* flags");
	tap_is_str(step.data, "mode=755,size=65536k", "other words go to the filesystem, in order");
	tap_is_int(step.n_propagation, 1, "one propagation option");
	tap_is_int(step.propagation[0], MS_SHARED | MS_REC, "rshared is MS_SHARED|MS_REC");
	free(step.data);

	char *rw[] = { "ro", "rw", "suid", NULL };
	struct mount_step later = { 0 };
	mount_options_parse(rw, 3, &later, &err);
	tap_is_int(later.flags & MS_RDONLY, 0, "a later rw clears an earlier ro");
	tap_ok((later.clear & MS_NOSUID) != 0, "suid is remembered as cleared");
}

static void test_recursive_options(void)
{
	char *opts[] = { "rbind", "rro", "rnosuid", "rnoatime", "rexec", NULL };
	struct mount_step step = { 0 };
	_cleanup_error_ struct fy_error *err = NULL;

	tap_is_int(mount_options_parse(opts, 5, &step, &err), 0, "recursive options parse");
	tap_is_int(step.rec_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME,
		   "rro, rnosuid and rnoatime are set on the whole tree");
	tap_ok((step.rec_clear & MOUNT_ATTR__ATIME) == MOUNT_ATTR__ATIME, "an atime mode replaces the others");
	tap_ok((step.rec_clear & MOUNT_ATTR_NOEXEC) != 0, "rexec clears noexec on the whole tree");
	tap_is_int(step.flags & MS_RDONLY, 0, "rro is not the plain ro flag");
	tap_ok(step.data == NULL, "none of them reaches the filesystem");

	char *idmap[] = { "idmap", NULL };
	struct mount_step refused = { 0 };
	tap_is_int(mount_options_parse(idmap, 1, &refused, &err), -1, "idmap is refused, not ignored");
	tap_is_str(err ? err->msg : NULL, "option \"idmap\": idmapped mounts are not supported yet", "and says why");
}

static void test_plan(void)
{
	_cleanup_config_ struct spec_config *c =
	    parse("{\"ociVersion\":\"1.3.0\",\"mounts\":["
		  "{\"destination\":\"/data\",\"type\":\"bind\",\"source\":\"data\",\"options\":[\"rbind\",\"ro\"]},"
		  "{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\"]},"
		  "{\"destination\":\"/x\",\"source\":\"/host/x\",\"options\":[\"bind\"]}]}");
	struct mount_plan plan;
	_cleanup_error_ struct fy_error *err = NULL;

	tap_is_int(mount_plan_build(c, "/bundles/web", &plan, &err), 0, "a plan is built");
	tap_is_int(plan.n_steps, 3, "one step per mount");
	tap_is_str(plan.steps[0].source, "/bundles/web/data", "a relative bind source is relative to the bundle");
	tap_ok(plan.steps[0].bind && (plan.steps[0].flags & MS_REC), "rbind is a recursive bind");
	tap_ok(plan.steps[0].remount_bind, "a read-only bind needs a remount");
	tap_ok(!plan.steps[2].remount_bind, "a plain bind needs no remount");
	tap_ok(plan.steps[2].bind, "the bind option alone makes a bind mount, with no type");
	tap_is_str(plan.steps[1].type, "tmpfs", "a typed mount keeps its type");
	tap_ok(!plan.steps[1].bind, "tmpfs is not a bind");
	mount_plan_free(&plan);
}

static void test_errors(void)
{
	struct {
		const char *json;
		const char *message;
	} cases[] = {
		{ "{\"ociVersion\":\"1.3.0\",\"mounts\":[{\"destination\":\"/a\",\"type\":\"tmpfs\"},"
		  "{\"destination\":\"/b\",\"options\":[\"ro\"]}]}",
		  "config.json: .mounts[1]: mount of \"/b\": type is required unless it is a bind mount" },
		{ "{\"ociVersion\":\"1.3.0\",\"mounts\":[{\"destination\":\"/b\",\"type\":\"bind\"}]}",
		  "config.json: .mounts[0]: bind mount of \"/b\": source is required" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_config_ struct spec_config *c = parse(cases[i].json);
		_cleanup_error_ struct fy_error *err = NULL;
		struct mount_plan plan;
		if (c == NULL) {
			tap_ok(0, "fixture %zu parses", i);
			continue;
		}
		tap_is_int(mount_plan_build(c, "/b", &plan, &err), -1, "case %zu is refused", i);
		tap_is_str(err ? err->msg : NULL, cases[i].message, "case %zu names the mount", i);
		mount_plan_free(&plan);
	}
}

int main(void)
{
	test_options();
	test_recursive_options();
	test_plan();
	test_errors();
	return tap_done();
}
