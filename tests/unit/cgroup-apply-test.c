/* cgroup_create / update / pids / stats / destroy against a temp dir standing in for
 * /sys/fs/cgroup, for v2, v1 and hybrid layouts.  The temp dir is a plain file system,
 * so each test makes the files the kernel would provide before the manager writes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cgroup.h"
#include "lib/error.h"
#include "lib/util.h"
#include "tests/unit/tap.h"

static char root[256];

static void put(const char *rel, const char *content)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	fy_mkdir_p(path, 0755, NULL);
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static char *get(const char *rel)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, rel);
	char *data = NULL;
	size_t len = 0;
	if (fy_read_file(path, &data, &len, NULL) < 0)
		return NULL;
	return data;
}

static void is_file(const char *rel, const char *want, const char *what)
{
	_cleanup_free_ char *got = get(rel);
	tap_is_str(got, want, "%s (%s)", what, rel);
}

static bool exists(const char *rel)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, rel);
	return access(path, F_OK) == 0;
}

static void rm_rf(const char *path)
{
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", path);
}

static void new_root(void)
{
	if (root[0])
		rm_rf(root);
	snprintf(root, sizeof(root), "/tmp/foundry-cgroup-test-XXXXXX");
	if (mkdtemp(root) == NULL)
		abort();
	/* The layout probe caches per root: each test gets a new root, probed after its files exist. */
}

/* The files the fake v2 leaf holds before create (the kernel would make them). */
static const char *const v2_leaf_files[] = { "memory.max", "memory.swap.max", "cpu.max", "pids.max", "cgroup.procs" };

static struct fy_cgroup *test_v2_create(void)
{
	static struct spec_memory mem = { .has_limit = true, .limit = 1 << 20, .has_swap = true, .swap = 2 << 20 };
	static struct spec_cpu cpu = { .has_quota = true, .quota = 20000, .has_period = true, .period = 100000 };
	static struct spec_pids pids = { .has_limit = true, .limit = 16 };
	static struct spec_resources res = { .memory = &mem, .cpu = &cpu, .pids = &pids };
	struct cgroup_config cfg = { .id = "web", .resources = &res };
	struct fy_error *err = NULL;

	new_root();
	cfg.fs_root = root;
	put("cgroup.controllers", "cpuset cpu io memory pids\n");
	put("cgroup.subtree_control", "");
	put("foundry/cgroup.controllers", "cpuset cpu io memory pids\n");
	put("foundry/cgroup.subtree_control", "");
	for (size_t i = 0; i < ARRAY_SIZE(v2_leaf_files); i++) {
		_cleanup_free_ char *rel = xasprintf("foundry/web/%s", v2_leaf_files[i]);
		put(rel, "");
	}
	tap_is_int(cgroup_detect_layout(root), CGROUP_LAYOUT_V2, "v2: detected from <root>/cgroup.controllers");

	struct fy_cgroup *cg = cgroup_create(&cfg, &err);
	tap_ok(cg != NULL, "v2: create %s", err ? err->msg : "");
	fy_error_free(&err);
	if (cg == NULL)
		return NULL;
	tap_is_str(cgroup_path(cg), "/foundry/web", "v2: default path");
	tap_is_str(cgroup_manager_name(cg), "cgroupfs", "v2: manager recorded");
	is_file("cgroup.subtree_control", "+cpuset +cpu +io +memory +pids", "v2: controllers enabled in the root");
	is_file("foundry/cgroup.subtree_control", "+cpuset +cpu +io +memory +pids", "v2: and in the parent");
	is_file("foundry/web/memory.max", "1048576", "v2: memory.max");
	is_file("foundry/web/memory.swap.max", "1048576", "v2: memory.swap.max");
	is_file("foundry/web/cpu.max", "20000 100000", "v2: cpu.max");
	is_file("foundry/web/pids.max", "16", "v2: pids.max");
	tap_ok(cgroup_clone_fd(cg) >= 0, "v2: a clone fd for CLONE_INTO_CGROUP");
	return cg;
}

