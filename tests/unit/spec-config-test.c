/* spec/: config.json parsing, errors, emitting and the default document. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/error.h"
#include "lib/util.h"
#include "spec/config.h"
#include "tests/unit/tap.h"

static char *fixture_path(const char *kind, const char *name)
{
	const char *srcdir = getenv("srcdir");

	return xasprintf("%s/tests/unit/fixtures/%s/%s.json", srcdir ? srcdir : ".", kind, name);
}

static char *read_fixture(const char *kind, const char *name, size_t *len)
{
	_cleanup_free_ char *path = fixture_path(kind, name);
	_cleanup_error_ struct fy_error *err = NULL;
	char *data = NULL;

	if (fy_read_file(path, &data, len, &err) < 0) {
		tap_diag("%s", err->msg);
		return NULL;
	}
	return data;
}

static struct spec_config *parse_fixture(const char *kind, const char *name)
{
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_free_ char *data = NULL;
	struct spec_config *c;
	size_t len = 0;

	data = read_fixture(kind, name, &len);
	if (data == NULL)
		return NULL;
	c = spec_config_parse(data, len, "config.json", &err);
	if (c == NULL)
		tap_diag("%s: %s", name, err->msg);
	return c;
}

static bool strv_contains(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void test_runc_spec(void)
{
	_cleanup_config_ struct spec_config *c = parse_fixture("valid", "runc-spec");

	if (!tap_ok(c != NULL, "runc spec output parses"))
		return;
	tap_is_str(c->oci_version, "1.0.2-dev", "runc: ociVersion");
	tap_ok(c->process->terminal, "runc: terminal is true");
	tap_is_int(c->process->n_args, 1, "runc: one arg");
	tap_is_str(c->process->args[0], "sh", "runc: args[0] is sh");
	tap_ok(c->process->args[1] == NULL, "runc: args is NULL-terminated for execve");
	tap_is_str(c->process->cwd, "/", "runc: cwd");
	tap_is_int(c->process->capabilities->n_bounding, 3, "runc: three bounding capabilities");
	tap_ok(!c->process->capabilities->has_inheritable, "runc: inheritable set absent");
	tap_is_str(c->process->rlimits[0].type, "RLIMIT_NOFILE", "runc: rlimit type");
	tap_is_int(c->process->rlimits[0].soft, 1024, "runc: rlimit soft");
	tap_ok(c->process->no_new_privileges, "runc: noNewPrivileges");
	tap_is_str(c->root->path, "rootfs", "runc: root.path");
	tap_ok(c->root->readonly, "runc: root.readonly");
	tap_is_str(c->hostname, "runc", "runc: hostname");
	tap_is_int(c->n_mounts, 7, "runc: seven mounts");
	tap_is_str(c->mounts[2].destination, "/dev/pts", "runc: mounts[2] is /dev/pts");
	tap_ok(strv_contains(c->mounts[2].options, c->mounts[2].n_options, "gid=5"), "runc: devpts has gid=5");
	tap_is_int(c->linux_->n_namespaces, 5, "runc: five namespaces");
	tap_ok(spec_config_namespace(c, SPEC_NS_NETWORK) != NULL, "runc: network namespace present");
	tap_ok(spec_config_namespace(c, SPEC_NS_USER) == NULL, "runc: no user namespace");
	tap_ok(c->linux_->resources->devices[0].allow == false, "runc: device cgroup denies all");
	tap_is_str(c->linux_->resources->devices[0].access, "rwm", "runc: device cgroup access rwm");
	tap_is_int(c->linux_->n_masked_paths, 10, "runc: ten masked paths");
	tap_is_int(c->linux_->n_readonly_paths, 5, "runc: five read-only paths");
}

static void test_runc_spec_rootless(void)
{
	_cleanup_config_ struct spec_config *c = parse_fixture("valid", "runc-spec-rootless");

	if (!tap_ok(c != NULL, "runc spec --rootless output parses"))
		return;
	tap_ok(spec_config_namespace(c, SPEC_NS_USER) != NULL, "rootless: user namespace");
	tap_ok(spec_config_namespace(c, SPEC_NS_NETWORK) == NULL, "rootless: no network namespace");
	tap_is_int(c->linux_->n_uid_mappings, 1, "rootless: one uid mapping");
	tap_is_int(c->linux_->uid_mappings[0].size, 1, "rootless: uid mapping size 1");
	tap_ok(c->linux_->resources == NULL, "rootless: no resources");
	tap_is_str(c->mounts[5].type, "none", "rootless: /sys is a bind mount");
}

static void test_podman(void)
{
	_cleanup_config_ struct spec_config *c = parse_fixture("valid", "podman");
	const struct spec_namespace *net;

	if (!tap_ok(c != NULL, "podman config parses"))
		return;
	tap_is_str(c->linux_->cgroups_path,
		   "machine.slice:libpod:3f2a8c1d9e7b6a5f4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c",
		   "podman: systemd cgroupsPath");
	tap_is_str(spec_config_annotation(c, "io.container.manager"), "libpod", "podman: manager annotation");
	tap_ok(spec_config_annotation(c, "no.such.annotation") == NULL, "podman: a missing annotation is NULL");
	tap_ok(c->process->user.has_umask && c->process->user.umask == 18, "podman: umask 0022");
	tap_is_int(c->process->user.n_additional_gids, 11, "podman: additional gids");
	tap_is_int(c->process->rlimits[1].hard, 4194304, "podman: RLIMIT_NPROC hard");
	tap_ok(c->process->has_oom_score_adj && c->process->oom_score_adj == 0, "podman: oomScoreAdj 0 is present");
	net = spec_config_namespace(c, SPEC_NS_NETWORK);
	tap_ok(net && net->path && strncmp(net->path, "/run/netns/", 11) == 0, "podman: joins a netns by path");
	tap_is_int(c->hooks->n_stage[SPEC_HOOK_PRESTART], 1, "podman: one prestart hook");
	tap_ok(c->hooks->stage[SPEC_HOOK_POSTSTOP][0].has_timeout &&
		   c->hooks->stage[SPEC_HOOK_POSTSTOP][0].timeout == 10,
	       "podman: poststop hook timeout");
	tap_is_str(c->linux_->seccomp->default_action, "SCMP_ACT_ERRNO", "podman: seccomp default action");
	tap_ok(c->linux_->seccomp->has_default_errno_ret && c->linux_->seccomp->default_errno_ret == 38,
	       "podman: seccomp defaultErrnoRet ENOSYS");
	tap_ok(c->linux_->seccomp->n_syscalls >= 10, "podman: seccomp rules");
	tap_ok(c->linux_->seccomp->syscalls[1].n_names > 250, "podman: hundreds of allowed syscalls");
	tap_is_str(c->linux_->seccomp->syscalls[7].args[0].op, "SCMP_CMP_MASKED_EQ", "podman: clone masked_eq");
	tap_is_int(c->linux_->seccomp->syscalls[7].args[0].value, 2114060288, "podman: clone flag mask");
	tap_is_str(c->linux_->sysctl[0].key, "net.ipv4.ping_group_range", "podman: sysctl key");
	tap_ok(c->linux_->resources->pids->has_limit && c->linux_->resources->pids->limit == 2048,
	       "podman: pids limit");
	tap_ok(!c->linux_->resources->devices[3].has_minor, "podman: device rule without minor (wildcard)");
}

static void test_containerd(void)
{
	_cleanup_config_ struct spec_config *c = parse_fixture("valid", "containerd-cri");
	const struct spec_namespace *ipc;

	if (!tap_ok(c != NULL, "containerd CRI config parses"))
		return;
	tap_ok(strncmp(c->linux_->cgroups_path, "/kubepods/burstable/pod", 23) == 0, "cri: kubepods cgroupsPath");
	tap_is_str(spec_config_annotation(c, "io.kubernetes.cri.container-type"), "container", "cri: container type");
	tap_is_int(c->process->user.uid, 101, "cri: uid");
	tap_is_str(c->process->cwd, "/data", "cri: cwd");
	tap_ok(c->process->has_oom_score_adj && c->process->oom_score_adj == 999, "cri: oomScoreAdj");
	tap_is_str(c->process->apparmor_profile, "cri-containerd.apparmor.d", "cri: apparmor profile");
	ipc = spec_config_namespace(c, SPEC_NS_IPC);
	tap_is_str(ipc ? ipc->path : NULL, "/proc/41873/ns/ipc", "cri: joins the sandbox's ipc namespace");
	tap_ok(c->linux_->resources->memory->has_limit && c->linux_->resources->memory->limit == 268435456,
	       "cri: memory limit");
	tap_ok(c->linux_->resources->cpu->has_quota && c->linux_->resources->cpu->quota == 50000, "cri: cpu quota");
	tap_is_str(c->linux_->resources->hugepage_limits[1].page_size, "1GB", "cri: hugepage size");
	tap_is_int(c->linux_->resources->n_unified, 2, "cri: unified entries");
	tap_is_str(c->mounts[12].options[2], "ro", "cri: service account token mounted ro");
	tap_ok(c->linux_->n_masked_paths == 11 && c->linux_->has_masked_paths, "cri: masked paths");
}

static void test_full(void)
{
	_cleanup_config_ struct spec_config *c = parse_fixture("valid", "full");
	const struct spec_linux *l;

	if (!tap_ok(c != NULL, "a config with every property parses"))
		return;
	l = c->linux_;
	tap_is_int(c->process->user.additional_gids[2], 4294967295U, "full: uint32 max gid");
	tap_ok(c->process->rlimits[0].hard == UINT64_MAX, "full: uint64 max rlimit");
	tap_ok(l->seccomp->syscalls[3].args[0].value == UINT64_MAX, "full: uint64 max seccomp value");
	tap_ok(c->process->capabilities->has_inheritable && c->process->capabilities->n_inheritable == 0,
	       "full: an empty capability set differs from an absent one");
	tap_is_str(c->process->scheduler->policy, "SCHED_DEADLINE", "full: scheduler policy");
	tap_is_int(c->process->scheduler->nice, -20, "full: scheduler nice");
	tap_is_str(c->process->io_priority->class_, "IOPRIO_CLASS_BE", "full: ioPriority class");
	tap_is_str(c->process->exec_cpu_affinity->final, "0-3,7", "full: execCPUAffinity final");
	tap_is_int(c->hooks->n_stage[SPEC_HOOK_CREATE_CONTAINER], 2, "full: two createContainer hooks");
	tap_is_int(c->mounts[1].uid_mappings[0].host_id, 100000, "full: idmapped mount");
	tap_is_int(l->n_namespaces, 8, "full: all eight namespace types");
	tap_is_int(l->namespaces[7].type, SPEC_NS_TIME, "full: time namespace");
	tap_is_str(l->net_devices[0].host_name, "eth1", "full: netDevices key");
	tap_is_str(l->net_devices[0].name, "net1", "full: netDevices name");
	tap_ok(l->net_devices[1].name == NULL, "full: netDevices without name");
	tap_is_str(l->resources->rdma[0].device, "mlx5_1", "full: rdma device");
	tap_is_int(l->resources->block_io->weight_device[0].leaf_weight, 65535, "full: blkio leaf weight");
	tap_is_int(l->resources->block_io->throttle_write_iops_device[0].rate, 500, "full: write iops");
	tap_ok(l->resources->memory->has_disable_oom_killer && !l->resources->memory->disable_oom_killer,
	       "full: disableOOMKiller false is present");
	tap_is_int(l->devices[0].file_mode, 0666, "full: device fileMode");
	tap_ok(!l->devices[1].has_major, "full: a fifo needs no major");
	tap_ok(l->has_readonly_paths && l->n_readonly_paths == 0, "full: empty readonlyPaths is present");
	tap_is_int(l->time_offsets->monotonic->secs, -86400, "full: time offset");
	tap_is_str(l->memory_policy->mode, "MPOL_INTERLEAVE", "full: memory policy");
	tap_is_str(l->intel_rdt->clos_id, "guaranteed", "full: intelRdt closID");
	tap_is_str(l->personality->domain, "LINUX32", "full: personality");
	tap_is_str(spec_config_annotation(c, "com.example/key with space"), "v", "full: annotation with odd key");
}

/* The emitter writes every field the parser reads: the full fixture comes back byte for
 * byte, and every valid fixture survives parse(emit(parse(x))). */
