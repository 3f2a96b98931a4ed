#!/usr/bin/env bats
# config.md "process" capabilities and noNewPrivileges, config-linux.md "Seccomp", "Sysctl",
# "Personality", "Memory policy", process.scheduler / ioPriority / execCPUAffinity and the
# LSM fields: what the container's process sees.  Also the CVE-2022-29162 class (a process
# gaining capabilities through an inheritable set it was not given).

load helpers

setup() {
	setup_bundle
}

teardown() {
	if [[ -n ${AGENT_PID:-} ]]; then
		kill "$AGENT_PID" 2>/dev/null || true
		fy_wait_gone "$AGENT_PID" || true
	fi
	teardown_bundle
}

# Capability bits (capabilities(7) numbers).
CAP_CHOWN=$((1 << 0))
CAP_KILL=$((1 << 5))
CAP_NET_BIND_SERVICE=$((1 << 10))
CAP_NET_ADMIN=$((1 << 12))
CAP_NET_RAW=$((1 << 13))
CAP_AUDIT_WRITE=$((1 << 29))

# The field NAME of /proc/self/status as the container printed it (in $stdout).
status_field() {
	awk -v f="$1:" '$1 == f { print $2 }' <<<"$stdout"
}

# Fails unless the hex mask of /proc/self/status field NAME equals the number WANT.
assert_caps() {
	local got
	got=$(status_field "$1")
	if [[ -z $got ]] || (((16#$got) != $2)); then
		printf '%s: got %s, want %016x\n' "$1" "${got:-nothing}" "$2" >&2
		return 1
	fi
}

# All five sets, as a jq object, from the same list of names.
caps_json() {
	jq -cn '$ARGS.positional as $c | {bounding: $c, effective: $c, permitted: $c, inheritable: $c, ambient: $c}' \
		--args -- "$@"
}

set_seccomp() {
	update_config '.linux.seccomp = $s' --argjson s "$1"
}

# ---- capabilities ------------------------------------------------------------------

@test "capabilities: a root process gets exactly the bounding set, and the configured inheritable and ambient sets" {
	update_config '.process.capabilities = {
		bounding: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
		effective: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
		permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"],
		inheritable: ["CAP_NET_BIND_SERVICE"],
		ambient: ["CAP_NET_BIND_SERVICE"]}'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	local all=$((CAP_CHOWN | CAP_KILL | CAP_NET_BIND_SERVICE | CAP_AUDIT_WRITE))
	assert_caps CapBnd "$all"
	assert_caps CapPrm "$all"
	assert_caps CapEff "$all"
	assert_caps CapInh "$CAP_NET_BIND_SERVICE"
	assert_caps CapAmb "$CAP_NET_BIND_SERVICE"
}

@test "capabilities: a non-root process keeps its ambient capabilities across execve" {
	update_config '.process.user = {uid: 1000, gid: 1000}
		| .process.capabilities = {
		bounding: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		effective: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		permitted: ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
		inheritable: ["CAP_NET_BIND_SERVICE"],
		ambient: ["CAP_NET_BIND_SERVICE"]}'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_caps CapBnd $((CAP_KILL | CAP_NET_BIND_SERVICE))
	# capabilities(7): at execve a non-root process without file capabilities gets its
	# ambient set as permitted and effective.
	assert_caps CapPrm "$CAP_NET_BIND_SERVICE"
	assert_caps CapEff "$CAP_NET_BIND_SERVICE"
	assert_caps CapInh "$CAP_NET_BIND_SERVICE"
	assert_caps CapAmb "$CAP_NET_BIND_SERVICE"
}

@test "capabilities: empty sets leave a root process with nothing" {
	update_config '.process.capabilities = {bounding: [], effective: [], permitted: [], inheritable: [], ambient: []}'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_caps CapBnd 0
	assert_caps CapPrm 0
	assert_caps CapEff 0
	assert_caps CapInh 0
	assert_caps CapAmb 0
}

@test "capabilities: an unknown capability is a warning, not a failure" {
	update_config '.process.capabilities.bounding += ["CAP_NOT_A_CAPABILITY"]
		| .process.capabilities.effective += ["CAP_NOT_A_CAPABILITY"]'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_caps CapBnd $((CAP_KILL | CAP_NET_BIND_SERVICE | CAP_AUDIT_WRITE))
	if fy_is_foundry; then
		assert_contains "$(cat "$FY_LOG")" 'unknown capability "CAP_NOT_A_CAPABILITY", ignored'
	fi
}

@test "capabilities: noNewPrivileges true and false reach the process" {
	update_config '.process.noNewPrivileges = true'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(status_field NoNewPrivs)" = 1 ]

	update_config '.process.noNewPrivileges = false'
	foundry run --bundle "$BUNDLE" ct2
	assert_status 0
	[ "$(status_field NoNewPrivs)" = 0 ]
}

# ---- CVE-2022-29162 class --------------------------------------------------------------

# A copy of busybox with file capabilities: file-inheritable CAP_NET_RAW and CAP_NET_ADMIN
# with the effective bit.  A process whose inheritable set holds one of them gains it in
# its permitted set by executing this file (capabilities(7), "Transformation of
# capabilities during execve"), even as a non-root user.
install_fcaps_busybox() {
	cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/busybox-fcaps"
	setcap cap_net_raw,cap_net_admin+ei "$ROOTFS/bin/busybox-fcaps"
	getcap "$ROOTFS/bin/busybox-fcaps" | grep -q cap_net
}

fcaps_config() {
	update_config '.process.user = {uid: 1000, gid: 1000}
		| .process.noNewPrivileges = false
		| .process.capabilities = {
			bounding: ["CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_KILL"],
			effective: ["CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_KILL"],
			permitted: ["CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_KILL"],
			inheritable: $inh, ambient: []}' --argjson inh "$1"
}

@test "CVE-2022-29162: an empty inheritable set gives nothing through a file's inheritable capabilities" {
	install_fcaps_busybox
	fcaps_config '[]'
	set_args /bin/busybox-fcaps cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_caps CapInh 0
	assert_caps CapAmb 0
	assert_caps CapPrm 0
	assert_caps CapEff 0
}

# The control for the test above: the same file does grant what the inheritable set
# holds, so the probe would see a runtime that leaked a full inheritable set.
@test "CVE-2022-29162: a configured inheritable capability is what the file can grant, and only that" {
	install_fcaps_busybox
	fcaps_config '["CAP_NET_RAW"]'
	set_args /bin/busybox-fcaps cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_caps CapInh "$CAP_NET_RAW"
	assert_caps CapPrm "$CAP_NET_RAW"
	assert_caps CapEff "$CAP_NET_RAW"
	assert_caps CapAmb 0
}

@test "CVE-2022-29162: a process started by exec gets no inheritable capabilities it was not given" {
	install_fcaps_busybox
	fcaps_config '[]'
	set_args sleep 100
	foundry run -d --bundle "$BUNDLE" ct
	assert_status 0
	foundry exec --user 1000:1000 ct /bin/busybox-fcaps cat /proc/self/status
	assert_status 0
	assert_caps CapInh 0
	assert_caps CapAmb 0
	assert_caps CapPrm 0
	assert_caps CapEff 0
	foundry kill ct KILL
	wait_for_status ct stopped
}

# ---- seccomp -------------------------------------------------------------------------

@test "seccomp: the process runs in filter mode" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["kexec_load"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(status_field Seccomp)" = 2 ]
	(($(status_field Seccomp_filters) >= 1))
}

@test "seccomp: without a profile the process has no filter" {
	update_config 'del(.linux.seccomp)'
	set_args cat /proc/self/status
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$(status_field Seccomp)" = 0 ]
}

@test "seccomp: SCMP_ACT_ERRNO refuses with EPERM by default" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'mkdir /tmp/d; echo "rc=$?"'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" "rc=1"
	assert_contains "$output" "can't create directory '/tmp/d': Operation not permitted"
}

@test "seccomp: errnoRet is the errno the process sees" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
	set_args sh -c 'mkdir /tmp/d; echo "rc=$?"'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" "rc=1"
	assert_contains "$output" "can't create directory '/tmp/d': Disk quota exceeded"
}