static void test_v2_update(struct fy_cgroup *cg)
{
	struct fy_error *err = NULL;
	struct spec_pids newpids = { .has_limit = true, .limit = 64 };
	struct spec_resources upd = { .pids = &newpids };
	tap_ok(cgroup_update(cg, &upd, &err) == 0, "v2: update");
	fy_error_free(&err);
	is_file("foundry/web/pids.max", "64", "v2: update rewrote pids.max");

	struct spec_memory check = {
		.has_limit = true, .limit = 1000, .has_check_before_update = true, .check_before_update = true
	};
	struct spec_resources upd2 = { .memory = &check };
	put("foundry/web/memory.current", "5000\n");
	int r = cgroup_update(cg, &upd2, &err);
	tap_ok(r < 0 && strstr(err->msg, "checkBeforeUpdate"),
	       "v2: checkBeforeUpdate refuses a limit below the usage (%s)", err ? err->msg : "");
	fy_error_free(&err);
	is_file("foundry/web/memory.max", "1048576", "v2: memory.max unchanged after the refusal");

	struct spec_hugepage_limit huge = { .page_size = "2MB", .limit = 1 };
	struct spec_resources upd3 = { .hugepage_limits = &huge, .n_hugepage_limits = 1 };
	r = cgroup_update(cg, &upd3, &err);
	tap_ok(r < 0 && strstr(err->msg, "hugetlb controller is not available"),
	       "v2: a controller the host lacks is named (%s)", err ? err->msg : "");
	fy_error_free(&err);
}

