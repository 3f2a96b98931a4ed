#!/usr/bin/env bats
# config-linux.md "Control groups": resources enforced where you can see them, and the
# commands that act on the cgroup (pause, resume, update, events, ps, kill --all, delete).
# Runs on whatever layout the host has (v1, v2, hybrid); tests/cg2/run.sh repeats the v2
# side on a real pure cgroup v2 kernel.

load helpers

setup() {
	setup_bundle
	update_config '.root.readonly = false'
}

teardown() {
	[[ -n ${EVENTS_PID:-} ]] && kill "$EVENTS_PID" 2>/dev/null
	[[ -n ${HOOK_PID_FILE:-} && -s $HOOK_PID_FILE ]] && kill -9 "$(cat "$HOOK_PID_FILE")" 2>/dev/null
	teardown_bundle
}

is_v2() {
	[[ -e $FY_CGROUP_FS/cgroup.controllers ]]
}

# The container's copy of a cgroup file: cg_file V1_CONTROLLER V1_FILE V2_FILE
cg_file() {
	if is_v2; then
		echo "$FY_CGROUP_FS$FY_CGROUP_PATH/$3"
	else
		echo "$FY_CGROUP_FS/$1$FY_CGROUP_PATH/$2"
	fi
}

# Polls (10 s at most, a deadlock guard) until the command succeeds.
wait_until() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	echo "timed out waiting for: $*" >&2
	return 1
}

file_has() {
	[[ -e $1 ]] && grep -q -- "$2" "$1"
}

@test "cgroups: a memory hog is OOM-killed with exit 137" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_args sh -c 'x=$(head -c 200000000 /dev/zero | tr "\0" a); echo survived'
	foundry run ct
	assert_status 137
	refute_contains "$output" survived
	[[ -z $(fy_test_cgroups) ]]
}

@test "cgroups: events reports the OOM kill" {
	update_config '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}'
	set_args sh -c 'while [ ! -e /go ]; do sleep 0.1; done; x=$(head -c 200000000 /dev/zero | tr "\0" a); sleep 100'
	foundry_ok run --detach ct
	timeout 30 "$FOUNDRY_BIN" --root "$FY_ROOT" events --interval 1s ct >"$BATS_TEST_TMPDIR/events" 2>&1 &
	EVENTS_PID=$!
	# The first stats line says the watch is in place before the hog starts.
	wait_until file_has "$BATS_TEST_TMPDIR/events" '"type":"stats"'
	touch "$ROOTFS/go"
	wait_until file_has "$BATS_TEST_TMPDIR/events" '"type":"oom"' || { cut -c1-100 "$BATS_TEST_TMPDIR/events"; foundry state ct; false; }
	grep -q '^{"type":"oom","id":"ct"}$' "$BATS_TEST_TMPDIR/events"
}

@test "cgroups: pids.max stops a fork bomb" {
	update_config '.linux.resources.pids = {"limit": 10}'
	# The bomb runs in a subshell (ash exits when a fork fails); after it, the init uses
	# builtins only, since the cgroup has no pid left for a fork, and blocks on a fifo.
	set_args sh -c 'rm -f /fifo; mkfifo /fifo; (i=0; while [ $i -lt 40 ]; do sleep 100 & i=$((i+1)); done) 2>/dev/null; : >/forked; read x </fifo'
	foundry_ok run --detach ct
	wait_until test -e "$ROOTFS/forked"
	local max current
	max=$(cat "$(cg_file pids pids.max pids.max)")
	current=$(cat "$(cg_file pids pids.current pids.current)")
	[ "$max" = 10 ]
	[ "$current" -le 10 ]
	# The kernel counted the refused forks.
	[ "$(awk '$1 == "max" {print $2}' "$(cg_file pids pids.events pids.events)")" -gt 0 ]
	foundry_ok ps --format json ct
	[ "$(jq length <<<"$stdout")" -le 10 ]
}

@test "cgroups: a cpu quota shows as throttling in cpu.stat and in events --stats" {
	update_config '.linux.resources.cpu = {"quota": 10000, "period": 100000}'
	set_args sh -c 'while :; do :; done'
	foundry_ok run --detach ct
	if is_v2; then
		[ "$(cat "$(cg_file cpu x cpu.max)")" = "10000 100000" ]
	else
		[ "$(cat "$(cg_file cpu cpu.cfs_quota_us x)")" = 10000 ]
	fi
	throttled() {
		[ "$(awk '$1 == "nr_throttled" {print $2}' "$(cg_file cpu cpu.stat cpu.stat)")" -gt 0 ]
	}
	wait_until throttled
	foundry_ok events --stats ct
	[ "$(jq -r .type <<<"$stdout")" = stats ]
	[ "$(jq -r .id <<<"$stdout")" = ct ]
	[ "$(jq .data.cpu.throttling.throttledPeriods <<<"$stdout")" -gt 0 ]
}