static void test_round_trip(void)
{
	static const char *const names[] = { "runc-spec", "runc-spec-rootless", "podman", "containerd-cri", "full" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		_cleanup_config_ struct spec_config *c = parse_fixture("valid", names[i]);
		_cleanup_config_ struct spec_config *again = NULL;
		_cleanup_error_ struct fy_error *err = NULL;
		_cleanup_free_ char *first = NULL, *second = NULL, *file = NULL;
		size_t len, file_len;

		if (!tap_ok(c != NULL, "%s parses for the round trip", names[i]))
			continue;
		first = spec_config_to_json(c, true, &len);
		again = spec_config_parse(first, len, "emitted", &err);
		if (!tap_ok(again != NULL, "%s: the emitted document parses", names[i])) {
			tap_diag("%s", err->msg);
			continue;
		}
		second = spec_config_to_json(again, true, NULL);
		tap_is_str(second, first, "%s: parse(emit(x)) emits the same document", names[i]);
		file = read_fixture("valid", names[i], &file_len);
		/* runc's own output and the full fixture are in the emitter's key order. */
		if (strcmp(names[i], "podman") != 0 && strcmp(names[i], "containerd-cri") != 0) {
			size_t n = strlen(first);
			tap_ok(file && strncmp(file, first, n - 1) == 0 && file_len >= n - 1,
			       "%s: emitted byte for byte as the fixture", names[i]);
		}
	}
	_cleanup_config_ struct spec_config *compact_src = parse_fixture("valid", "podman");
	_cleanup_free_ char *compact = compact_src ? spec_config_to_json(compact_src, false, NULL) : NULL;
	tap_ok(compact && strchr(compact, '\n') == NULL, "compact output is one line");
}

