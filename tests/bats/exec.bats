#!/usr/bin/env bats
# exec: a new process in a running container (runc's `exec` is the contract): it sees the
# container's namespaces, cgroup and root, and its status is exec's status.

load helpers

setup() {
	setup_bundle
	set_args sleep 1000
	foundry_ok run --detach --bundle "$BUNDLE" ct
}

teardown() {
	teardown_bundle
}

@test "exec: the process runs in the container's pid, uts and mount namespaces" {
	foundry exec ct sh -c 'echo "$$ $(hostname)"; ps -o pid,comm | grep sleep'
	assert_status 0
	# Not pid 1 (that is the init), and the container's hostname.
	[ "${lines[0]%% *}" -gt 1 ]
	[ "${lines[0]#* }" = "$(jq -r .hostname "$BUNDLE/config.json")" ]
	# The init is pid 1 in the namespace the process sees.
	[ "$(echo "${lines[1]}" | awk '{print $1}')" = 1 ]
}

@test "exec: the exit status of the process is exec's" {
	foundry exec ct sh -c 'exit 7'
	assert_status 7
}

@test "exec: a process killed by a signal gives 128+signal" {
	foundry exec ct sh -c 'kill -9 $$'
	assert_status 137
}

@test "exec: a command that does not exist fails with 255 and names it" {
	requires_foundry "exit status 255 and the message"
	foundry exec ct /no/such/binary
	assert_status 255
	assert_contains "$stderr" '"/no/such/binary"'
}

@test "exec: -e, --cwd and --user reach the process" {
	foundry exec -e FOO=bar --cwd /tmp --user 1000:1000 ct sh -c 'echo "$FOO $(pwd) $(id -u) $(id -g)"'
	assert_status 0
	[ "$stdout" = "bar /tmp 1000 1000" ]
}

@test "exec: --process runs the process described in a JSON file" {
	jq -n '{cwd: "/", user: {uid: 0, gid: 0}, args: ["sh", "-c", "echo from-process-file $X"], env: ["PATH=/bin:/usr/bin", "X=42"]}' \
		>"$BATS_TEST_TMPDIR/process.json"
	foundry exec --process "$BATS_TEST_TMPDIR/process.json" ct
	assert_status 0
	[ "$stdout" = "from-process-file 42" ]
}

@test "exec: --detach returns at once and --pid-file names the process" {
	foundry exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" ct sleep 1000
	assert_status 0
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[ "$(cat /proc/"$pid"/comm)" = sleep ]
	# Same pid namespace as the container's init.
	[ "$(readlink /proc/"$pid"/ns/pid)" = "$(readlink /proc/"$(state_field ct pid)"/ns/pid)" ]
}

@test "exec: the process joins the container's cgroup" {
	foundry exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" ct sleep 1000
	assert_status 0
	local init exec
	init=$(state_field ct pid)
	exec=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[ "$(grep ':pids:' /proc/"$exec"/cgroup)" = "$(grep ':pids:' /proc/"$init"/cgroup)" ]
}

@test "exec: a stopped container refuses exec" {
	foundry_ok kill ct KILL
	wait_for_status ct stopped
	foundry exec ct true
	[ "$status" -ne 0 ]
	assert_contains "$stderr" "stopped"
}