@test "cgroups: pause freezes every process and resume thaws them" {
	set_args sh -c 'sleep 100 & while :; do sleep 0.1; done'
	foundry_ok run --detach ct
	foundry_ok pause ct
	[ "$(state_field ct status)" = paused ]
	if is_v2; then
		grep -qx 'frozen 1' "$(cg_file x x cgroup.events)"
	else
		[ "$(cat "$(cg_file freezer freezer.state x)")" = FROZEN ]
	fi
	foundry pause ct
	[ "$status" -ne 0 ]
	foundry_ok resume ct
	[ "$(state_field ct status)" = running ]
	if is_v2; then
		grep -qx 'frozen 0' "$(cg_file x x cgroup.events)"
	else
		[ "$(cat "$(cg_file freezer freezer.state x)")" = THAWED ]
	fi
	foundry resume ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "not paused"
}

@test "cgroups: update changes the files, from flags and from --resources" {
	update_config '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 20}}'
	set_args sleep 100
	foundry_ok run --detach ct
	foundry_ok update --memory 96m --pids-limit 55 --cpu-quota 30000 --cpu-period 100000 ct
	if is_v2; then
		[ "$(cat "$(cg_file x x memory.max)")" = 100663296 ]
		[ "$(cat "$(cg_file x x cpu.max)")" = "30000 100000" ]
	else
		[ "$(cat "$(cg_file memory memory.limit_in_bytes x)")" = 100663296 ]
		[ "$(cat "$(cg_file cpu cpu.cfs_quota_us x)")" = 30000 ]
	fi
	[ "$(cat "$(cg_file pids pids.max pids.max)")" = 55 ]
	echo '{"pids": {"limit": 77}}' >"$BATS_TEST_TMPDIR/res.json"
	foundry_ok update --resources "$BATS_TEST_TMPDIR/res.json" ct
	[ "$(cat "$(cg_file pids pids.max pids.max)")" = 77 ]
	echo '{"pids": {"limit": 78}}' >"$BATS_TEST_TMPDIR/res.json"
	FY_STDIN=$BATS_TEST_TMPDIR/res.json foundry_ok update -r - ct
	[ "$(cat "$(cg_file pids pids.max pids.max)")" = 78 ]
	# As in runc, the flags are ignored when --resources is given.
	FY_STDIN=$BATS_TEST_TMPDIR/res.json foundry_ok update -r - --pids-limit 99 ct
	[ "$(cat "$(cg_file pids pids.max pids.max)")" = 78 ]
}

@test "cgroups: an update the kernel refuses names the resource and the file" {
	update_config '.linux.resources.memory = {"limit": 67108864, "swap": 67108864}'
	set_args sleep 100
	foundry_ok run --detach ct
	# memory+swap below the memory limit: refused by the planner (v2) or the kernel (v1).
	foundry update --memory-swap 1m ct
	[ "$status" -ne 0 ]
	fy_is_foundry && assert_contains "$output" "linux.resources.memory.swap"
	foundry update --resources /nonexistent.json ct
	[ "$status" -ne 0 ]
	fy_is_foundry && assert_contains "$output" /nonexistent.json
	true
}

@test "cgroups: create fails naming the resource it cannot apply, and leaves nothing" {
	update_config '.linux.resources.cpu = {"realtimeRuntime": 999999999, "realtimePeriod": 1000000}'
	foundry create ct
	[ "$status" -ne 0 ]
	[[ -z $(fy_test_cgroups) ]]
	fy_is_foundry && assert_contains "$output" "linux.resources.cpu.realtime"
	true
}

@test "cgroups: ps lists the container's processes" {
	set_args sh -c 'sleep 101 & sleep 102 & touch /ready; wait'
	foundry_ok run --detach ct
	wait_until test -e "$ROOTFS/ready"
	foundry_ok ps --format json ct
	[ "$(jq length <<<"$stdout")" -eq 3 ]
	[ "$(jq '.[0] | type' <<<"$stdout")" = '"number"' ]
	foundry_ok ps ct
	assert_contains "${lines[0]}" PID
	assert_contains "$stdout" "sleep 101"
	assert_contains "$stdout" "sleep 102"
	foundry_ok ps ct -o pid,args
	assert_contains "$stdout" "sleep 102"
}

@test "cgroups: kill --all reaches every process, also in a paused container" {
	set_args sh -c 'sleep 100 & sleep 100 & touch /ready; wait'
	foundry_ok run --detach ct
	wait_until test -e "$ROOTFS/ready"
	foundry_ok pause ct
	foundry_ok kill --all ct KILL
	empty() {
		[ -z "$(cat "$(cg_file pids cgroup.procs cgroup.procs)" 2>/dev/null)" ]
	}
	wait_until empty
	wait_for_status ct stopped
}