struct invalid_case {
	const char *fixture;
	const char *message;
};

static const struct invalid_case invalid_cases[] = {
	{ "process-args-string", "config.json: .process.args: expected an array of strings, got a string" },
	{ "process-args-item-number", "config.json: .process.args[1]: expected a string, got 5" },
	{ "memory-limit-string", "config.json: .linux.resources.memory.limit: expected an integer, got \"1G\"" },
	{ "mount-destination-missing", "config.json: .mounts[2].destination: required property missing" },
	{ "namespace-type-unknown", "config.json: .linux.namespaces[0].type: expected one of pid, network, mount, "
				    "ipc, uts, user, cgroup, time, got \"foo\"" },
	{ "oci-version-2", "config.json: .ociVersion: expected a 1.x version, got \"2.0.0\"" },
	{ "oci-version-missing", "config.json: .ociVersion: required property missing" },
	{ "oci-version-number", "config.json: .ociVersion: expected a string, got 1.1" },
	{ "root-path-missing", "config.json: .root.path: required property missing" },
	{ "root-path-null", "config.json: .root.path: expected a string, got null" },
	{ "process-cwd-missing", "config.json: .process.cwd: required property missing" },
	{ "process-cwd-relative", "config.json: .process.cwd: expected an absolute path, got \"tmp\"" },
	{ "process-user-missing", "config.json: .process.user: required property missing" },
	{ "process-user-uid-missing", "config.json: .process.user.uid: required property missing" },
	{ "process-user-uid-negative", "config.json: .process.user.uid: expected an integer in 0..4294967295, got -1" },
	{ "process-user-gid-too-big",
	  "config.json: .process.user.gid: expected an integer in 0..4294967295, got 4294967296" },
	{ "process-terminal-string", "config.json: .process.terminal: expected a boolean, got \"yes\"" },
	{ "process-not-object", "config.json: .process: expected an object, got a string" },
	{ "process-oom-score-adj-overflow",
	  "config.json: .process.oomScoreAdj: expected an integer in -2147483648..2147483647, got 2147483648" },
	{ "rlimit-type-bad",
	  "config.json: .process.rlimits[0].type: expected a name matching RLIMIT_[A-Z]+, got \"NOFILE\"" },
	{ "rlimit-soft-missing", "config.json: .process.rlimits[0].soft: required property missing" },
	{ "rlimit-hard-float", "config.json: .process.rlimits[0].hard: expected an integer, got 1.5" },
	{ "capabilities-bounding-string",
	  "config.json: .process.capabilities.bounding: expected an array of strings, got a string" },
	{ "hook-path-missing", "config.json: .hooks.prestart[0].path: required property missing" },
	{ "hook-path-relative",
	  "config.json: .hooks.createRuntime[0].path: expected an absolute path, got \"bin/hook\"" },
	{ "hook-timeout-zero", "config.json: .hooks.poststop[1].timeout: expected an integer in 1..2147483647, got 0" },
	{ "hooks-stage-not-array", "config.json: .hooks.poststart: expected an array, got an object" },
	{ "namespace-type-missing", "config.json: .linux.namespaces[1].type: required property missing" },
	{ "namespace-duplicate", "config.json: .linux.namespaces[5]: duplicate namespace type \"pid\" (also at [0])" },
	{ "uid-mapping-size-missing", "config.json: .linux.uidMappings[0].size: required property missing" },
	{ "gid-mapping-host-id-string",
	  "config.json: .linux.gidMappings[0].hostID: expected an integer, got \"1000\"" },
	{ "device-type-invalid", "config.json: .linux.devices[0].type: expected one of c, b, u, p, got \"x\"" },
	{ "device-major-missing", "config.json: .linux.devices[0].major: required property missing" },
	{ "device-path-missing", "config.json: .linux.devices[0].path: required property missing" },
	{ "device-file-mode-too-big",
	  "config.json: .linux.devices[0].fileMode: expected an integer in 0..511, got 4095" },
	{ "device-cgroup-allow-missing", "config.json: .linux.resources.devices[0].allow: required property missing" },
	{ "device-cgroup-access-bad",
	  "config.json: .linux.resources.devices[0].access: expected a combination of r, w and m, got \"rwx\"" },
	{ "pids-limit-missing", "config.json: .linux.resources.pids.limit: required property missing" },
	{ "cpu-shares-float", "config.json: .linux.resources.cpu.shares: expected an integer, got 1.5" },
	{ "cpu-quota-overflow", "config.json: .linux.resources.cpu.quota: expected an integer in "
				"-9223372036854775808..9223372036854775807, got 9223372036854775808" },
	{ "blkio-weight-too-big",
	  "config.json: .linux.resources.blockIO.weight: expected an integer in 0..65535, got 65536" },
	{ "hugepage-page-size-missing",
	  "config.json: .linux.resources.hugepageLimits[0].pageSize: required property missing" },
	{ "seccomp-default-action-missing", "config.json: .linux.seccomp.defaultAction: required property missing" },
	{ "seccomp-action-unknown",
	  "config.json: .linux.seccomp.syscalls[0].action: expected one of SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "
	  "SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, SCMP_ACT_ALLOW, SCMP_ACT_LOG, "
	  "SCMP_ACT_NOTIFY, got \"SCMP_ACT_BOGUS\"" },
	{ "seccomp-names-empty",
	  "config.json: .linux.seccomp.syscalls[0].names: expected a non-empty array of strings, got an array" },
	{ "seccomp-arch-unknown",
	  "config.json: .linux.seccomp.architectures[1]: expected one of SCMP_ARCH_X86, SCMP_ARCH_X86_64, "
	  "SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64, SCMP_ARCH_LOONGARCH64, SCMP_ARCH_M68K, SCMP_ARCH_MIPS, "
	  "SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, "
	  "SCMP_ARCH_PPC, SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_SH, "
	  "SCMP_ARCH_SHEB, SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64, got \"SCMP_ARCH_Z80\"" },
	{ "seccomp-arg-op-missing", "config.json: .linux.seccomp.syscalls[0].args[0].op: required property missing" },
	{ "rootfs-propagation-bad", "config.json: .linux.rootfsPropagation: expected one of private, shared, slave, "
				    "unbindable, got \"rshared\"" },
	{ "mounts-not-array", "config.json: .mounts: expected an array, got an object" },
	{ "mount-options-item-number", "config.json: .mounts[1].options[1]: expected a string, got 5" },
	{ "hostname-number", "config.json: .hostname: expected a string, got 42" },
	{ "annotation-not-string", "config.json: .annotations[\"org.example.count\"]: expected a string, got 3" },
	{ "sysctl-not-object", "config.json: .linux.sysctl: expected an object, got an array" },
	{ "net-device-not-object", "config.json: .linux.netDevices.eth0: expected an object, got a string" },
	{ "time-offset-nanosecs-negative",
	  "config.json: .linux.timeOffsets.monotonic.nanosecs: expected an integer in 0..4294967295, got -1" },
	{ "scheduler-policy-missing", "config.json: .process.scheduler.policy: required property missing" },
	{ "io-priority-class-bad", "config.json: .process.ioPriority.class: expected one of IOPRIO_CLASS_RT, "
				   "IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE, got \"IOPRIO_CLASS_NONE\"" },
	{ "console-size-width-missing", "config.json: .process.consoleSize.width: required property missing" },
	{ "additional-gids-item-negative",
	  "config.json: .process.user.additionalGids[1]: expected an integer in 0..4294967295, got -5" },
	{ "invalid-json-truncated", "config.json: invalid JSON: parse error: premature EOF" },
	{ "invalid-json-trailing-garbage", "config.json: invalid JSON: parse error: trailing garbage" },
	{ "invalid-json-bare-word", "config.json: invalid JSON: lexical error: invalid char in json text." },
	{ "top-level-array", "config.json: expected an object at the top level, got an array" },
	{ "empty", "config.json: invalid JSON: parse error: premature EOF" },
};