@test "seccomp: argument conditions (EQ, MASKED_EQ) select the calls that are refused" {
	# chmod to mode 0777 and any mode with the setuid bit are refused; others pass.
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
		 "args": [{"index": 1, "value": 511, "op": "SCMP_CMP_EQ"}]},
		{"names": ["fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
		 "args": [{"index": 2, "value": 511, "op": "SCMP_CMP_EQ"}]},
		{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 1, "value": 2048, "valueTwo": 2048, "op": "SCMP_CMP_MASKED_EQ"}]},
		{"names": ["fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
		 "args": [{"index": 2, "value": 2048, "valueTwo": 2048, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
	update_config '.root.readonly = false'
	set_args sh -c 'touch /tmp/f
		chmod 755 /tmp/f && echo ok755
		chmod 777 /tmp/f || echo no777
		chmod 4755 /tmp/f || echo no4755
		stat -c %a /tmp/f'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" ok755
	assert_contains "$stdout" no777
	assert_contains "$stdout" no4755
	assert_contains "$output" "Operation not permitted"
	assert_contains "$output" "Permission denied"
	[ "$(tail -n1 <<<"$stdout")" = 755 ]
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the process with SIGSYS" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
	set_args mkdir /tmp/d
	foundry run --bundle "$BUNDLE" ct
	assert_status $((128 + 31))
}

@test "seccomp: an unknown syscall name is skipped, the rest of the profile applies" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["no_such_syscall_foundry", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 122}]}'
	set_args sh -c 'mkdir /tmp/d; echo "rc=$?"'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$output" "Disk quota exceeded"
	if fy_is_foundry; then
		assert_contains "$(cat "$FY_LOG")" 'unknown syscall "no_such_syscall_foundry", skipped'
	fi
}