@test "cgroups: the device rules are enforced" {
	# c 1:11 (/dev/kmsg) is not among the devices every container gets.
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}]
		| .process.capabilities.bounding += ["CAP_MKNOD"] | .process.capabilities.effective += ["CAP_MKNOD"]
		| .process.capabilities.permitted += ["CAP_MKNOD"]'
	set_args sh -c 'rm -f /tmp/k; mknod /tmp/k c 1 11 && echo foundry-device-test >/tmp/k'
	foundry run ct
	[ "$status" -ne 0 ]
	assert_contains "$output" "not permitted"
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]'
	foundry_ok run ct
}

@test "cgroups: delete removes the cgroup from every hierarchy" {
	set_args sleep 100
	foundry_ok run --detach ct
	[[ -n $(fy_test_cgroups) ]]
	foundry_ok delete --force ct
	[[ -z $(fy_test_cgroups) ]]
}

@test "cgroups: on a hybrid host the container also joins the v2 hierarchy" {
	[[ -e $FY_CGROUP_FS/unified/cgroup.controllers ]] || skip "host is not hybrid ($FY_CGROUP_FS/unified is not cgroup2)"
	set_args sleep 100
	foundry_ok run --detach ct
	local pid
	pid=$(state_field ct pid)
	grep -qx "0::$FY_CGROUP_PATH" "/proc/$pid/cgroup"
	grep -qx "[0-9]*:memory:$FY_CGROUP_PATH" "/proc/$pid/cgroup"
	[ -d "$FY_CGROUP_FS/unified$FY_CGROUP_PATH" ]
}

@test "cgroups: no cgroup left after kill -9 of the runtime during create" {
	requires_foundry "state is written before createRuntime hooks"
	HOOK_PID_FILE=$BATS_TEST_TMPDIR/hook.pid
	update_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "echo $$ > '"$HOOK_PID_FILE"'; exec sleep 100"]}]'
	set_args sleep 100
	"$FOUNDRY_BIN" --root "$FY_ROOT" --log "$FY_LOG" create ct 3>&- &
	local runtime=$!
	wait_until test -s "$HOOK_PID_FILE"
	[[ -n $(fy_test_cgroups) ]]
	kill -9 "$runtime"
	wait "$runtime" || true
	kill -9 "$(cat "$HOOK_PID_FILE")"
	foundry_ok delete --force ct
	[[ -z $(fy_test_cgroups) ]]
}

@test "cgroups: --systemd-cgroup maps slice:prefix:name to the cgroupfs path and delete needs no flag" {
	requires_foundry "the systemd manager maps to cgroupfs"
	local name="fytest$BATS_SUITE_TEST_NUMBER$RANDOM"
	update_config '.linux.cgroupsPath = $p' --arg p "foundrytest.slice:fy:$name"
	set_args sleep 100
	foundry_ok --systemd-cgroup run --detach ct
	grep -q "warning: the systemd cgroup manager is not available" "$FY_LOG"
	local dir=/foundrytest.slice/fy-$name.scope
	fy_defer rmdir "$FY_CGROUP_FS"/*/foundrytest.slice "$FY_CGROUP_FS"/foundrytest.slice
	if is_v2; then
		[ -d "$FY_CGROUP_FS$dir" ]
	else
		[ -d "$FY_CGROUP_FS/memory$dir" ]
	fi
	foundry_ok delete --force ct
	[ ! -e "$FY_CGROUP_FS$dir" ]
	[ ! -e "$FY_CGROUP_FS/memory$dir" ]
}

@test "cgroups: hugepageLimits land in whichever hierarchy holds hugetlb" {
	[[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]] || skip "no 2MB huge pages on this kernel"
	requires_foundry "hugetlb on the v2 side of a hybrid host (runc refuses it)"
	update_config '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}]'
	set_args sleep 100
	foundry_ok run --detach ct
	local f
	if is_v2; then
		f=$FY_CGROUP_FS$FY_CGROUP_PATH/hugetlb.2MB.max
	elif [[ -d $FY_CGROUP_FS/hugetlb ]]; then
		f=$FY_CGROUP_FS/hugetlb$FY_CGROUP_PATH/hugetlb.2MB.limit_in_bytes
	else
		# Hybrid host with hugetlb bound to the v2 hierarchy.
		f=$FY_CGROUP_FS/unified$FY_CGROUP_PATH/hugetlb.2MB.max
	fi
	[ "$(cat "$f")" = 4194304 ]
	foundry_ok events --stats ct
	[ "$(jq '.data.hugetlb["2MB"].failcnt' <<<"$stdout")" = 0 ]
}