static void test_invalid(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(invalid_cases); i++) {
		const struct invalid_case *t = &invalid_cases[i];
		_cleanup_error_ struct fy_error *err = NULL;
		_cleanup_free_ char *data = NULL;
		struct spec_config *c;
		size_t len = 0;

		data = read_fixture("invalid", t->fixture, &len);
		if (!tap_ok(data != NULL, "invalid/%s.json exists", t->fixture))
			continue;
		c = spec_config_parse(data, len, "config.json", &err);
		tap_ok(c == NULL, "invalid/%s is refused", t->fixture);
		spec_config_free(c);
		tap_is_str(err ? err->msg : NULL, t->message, "invalid/%s: the message names path and expectation",
			   t->fixture);
	}
}

static void test_unknown_properties_ignored(void)
{
	static const char json[] = "{\"ociVersion\":\"1.2.0\",\"vendor.example\":{\"x\":[1,2]},"
				   "\"process\":{\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"futureField\":7},"
				   "\"windows\":{\"layerFolders\":[]},\"linux\":{\"namespaces\":null}}";
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_config_ struct spec_config *c = spec_config_parse(json, strlen(json), "config.json", &err);

	tap_ok(c != NULL, "unknown properties and other platforms' sections are ignored");
	tap_ok(c && c->linux_ && c->linux_->namespaces == NULL, "a null array is an absent one");
}