@test "seccomp: errnoRet on an action that takes none is an error before the process starts" {
	requires_foundry "runc 1.1.5 ignores errnoRet there; the spec says MUST fail"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_LOG", "errnoRet": 5}]}'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
}

# Starts tests/helpers/seccomp-agent on a socket in the test's temp dir; it answers every
# notification with errno 95 (EOPNOTSUPP) and writes what it received to $AGENT_OUT.
start_agent() {
	local agent=$FY_TOP/tests/helpers/seccomp-agent
	if [[ ! -x $agent ]]; then
		echo "$agent is not built: run make check" >&2
		return 1
	fi
	AGENT_SOCK=$BATS_TEST_TMPDIR/agent.sock
	AGENT_OUT=$BATS_TEST_TMPDIR/agent.json
	AGENT_PID=$("$agent" "$AGENT_SOCK" "$AGENT_OUT" 95 3>&-)
	[[ $AGENT_PID =~ ^[0-9]+$ ]]
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener fd and the container state to listenerPath" {
	start_agent
	set_seccomp "$(jq -cn --arg sock "$AGENT_SOCK" '{defaultAction: "SCMP_ACT_ALLOW",
		listenerPath: $sock, listenerMetadata: "foundry-test-metadata",
		syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}')"
	set_args sh -c 'mkdir /tmp/d; echo "rc=$?"'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" "rc=1"
	# The agent's answer, not the kernel's: mkdir never ran.
	assert_contains "$output" "can't create directory '/tmp/d': Operation not supported"
	grep -q '^syscall ' "$AGENT_OUT.calls"

	run jq -r '[.ociVersion, (.fds | join(",")), (.pid | tostring), .metadata,
		.state.id, .state.status, (.state.pid | tostring), .state.bundle] | join(" ")' "$AGENT_OUT"
	[ "$status" -eq 0 ]
	read -r ver fds pid meta id st spid bundle <<<"$output"
	[[ $ver == 1.* ]]
	[ "$fds" = seccompFd ]
	((pid > 0))
	[ "$meta" = foundry-test-metadata ]
	[ "$id" = ct ]
	[ "$st" = creating ]
	[ "$spid" = "$pid" ]
	[ "$bundle" = "$BUNDLE" ]
}

@test "seccomp: a listenerPath nobody listens on is an error" {
	set_seccomp "$(jq -cn --arg sock "$BATS_TEST_TMPDIR/nobody.sock" '{defaultAction: "SCMP_ACT_ALLOW",
		listenerPath: $sock, syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}')"
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
}

# ---- sysctl --------------------------------------------------------------------------

@test "sysctl: namespaced values are set inside the container" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "net.core.somaxconn": "321",
		"kernel.shmmni": "1234", "fs.mqueue.queues_max": "77"}'
	set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/core/somaxconn /proc/sys/kernel/shmmni /proc/sys/fs/mqueue/queues_max'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = $'1\n321\n1234\n77' ]
	# The host keeps its own.
	[ "$(cat /proc/sys/kernel/shmmni)" != 1234 ]
	[ "$(cat /proc/sys/fs/mqueue/queues_max)" != 77 ]
}