static void test_v2_pids_and_stats(struct fy_cgroup *cg)
{
	struct fy_error *err = NULL;

	put("foundry/web/cgroup.procs", "42\n7\n");
	put("foundry/web/sub/cgroup.procs", "9\n42\n");
	pid_t *list = NULL;
	size_t n = 0;
	tap_ok(cgroup_pids(cg, &list, &n, &err) == 0 && n == 3 && list[0] == 7 && list[1] == 9 && list[2] == 42,
	       "v2: pids of the cgroup and its sub-cgroups, sorted and unique");
	free(list);

	put("foundry/web/cpu.stat",
	    "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 10\nnr_throttled 4\nthrottled_usec 200\n");
	put("foundry/web/memory.current", "4096\n");
	put("foundry/web/memory.max", "max\n");
	put("foundry/web/pids.current", "3\n");
	put("foundry/web/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
	char *json = cgroup_stats_json(cg, &err);
	tap_ok(json && strstr(json, "\"total\":1500000") && strstr(json, "\"throttledPeriods\":4") &&
		   strstr(json, "\"limit\":18446744073709551615") && strstr(json, "\"pids\":{\"current\":3") &&
		   strstr(json, "\"op\":\"Write\",\"value\":200"),
	       "v2: stats in runc's shape: %s", json ? json : err->msg);
	free(json);
}

static void test_v2_load_and_destroy(void)
{
	struct fy_error *err = NULL;

	/* A later command rebuilds the handle from state.json's manager and path. */
	struct fy_cgroup *cg = cgroup_load(root, "cgroupfs", "/foundry/web", &err);
	tap_ok(cg != NULL && strcmp(cgroup_path(cg), "/foundry/web") == 0, "v2: load from the recorded path");
	tap_ok(cgroup_load(root, "cgroupfs", "/foundry/../..", &err) == NULL, "v2: load refuses a path with ..");
	fy_error_free(&err);
	/* Destroy: the fake leaf holds regular files the kernel would not have. */
	_cleanup_free_ char *sub = xasprintf("%s/foundry/web/sub", root);
	rm_rf(sub);
	for (size_t i = 0; i < ARRAY_SIZE(v2_leaf_files); i++) {
		_cleanup_free_ char *path = xasprintf("%s/foundry/web/%s", root, v2_leaf_files[i]);
		unlink(path);
	}
	static const char *const extra[] = { "memory.current", "cpu.stat", "pids.current", "io.stat" };
	for (size_t i = 0; i < ARRAY_SIZE(extra); i++) {
		_cleanup_free_ char *path = xasprintf("%s/foundry/web/%s", root, extra[i]);
		unlink(path);
	}
	tap_ok(cgroup_destroy(cg, &err) == 0 && !exists("foundry/web"), "v2: destroy removes the leaf");
	tap_ok(cgroup_destroy(cg, &err) == 0, "v2: destroying again is not an error");
	fy_error_free(&err);
	cgroup_free(cg);
}

static void test_v2(void)
{
	struct fy_cgroup *cg = test_v2_create();
	if (cg == NULL)
		return;
	test_v2_update(cg);
	test_v2_pids_and_stats(cg);
	cgroup_free(cg);
	test_v2_load_and_destroy();
}

static void test_v2_errors(void)
{
	struct spec_cpu cpu = { .has_idle = true, .idle = 1 };
	struct spec_resources res = { .cpu = &cpu };
	struct cgroup_config cfg = { .id = "bad", .cgroups_path = "/a/b/c", .resources = &res };
	struct fy_error *err = NULL;

	new_root();
	cfg.fs_root = root;
	put("cgroup.controllers", "cpu memory pids\n");
	struct fy_cgroup *cg = cgroup_create(&cfg, &err);
	tap_ok(cg == NULL && err && strstr(err->msg, "linux.resources.cpu.idle") && strstr(err->msg, "/a/b/c/cpu.idle"),
	       "v2: a value the host cannot apply names the resource and the file (%s)", err ? err->msg : "");
	fy_error_free(&err);
	tap_ok(!exists("a"), "v2: a failed create removes the directories it made");
	cgroup_free(cg);

	cfg = (struct cgroup_config){ .fs_root = root, .manager = "systemd", .id = "web" };
	cg = cgroup_create(&cfg, &err);
	tap_ok(cg && strcmp(cgroup_path(cg), "/system.slice/foundry-web.scope") == 0 &&
		   strcmp(cgroup_manager_name(cg), "systemd") == 0,
	       "systemd manager maps to the cgroupfs path and is recorded");
	tap_ok(exists("system.slice/foundry-web.scope"), "systemd: the cgroupfs directory exists");
	fy_error_free(&err);
	if (cg)
		cgroup_destroy(cg, NULL);
	cgroup_free(cg);

	cfg = (struct cgroup_config){ .fs_root = root, .manager = "disabled", .id = "web", .resources = &res };
	cg = cgroup_create(&cfg, &err);
	pid_t *pids = NULL;
	size_t n;
	tap_ok(cg && cgroup_clone_fd(cg) < 0 && cgroup_enter(cg, 1, &err) == 0 && cgroup_destroy(cg, &err) == 0,
	       "disabled: create, enter and destroy do nothing");
	tap_ok(cg && cgroup_pids(cg, &pids, &n, &err) < 0, "disabled: ps has no cgroup to read");
	fy_error_free(&err);
	cgroup_free(cg);
}

static void test_v1_and_hybrid(bool hybrid)
{
	const char *what = hybrid ? "hybrid" : "v1";
	struct spec_memory mem = { .has_limit = true, .limit = 1 << 20 };
	struct spec_cpu cpu = { .has_shares = true, .shares = 512, .cpus = "0" };
	struct spec_hugepage_limit huge = { .page_size = "2MB", .limit = 2 << 20 };
	struct spec_device_cgroup dev[] = { { .allow = false, .access = "rwm" } };
	struct spec_resources res = { .memory = &mem, .cpu = &cpu, .devices = dev, .n_devices = 1 };
	struct cgroup_config cfg = { .id = "db", .cgroups_path = "pods/db", .resources = &res };
	struct fy_error *err = NULL;

	new_root();
	cfg.fs_root = root;
	static const char *const ctrls[] = { "memory", "cpu", "cpuset", "devices", "freezer", "pids" };
	for (size_t i = 0; i < ARRAY_SIZE(ctrls); i++) {
		_cleanup_free_ char *rel = xasprintf("%s/cgroup.procs", ctrls[i]);
		put(rel, "");
	}
	put("cpuset/cpuset.cpus", "0-3\n");
	put("cpuset/cpuset.mems", "0\n");
	put("cpuset/pods/cpuset.cpus", "");
	put("cpuset/pods/cpuset.mems", "");
	put("cpuset/pods/db/cpuset.cpus", "");
	put("cpuset/pods/db/cpuset.mems", "");
	put("memory/pods/db/memory.limit_in_bytes", "");
	put("cpu/pods/db/cpu.shares", "");
	put("devices/pods/db/devices.deny", "");
	put("devices/pods/db/devices.allow", "");
	if (hybrid) {
		res.hugepage_limits = &huge;
		res.n_hugepage_limits = 1;
		put("unified/cgroup.controllers", "hugetlb\n");
		put("unified/cgroup.subtree_control", "");
		put("unified/pods/cgroup.controllers", "hugetlb\n");
		put("unified/pods/cgroup.subtree_control", "");
		put("unified/pods/db/hugetlb.2MB.max", "");
	}
	tap_is_int(cgroup_detect_layout(root), hybrid ? CGROUP_LAYOUT_HYBRID : CGROUP_LAYOUT_V1, "%s: layout detected",
		   what);
	struct fy_cgroup *cg = cgroup_create(&cfg, &err);
	tap_ok(cg != NULL, "%s: create %s", what, err ? err->msg : "");
	fy_error_free(&err);
	if (cg == NULL)
		return;
	tap_is_str(cgroup_path(cg), "/pods/db", "%s: a relative path is taken from the root", what);
	is_file("memory/pods/db/memory.limit_in_bytes", "1048576", "v1 memory limit");
	is_file("cpu/pods/db/cpu.shares", "512", "v1 cpu.shares");
	is_file("cpuset/pods/cpuset.mems", "0", "v1 cpuset: mems copied down to the parent");
	is_file("cpuset/pods/db/cpuset.cpus", "0", "v1 cpuset: the configured cpus");
	is_file("cpuset/pods/db/cpuset.mems", "0", "v1 cpuset: mems inherited");
	is_file("devices/pods/db/devices.deny", "a *:* rwm", "v1 devices.deny");
	/* The fake file keeps only the last write: the default allows come after. */
	is_file("devices/pods/db/devices.allow", "c 5:1 rwm", "v1 devices.allow: the defaults follow the rules");
	tap_ok(exists("freezer/pods/db") && exists("pids/pods/db"), "%s: a directory in every mounted controller",
	       what);
	tap_is_int(cgroup_clone_fd(cg), -1, "%s: no clone fd, the caller uses cgroup_enter", what);
	if (hybrid) {
		is_file("unified/pods/db/hugetlb.2MB.max", "2097152", "hybrid: hugetlb on the v2 side");
		is_file("unified/cgroup.subtree_control", "+hugetlb", "hybrid: hugetlb enabled on the v2 side");
	}
	put("freezer/pods/db/freezer.state", "THAWED\n");
	bool frozen = true;
	tap_ok(cgroup_is_frozen(cg, &frozen, &err) == 0 && !frozen, "%s: freezer.state read", what);
	fy_error_free(&err);
	cgroup_free(cg);
}

int main(void)
{
	test_v2();
	test_v2_errors();
	test_v1_and_hybrid(false);
	test_v1_and_hybrid(true);
	if (root[0])
		rm_rf(root);
	return tap_done();
}