static void test_default_spec(void)
{
	_cleanup_config_ struct spec_config *def = spec_config_default(false, 0, 0);
	_cleanup_config_ struct spec_config *runc = parse_fixture("valid", "runc-spec");
	_cleanup_config_ struct spec_config *back = NULL;
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_free_ char *json = NULL, *runc_json = NULL;
	size_t len;

	json = spec_config_to_json(def, true, &len);
	back = spec_config_parse(json, len, "config.json", &err);
	tap_ok(back != NULL, "the default spec parses back");
	if (runc == NULL || back == NULL)
		return;
	/* runc's document with our version and hostname is ours, byte for byte. */
	free(runc->oci_version);
	runc->oci_version = xstrdup(FY_SPEC_VERSION);
	free(runc->hostname);
	runc->hostname = xstrdup("foundry");
	runc_json = spec_config_to_json(runc, true, NULL);
	tap_is_str(json, runc_json, "the default spec is runc's");
}

static void test_default_rootless(void)
{
	_cleanup_config_ struct spec_config *def = spec_config_default(true, 1000, 1001);
	_cleanup_config_ struct spec_config *runc = parse_fixture("valid", "runc-spec-rootless");
	_cleanup_free_ char *json = NULL, *runc_json = NULL;

	tap_ok(spec_config_namespace(def, SPEC_NS_USER) != NULL, "rootless default: user namespace");
	tap_ok(spec_config_namespace(def, SPEC_NS_NETWORK) == NULL, "rootless default: no network namespace");
	tap_is_int(def->linux_->uid_mappings[0].host_id, 1000, "rootless default: maps the caller's uid");
	tap_is_int(def->linux_->gid_mappings[0].host_id, 1001, "rootless default: maps the caller's gid");
	tap_ok(!strv_contains(def->mounts[2].options, def->mounts[2].n_options, "gid=5"), "rootless default: no gid=5");
	if (runc == NULL)
		return;
	/* The fixture was written by root: runc mapped uid and gid 0. */
	def->linux_->uid_mappings[0].host_id = 0;
	def->linux_->gid_mappings[0].host_id = 0;
	free(runc->oci_version);
	runc->oci_version = xstrdup(FY_SPEC_VERSION);
	free(runc->hostname);
	runc->hostname = xstrdup("foundry");
	json = spec_config_to_json(def, true, NULL);
	runc_json = spec_config_to_json(runc, true, NULL);
	tap_is_str(json, runc_json, "the rootless default spec is runc's");
}