@test "sysctl: a key no namespace of the container scopes is refused before the container starts" {
	local before
	before=$(cat /proc/sys/vm/swappiness)
	update_config '.linux.sysctl = {"vm.swappiness": "7"}'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	assert_contains "$output" vm.swappiness
	[ "$(cat /proc/sys/vm/swappiness)" = "$before" ]
}

@test "sysctl: net.* without a network namespace of its own is refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))
		| .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	assert_contains "$output" net.ipv4.ip_forward
}

@test "sysctl: an ipc key without an ipc namespace of its own is refused" {
	update_config '.linux.namespaces |= map(select(.type != "ipc"))
		| .linux.sysctl = {"kernel.shmmax": "4096"}'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	assert_contains "$output" kernel.shmmax
}

# ---- scheduling attributes -------------------------------------------------------------

@test "scheduler: policy and nice reach the process" {
	requires_foundry "runc 1.1.5 predates process.scheduler"
	update_config '.process.scheduler = {policy: "SCHED_BATCH", nice: 5}'
	# /proc/self/stat fields 19 and 41 are nice and policy (proc(5)).
	set_args awk '{ print $19, $41 }' /proc/self/stat
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = "5 3" ]
}

@test "scheduler: an invalid priority is refused before the container starts" {
	requires_foundry "runc 1.1.5 predates process.scheduler"
	update_config '.process.scheduler = {policy: "SCHED_FIFO", priority: 0}'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	assert_contains "$output" "SCHED_FIFO needs a priority in 1..99"
}

@test "ioPriority: the class and priority reach the process" {
	requires_foundry "runc 1.1.5 predates process.ioPriority"
	update_config '.process.ioPriority = {class: "IOPRIO_CLASS_BE", priority: 6}'
	set_args sh -c 'ionice -p $$'
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = "best-effort: prio 6" ]
}

@test "personality: LINUX32 makes uname report a 32-bit machine" {
	requires_foundry "runc 1.1.5 predates linux.personality"
	[[ $(uname -m) == x86_64 ]] || skip "the LINUX32 machine name is checked on x86_64 only"
	update_config '.linux.personality = {domain: "LINUX32"}'
	set_args uname -m
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	[ "$stdout" = i686 ]
}

@test "memoryPolicy: MPOL_BIND to node 0 is the process's policy" {
	requires_foundry "runc 1.1.5 predates linux.memoryPolicy"
	[[ -e /proc/self/numa_maps ]] || skip "kernel without NUMA support (no /proc/self/numa_maps)"
	update_config '.linux.memoryPolicy = {mode: "MPOL_BIND", nodes: "0"}'
	set_args head -n1 /proc/self/numa_maps
	foundry run --bundle "$BUNDLE" ct
	assert_status 0
	assert_contains "$stdout" " bind:0 "
}

@test "execCPUAffinity: final pins a process started by exec" {
	requires_foundry "runc 1.1.5 predates execCPUAffinity"
	update_config '.process.execCPUAffinity = {final: "0"}'
	set_args sleep 100
	foundry run -d --bundle "$BUNDLE" ct
	assert_status 0
	foundry exec ct grep Cpus_allowed_list /proc/self/status
	assert_status 0
	[ "$(awk '{ print $2 }' <<<"$stdout")" = 0 ]
	foundry kill ct KILL
	wait_for_status ct stopped
}

# ---- LSM -------------------------------------------------------------------------------

@test "apparmor: a profile on a host without AppArmor is a clear error" {
	[[ $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) != Y* ]] || skip "this host has AppArmor"
	update_config '.process.apparmorProfile = "foundry-test-profile"'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	if fy_is_foundry; then
		assert_contains "$output" 'process.apparmorProfile "foundry-test-profile": AppArmor is not enabled on this host'
	fi
}

@test "selinux: a process label on a host without SELinux is a clear error" {
	[[ ! -e /sys/fs/selinux/enforce ]] || skip "this host has SELinux"
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	set_args sh -c 'echo started'
	foundry run --bundle "$BUNDLE" ct
	[ "$status" -ne 0 ]
	refute_contains "$stdout" started
	if fy_is_foundry; then
		assert_contains "$output" 'process.selinuxLabel "system_u:system_r:container_t:s0:c1,c2": SELinux is not enabled on this host'
	fi
}