static void test_load_and_write(void)
{
	char dir[] = "/tmp/foundry-spec-test.XXXXXX";
	_cleanup_config_ struct spec_config *def = spec_config_default(false, 0, 0);
	_cleanup_config_ struct spec_config *loaded = NULL;
	_cleanup_error_ struct fy_error *err = NULL;
	_cleanup_free_ char *path = NULL;

	if (!tap_ok(mkdtemp(dir) != NULL, "make a bundle directory"))
		return;
	path = xasprintf("%s/config.json", dir);
	loaded = spec_config_load(dir, &err);
	tap_ok(loaded == NULL && err && strstr(err->msg, "config.json") && err->errnum == ENOENT,
	       "loading a bundle without config.json fails naming the file");
	fy_error_free(&err);
	tap_is_int(spec_config_write_new(dir, def, &err), 0, "write the default config.json");
	loaded = spec_config_load(dir, &err);
	tap_ok(loaded && loaded->process && strcmp(loaded->process->args[0], "sh") == 0,
	       "load it back from the bundle");
	tap_is_int(spec_config_write_new(dir, def, &err), -1, "writing again is refused");
	tap_is_str(err ? err->msg : NULL, "File config.json exists. Remove it first", "with runc's message");
	unlink(path);
	tap_ok(rmdir(dir) == 0, "clean up the bundle directory");
}

int main(void)
{
	test_runc_spec();
	test_runc_spec_rootless();
	test_podman();
	test_containerd();
	test_full();
	test_round_trip();
	test_invalid();
	test_unknown_properties_ignored();
	test_default_spec();
	test_default_rootless();
	test_load_and_write();
	return tap_done();
}
